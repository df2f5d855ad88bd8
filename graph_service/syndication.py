"""Near-duplicate articles: syndicated and republished copies of one story, found with
MinHash over word shingles (datasketch) and recorded as ``kg:copyOf`` in graph/syndication.

A copy keeps its claims (it is evidence of how far a story went), but the event clusters
count it as one source with its original (``events.original_source``). Texts are compared
without their skipped boilerplate spans, so two outlets' different page debris does not hide
a copy. The original of a group of copies is the earliest published, then the first by IRI;
each other member is linked to it with the estimated Jaccard similarity of the two texts.
Runs after the articles are stored and before the event clusters, like them recomputed whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from . import iris
from .rdfize import new_graph
from .store import Store
from .vocab import KG

SHINGLE = 5           # words per shingle
PERMUTATIONS = 128    # MinHash size: the similarity estimate's error is about 1/sqrt(128)
SEED = 1              # fixed, so that rebuilds give the same links
THRESHOLD = 0.7       # estimated Jaccard similarity from which one text is a copy of another
METHOD = (f"MinHash ({PERMUTATIONS} permutations, seed {SEED}) over {SHINGLE}-word shingles "
          f"of the text without skipped spans; copy at an estimated Jaccard similarity of "
          f"{THRESHOLD} or more")
_WORD = re.compile(r"\w+")

TEXTS_QUERY = """
PREFIX kg: <https://w3id.org/nkru/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?article ?text ?published WHERE {
  ?article a kg:Article ; schema:text ?text .
  OPTIONAL { ?article schema:datePublished ?published }
}
"""
SPANS_QUERY = """
PREFIX kg: <https://w3id.org/nkru/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?article ?start ?end WHERE {
  ?article kg:skippedSpan ?span . ?span oa:start ?start ; oa:end ?end .
}
"""


@dataclass(frozen=True)
class Text:
    article: str
    text: str
    published: str | None


@dataclass(frozen=True)
class Copy:
    copy: str
    original: str
    similarity: float


def shingles(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def minhash(text: str):
    from datasketch import MinHash

    m = MinHash(num_perm=PERMUTATIONS, seed=SEED)
    m.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return m


def find_copies(texts: list[Text]) -> list[Copy]:
    """Every copy with its original, in a stable order."""
    from datasketch import MinHashLSH

    hashes = {t.article: minhash(t.text) for t in texts if shingles(t.text)}
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    for article, m in sorted(hashes.items()):
        lsh.insert(article, m)
    parent = {a: a for a in hashes}

    def root(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for article, m in sorted(hashes.items()):
        for other in lsh.query(m):
            if other != article and m.jaccard(hashes[other]) >= THRESHOLD:
                parent[root(other)] = root(article)
    groups: dict[str, list[Text]] = {}
    for t in texts:
        if t.article in hashes:
            groups.setdefault(root(t.article), []).append(t)
    copies = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda t: (t.published or "9999", t.article))
        original = members[0]
        for t in members[1:]:
            copies.append(Copy(t.article, original.article,
                               hashes[t.article].jaccard(hashes[original.article])))
    return sorted(copies, key=lambda c: (c.original, c.copy))


def read_texts(store: Store) -> list[Text]:
    """Every stored article's text without its skipped spans."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in store.query(SPANS_QUERY):
        spans.setdefault(row["article"].value, []).append((int(row["start"].value),
                                                           int(row["end"].value)))
    texts: dict[str, Text] = {}
    for row in store.query(TEXTS_QUERY):
        article = row["article"].value
        published = row["published"].value if row["published"] is not None else None
        texts[article] = Text(article, _without(row["text"].value, spans.get(article, [])),
                              published)
    return sorted(texts.values(), key=lambda t: t.article)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    kept, at = [], 0
    for start, end in sorted(spans):
        kept.append(text[at:start])
        at = max(at, end)
    kept.append(text[at:])
    return "\n".join(kept)


def syndication_graph(copies: list[Copy]) -> Graph:
    g = new_graph()
    for c in copies:
        copy, original = URIRef(c.copy), URIRef(c.original)
        node = URIRef(iris.syndication_iri(c.copy, c.original))
        g.add((copy, KG.copyOf, original))
        g.add((original, KG.syndicates, copy))
        g.add((node, RDF.type, KG.Syndication))
        g.add((node, KG.copy, copy))
        g.add((node, KG.original, original))
        g.add((node, KG.similarity, Literal(Decimal(f"{c.similarity:.3f}"), datatype=XSD.decimal)))
        g.add((node, KG.similarityMethod, Literal(METHOD)))
    return g


def refresh_syndication(store: Store) -> Graph:
    """Find the copies among the stored articles and replace graph/syndication with them."""
    g = syndication_graph(find_copies(read_texts(store)))
    store.replace_graphs({iris.SYNDICATION_GRAPH: g})
    return g
