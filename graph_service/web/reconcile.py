"""``/reconcile``: the W3C Entity Reconciliation Community Group API, version 0.2.

https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/ — so that
OpenRefine users can reconcile a spreadsheet's names against this graph's entities.

* ``GET /reconcile``: the service manifest (§3): name, identifierSpace, schemaSpace,
  defaultTypes, view, suggest. ``callback`` wraps any JSON answer as JSONP (§2.3).
* ``GET|POST /reconcile`` with ``queries``: a JSON object of queries (§4.1), each with
  ``query``, optional ``type`` (a class local name such as ``State``, or its IRI; subclasses
  count), ``limit`` and ``properties`` (``pid``: ``affiliation``, ``partOf`` or an IRI;
  ``v``: an entity id, a label, or ``{"id": …}``). Answers ``{key: {"result": [candidate]}}``,
  each candidate with ``id``, ``name``, ``type``, ``score`` (0–100), ``match`` (§4.2).
* ``GET /reconcile/suggest/entity?prefix=…``: entity suggestions for auto-completion (§6).

Candidates come from the labels and aliases in the store through SPARQL with the search word
bound as a value (never spliced into the query text); scoring happens here.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request

from .. import iris
from ..errors import InputError, KGError
from . import get_store
from .limits import get_limits

bp = Blueprint("reconcile", __name__)

ENTITY_SPACE = iris.ID + "entity/"
DEFAULT_LIMIT = 5
MAX_LIMIT = 100
MAX_QUERIES = 500
MATCH_SCORE = 95
DEFAULT_TYPES = ("State", "Person", "Organization", "GovernmentBody", "ArmedForce",
                 "NewsOutlet", "Region", "City", "Treaty")
PROPERTY_ALIASES = {"affiliation": iris.ONTOLOGY + "affiliation", "partOf": iris.ONTOLOGY + "partOf"}
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")

PREFIXES = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kg: <{iris.ONTOLOGY}>
"""
# ?needle is bound by the caller; it appears in the projection because pyoxigraph only
# substitutes projected variables.
CANDIDATES = PREFIXES + f"""
SELECT DISTINCT ?e ?name ?isLabel ?needle WHERE {{
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{ENTITY_SPACE}"))
  FILTER(CONTAINS(LCASE(STR(?name)), ?needle))
  BIND(EXISTS {{ ?e rdfs:label ?name }} AS ?isLabel)
}}"""
DESCRIBE = PREFIXES + """
SELECT ?p ?o ?oLabel ?e WHERE {
  { ?e a ?o BIND(<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> AS ?p) }
  UNION { ?e rdfs:label ?o BIND(rdfs:label AS ?p) }
  UNION { ?e kg:role ?o BIND(kg:role AS ?p) }
  UNION { ?e ?p ?o FILTER(isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)
          OPTIONAL { ?o rdfs:label ?oLabel } }
}"""
CLASSES = PREFIXES + """
SELECT ?c ?sup ?label WHERE {
  ?c rdfs:subClassOf* ?sup FILTER(isIRI(?c) && STRSTARTS(STR(?c), STR(kg:)))
  OPTIONAL { ?c rdfs:label ?label }
}"""


@dataclass
class Candidate:
    iri: str
    names: dict[str, bool] = field(default_factory=dict)    # name -> is it the label
    label: str | None = None
    types: list[str] = field(default_factory=list)
    role: str | None = None
    values: dict[str, set[str]] = field(default_factory=dict)  # property IRI -> ids and labels
    score: float = 0.0

    @property
    def id(self) -> str:
        return self.iri[len(ENTITY_SPACE):]


@bp.errorhandler(KGError)
def kg_error(err: KGError):
    return _answer(err.to_json(), status=err.http_status)


@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile():
    raw = request.values.get("queries")
    if raw is None and request.is_json:
        get_limits().check_nesting(request.get_data(cache=True), syntax="json")
        raw = json.dumps((request.get_json(silent=True) or {}).get("queries"))
    if raw is None or raw == "null":
        return _answer(manifest())
    get_limits().check_nesting(raw, syntax="json", what="queries")
    try:
        queries = json.loads(raw)
    except ValueError as err:
        raise InputError(f"queries is not JSON: {err}", where="queries") from None
    if not isinstance(queries, dict) or len(queries) > MAX_QUERIES:
        raise InputError(f"queries must be a JSON object of at most {MAX_QUERIES} queries",
                         where="queries")
    index = _Index(get_store(current_app))
    return _answer({key: {"result": index.reconcile(_query(key, q))} for key, q in queries.items()})


@bp.get("/reconcile/suggest/entity")
def suggest_entity():
    prefix = (request.args.get("prefix") or "").strip()
    if not prefix:
        raise InputError("give the start of a name as prefix", where="prefix")
    try:
        cursor = max(0, int(request.args.get("cursor", 0)))
    except ValueError:
        raise InputError("cursor must be a whole number", where="cursor") from None
    index = _Index(get_store(current_app))
    found = index.suggest(prefix)
    return _answer({"result": [
        {"id": c.id, "name": c.label or c.id, "description": c.role or ", ".join(index.type_names(c))}
        for c in found[cursor:cursor + DEFAULT_LIMIT * 2]]})


def manifest() -> dict:
    root = request.url_root
    return {
        "versions": ["0.2"],
        "name": "NK–RU military cooperation knowledge graph",
        "identifierSpace": ENTITY_SPACE,
        "schemaSpace": iris.ONTOLOGY,
        "defaultTypes": [{"id": t, "name": _split_camel(t)} for t in DEFAULT_TYPES],
        "view": {"url": root + "id/entity/{{id}}"},
        "suggest": {"entity": {"service_url": root.rstrip("/") + "/reconcile",
                               "service_path": "/suggest/entity"}},
        "batchSize": 50,
    }


# ---------------------------------------------------------------- queries


@dataclass
class Query:
    key: str
    text: str
    types: list[str]
    limit: int
    properties: list[tuple[str, list[str]]]


def _query(key: str, q) -> Query:
    if isinstance(q, str):
        q = {"query": q}
    if not isinstance(q, dict) or not isinstance(q.get("query"), str) or not q["query"].strip():
        raise InputError("each query needs a non-empty string 'query'", where=f"queries.{key}")
    types = q.get("type") or []
    types = [types] if isinstance(types, str) else types
    if not all(isinstance(t, str) for t in types):
        raise InputError("type must be a class name or a list of them", where=f"queries.{key}.type")
    limit = q.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InputError("limit must be a positive whole number", where=f"queries.{key}.limit")
    props = []
    for p in q.get("properties") or []:
        if not isinstance(p, dict) or not isinstance(p.get("pid"), str) or "v" not in p:
            raise InputError("each property needs 'pid' and 'v'", where=f"queries.{key}.properties")
        values = p["v"] if isinstance(p["v"], list) else [p["v"]]
        values = [v.get("id") if isinstance(v, dict) else v for v in values]
        props.append((PROPERTY_ALIASES.get(p["pid"], p["pid"]),
                      [_norm(str(v)) for v in values if v is not None]))
    return Query(key, q["query"].strip(), [_class_iri(t) for t in types], min(limit, MAX_LIMIT),
                 props)


class _Index:
    """Candidate lookup and scoring over one store, for one request."""

    def __init__(self, store) -> None:
        self.store = store
        self.supers: dict[str, set[str]] = {}
        self.class_labels: dict[str, str] = {}
        for row in store.query(CLASSES):
            self.supers.setdefault(row["c"].value, set()).add(row["sup"].value)
            if row["label"] is not None:
                self.class_labels[row["c"].value] = row["label"].value

    def candidates(self, text: str) -> dict[str, Candidate]:
        out: dict[str, Candidate] = {}
        for needle in _needles(text):
            rows = self.store.query(CANDIDATES, bindings={"needle": ox.Literal(needle)})
            for row in rows:
                c = out.setdefault(row["e"].value, Candidate(row["e"].value))
                c.names[row["name"].value] = c.names.get(row["name"].value, False) or \
                    row["isLabel"].value == "true"
        for c in out.values():
            self._describe(c)
        return out

    def _describe(self, c: Candidate) -> None:
        for row in self.store.query(DESCRIBE, bindings={"e": ox.NamedNode(c.iri)}):
            p, o = row["p"].value, row["o"].value
            if p.endswith("22-rdf-syntax-ns#type"):
                if o.startswith(iris.ONTOLOGY) and o not in c.types:
                    c.types.append(o)
            elif p.endswith("rdf-schema#label"):
                c.label = c.label or o
            elif p == iris.ONTOLOGY + "role":
                c.role = o
            else:
                vals = c.values.setdefault(p, set())
                vals.add(_norm(o))
                if o.startswith(ENTITY_SPACE):
                    vals.add(_norm(o[len(ENTITY_SPACE):]))
                if row["oLabel"] is not None:
                    vals.add(_norm(row["oLabel"].value))

    def reconcile(self, q: Query) -> list[dict]:
        found = [c for c in self.candidates(q.text).values() if self._has_type(c, q.types)]
        for c in found:
            c.score = self._score(c, q)
        found.sort(key=lambda c: (-c.score, c.label or c.id))
        found = [c for c in found if c.score > 0][:q.limit]
        results = []
        for i, c in enumerate(found):
            runner = found[i + 1].score if i + 1 < len(found) else 0
            unique = i == 0 and c.score - runner >= 10
            results.append({"id": c.id, "name": c.label or c.id,
                            "type": [{"id": _local(t), "name": self.class_labels.get(t, _local(t))}
                                     for t in c.types],
                            "score": c.score, "match": unique and c.score >= MATCH_SCORE,
                            **({"description": c.role} if c.role else {})})
        return results

    def suggest(self, prefix: str) -> list[Candidate]:
        want = _norm(prefix)
        found = [c for c in self.candidates(prefix).values()
                 if any(_norm(n).startswith(want) or f" {want}" in f" {_norm(n)}" for n in c.names)]
        # Labels that start with the prefix first, then aliases that do, then word starts.
        return sorted(found, key=lambda c: (not _norm(c.label or "").startswith(want),
                                            not any(_norm(n).startswith(want) for n in c.names),
                                            c.label or c.id))

    def type_names(self, c: Candidate) -> list[str]:
        return [self.class_labels.get(t, _local(t)) for t in c.types]

    def _has_type(self, c: Candidate, wanted: list[str]) -> bool:
        if not wanted:
            return True
        reached = set(c.types).union(*(self.supers.get(t, set()) for t in c.types))
        return bool(reached & set(wanted))

    def _score(self, c: Candidate, q: Query) -> float:
        target = _norm(q.text)
        name = max((_similarity(target, _norm(n)) * (1.0 if is_label else 0.95)
                    for n, is_label in c.names.items()), default=0.0)
        if not q.properties:
            return round(100 * name, 1)
        hits = sum(1 for pid, values in q.properties if set(values) & c.values.get(pid, set()))
        return round(100 * (0.8 * name + 0.2 * hits / len(q.properties)), 1)


# ---------------------------------------------------------------- text


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _needles(text: str) -> list[str]:
    """Lower-case words to look for: the whole text and its three longest words."""
    words = sorted(set(re.findall(r"\w+", text.lower())), key=lambda w: (-len(w), w))
    whole = " ".join(text.lower().split())
    return list(dict.fromkeys([whole, *[w for w in words[:3] if len(w) >= 2]]))


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    ta, tb = set(a.split()), set(b.split())
    jaccard = len(ta & tb) / len(ta | tb) if ta | tb else 0.0
    return min(0.99, max(ratio, jaccard))


def _class_iri(name: str) -> str:
    return name if ":" in name and "/" in name else iris.ONTOLOGY + name.split(":")[-1]


def _local(iri: str) -> str:
    return iri[len(iris.ONTOLOGY):] if iri.startswith(iris.ONTOLOGY) else iri


def _split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _answer(body: dict, *, status: int = 200) -> Response:
    callback = request.args.get("callback")
    if callback and _CALLBACK.match(callback):
        text = f"{callback}({json.dumps(body, ensure_ascii=False)});"
        return Response(text, status=status, mimetype="application/javascript")
    response = jsonify(body)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"  # OpenRefine runs in a browser
    return response
