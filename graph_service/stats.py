"""What the graph holds, counted with one GROUP BY query per figure."""

from __future__ import annotations

from .store import Store

KG = "https://w3id.org/nkru/ontology#"

_COUNTS = f"""
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  {{ ?x a <{KG}Article> . BIND("articles" AS ?kind) }}
  UNION {{ ?x a <{KG}Claim> . BIND("claims" AS ?kind) }}
  UNION {{ ?x a <{KG}EventCluster> . BIND("event clusters" AS ?kind) }}
  UNION {{ ?c <{KG}asserts> ?x . ?x a ?t . FILTER(?t != <{KG}Event>)
          BIND(CONCAT("claims: ", REPLACE(STR(?t), "^.*#", "")) AS ?kind) }}
}} GROUP BY ?kind ORDER BY ?kind
"""


def stats(store: Store) -> dict[str, int]:
    figures = {"triples": store.count(), "named graphs": len(store.named_graphs())}
    for row in store.query(_COUNTS):
        figures[row["kind"].value] = int(row["n"].value)
    return figures
