"""Corroboration across articles: claims that report the same real-world event, clustered.

Two claims report the same event when they have the same event type, compatible actors and
targets (equal, or one place inside the other through kg:partOf; treaty and meeting parties in
either order), the same item category (troops, shells, missiles ...), and overlapping
event-time intervals, or, when either is undated, the same figures. Clustering is complete
linkage: a claim joins a cluster only if it fits every member, so that one vague "in 2024"
cannot chain two distinct deployments together. Precise claims (narrow time intervals) are
placed first and anchor the clusters.

Each cluster becomes a kg:EventCluster in graph/events with its reports (kg:reportsEvent),
the range of their figures, and how many independent sources stand behind it. The source of a
claim is its original claimer; for an anonymous source, the body it is affiliated with; when
the article cites no one, the first channel, else the wire service the article credits
(kg:originalOutlet), else the publishing outlet. An outlet that repeats another outlet's claim
therefore adds a report, not a source. An article that is a near-verbatim copy of another
(kg:copyOf, from ``syndication``) stands for its original there: its claims are reports, and
the original's outlet is their source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from . import iris
from .rdfize import COUNT_OF_PROPERTY, TYPE_OF_CLASS, new_graph
from .store import Store
from .vocab import KG

# Words that put an item in a category; the first category whose pattern matches wins.
ITEM_CATEGORIES = (
    ("rocket launchers", r"rocket launcher|mlrs|multiple[- ]launch"),
    ("missiles", r"missile|kn-?2[345]|hwasong"),
    ("artillery systems", r"howitzer|self-propelled|koksan|artillery (?:system|gun|piece)"),
    ("ammunition", r"shell|round|ammunition|munition|artillery"),
    ("workers", r"worker|labou?r"),
    ("engineers", r"engineer|sapper|demin|construction|reconstruction"),
    ("support troops", r"technical|medical|support"),
    ("troops", r"troop|soldier|personnel|forces|infantry|corps|brigade|military"),
)
UNORDERED_PARTIES = ("treaty", "meeting")  # actor and target may come in either order
NAMED_EVENTS = ("treaty",)  # the item (the treaty's name) identifies the event, dated or not
FAR_PAST, FAR_FUTURE = dt.date.min, dt.date.max


@dataclass(frozen=True)
class Report:
    """What clustering needs to know about one claim."""

    claim: str
    article: str
    type: str
    actor: str | None
    target: str | None
    category: str | None
    value: float | None
    lower: float | None
    upper: float | None
    earliest: dt.date | None
    latest: dt.date | None
    source: str
    figures: tuple = ()

    @property
    def dated(self) -> bool:
        return self.earliest is not None or self.latest is not None

    @property
    def width(self) -> int:
        if not self.dated:
            return 10**9
        return ((self.latest or FAR_FUTURE) - (self.earliest or FAR_PAST)).days


# ---------------------------------------------------------------- reading the store

def _prefixes() -> str:
    return f"PREFIX kg: <{KG._NS}>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n" \
           f"PREFIX schema: <https://schema.org/>\nPREFIX rdfs: <{RDFS}>\n"


CLAIMS_QUERY = """
SELECT ?claim ?article ?eventType ?actor ?target ?item ?value ?lower ?upper ?earliest ?latest
       ?claimer ?claimerAffiliation ?anonymous ?publisher
WHERE {
  ?claim a kg:Claim ; prov:wasDerivedFrom ?article ; kg:asserts ?event .
  ?event a ?eventType .
  OPTIONAL { ?event kg:actor ?actor }
  OPTIONAL { ?event kg:target ?target }
  OPTIONAL { ?event kg:item ?item }
  OPTIONAL { ?event kg:quantity ?q .
             OPTIONAL { ?q kg:value ?value } OPTIONAL { ?q kg:lowerBound ?lower }
             OPTIONAL { ?q kg:upperBound ?upper } }
  OPTIONAL { ?event kg:eventTime ?t .
             OPTIONAL { ?t kg:earliest ?earliest } OPTIONAL { ?t kg:latest ?latest } }
  OPTIONAL { ?claim kg:claimedBy ?claimer .
             OPTIONAL { ?claimer kg:affiliation ?claimerAffiliation }
             BIND (EXISTS { ?claimer a kg:AnonymousSource } AS ?anonymous) }
  OPTIONAL { ?article schema:publisher ?publisher }
}
"""

CHANNELS_QUERY = """
SELECT ?claim ?agent ?position WHERE {
  ?claim a kg:Claim ; prov:qualifiedAttribution ?a .
  ?a prov:hadRole kg:Channel ; prov:agent ?agent ; kg:chainPosition ?position .
}
"""

COUNTS_QUERY = """
SELECT ?claim ?kind ?value WHERE {
  ?claim a kg:Claim ; kg:asserts ?event .
  ?event ?kind ?q . ?q kg:value ?value .
  VALUES ?kind { kg:killedOrWounded kg:killed kg:wounded kg:captured kg:missing }
}
"""

ARTICLES_QUERY = """
SELECT ?article ?publisher ?wire ?original WHERE {
  ?article a kg:Article .
  OPTIONAL { ?article schema:publisher ?publisher }
  OPTIONAL { ?article kg:originalOutlet ?wire }
  OPTIONAL { ?article kg:copyOf ?original }
}
"""

PART_OF_QUERY = "SELECT DISTINCT ?part ?whole WHERE { ?part kg:partOf+ ?whole }"
LABELS_QUERY = "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"


def read_reports(store: Store) -> list[Report]:
    """Every claim in the store, reduced to what clustering compares."""
    channels: dict[str, list[tuple[int, str]]] = {}
    for row in store.query(_prefixes() + CHANNELS_QUERY):
        channels.setdefault(row["claim"].value, []).append((int(row["position"].value),
                                                            row["agent"].value))
    counts: dict[str, dict[str, float]] = {}
    for row in store.query(_prefixes() + COUNTS_QUERY):
        kind = COUNT_OF_PROPERTY[URIRef(row["kind"].value)]
        counts.setdefault(row["claim"].value, {})[kind] = float(row["value"].value)
    articles = read_articles(store)
    seen: dict[str, Report] = {}
    for row in store.query(_prefixes() + CLAIMS_QUERY):
        event_type = TYPE_OF_CLASS.get(URIRef(_v(row, "eventType") or ""))
        claim = row["claim"].value
        if event_type is None or claim in seen:
            continue
        seen[claim] = report_from_row(row, event_type, sorted(channels.get(claim, [])),
                                      counts.get(claim, {}), articles=articles)
    return sorted(seen.values(), key=lambda r: r.claim)


@dataclass(frozen=True)
class ArticleSource:
    """Who stands behind an article's unattributed claims: the wire service it credits, else
    its outlet; for a copy, its original's (``origin``: the original article, or itself)."""

    origin: str
    publisher: str | None = None
    wire: str | None = None


def read_articles(store: Store) -> dict[str, ArticleSource]:
    rows: dict[str, dict[str, str | None]] = {}
    for row in store.query(_prefixes() + ARTICLES_QUERY):
        seen = rows.setdefault(row["article"].value, {})
        for key in ("publisher", "wire", "original"):
            value = _v(row, key)
            if value is not None and (seen.get(key) is None or value < seen[key]):
                seen[key] = value  # the first by IRI, should a graph hold two
    out = {}
    for article, seen in rows.items():
        origin = seen.get("original") or article
        first = rows.get(origin, seen)
        out[article] = ArticleSource(origin=origin, publisher=first.get("publisher"),
                                     wire=seen.get("wire") or first.get("wire"))
    return out


def report_from_row(row, event_type: str, channels: list[tuple[int, str]],
                    counts: dict[str, float], *,
                    articles: dict[str, ArticleSource] | None = None) -> Report:
    value, lower, upper = (_float(_v(row, k)) for k in ("value", "lower", "upper"))
    if value is None and counts:
        value = next(counts[k] for k in ("killed_or_wounded", "killed", "wounded", "captured",
                                         "missing") if k in counts)
    return Report(
        claim=row["claim"].value, article=row["article"].value, type=event_type,
        actor=_v(row, "actor"), target=_v(row, "target"),
        category=item_category(_v(row, "item")),
        value=value, lower=lower, upper=upper,
        earliest=_date(_v(row, "earliest")), latest=_date(_v(row, "latest")),
        source=original_source(row, channels, (articles or {}).get(row["article"].value)),
        figures=tuple(sorted(counts.items())) or ((value,) if value is not None else ()),
    )


def original_source(row, channels: list[tuple[int, str]],
                    article: ArticleSource | None = None) -> str:
    """Who stands behind a claim, for counting independent sources (see the module docstring).

    An article with no known outlet that cites no one stands for itself (or for its
    original, if it is a copy).
    """
    claimer = _v(row, "claimer")
    if claimer is not None:
        anonymous = _v(row, "anonymous") in ("true", "1")
        if not anonymous:
            return claimer
        if _v(row, "claimerAffiliation"):
            return _v(row, "claimerAffiliation")
    if channels:
        return channels[0][1]
    if article is None:
        return _v(row, "publisher") or row["article"].value
    return article.wire or article.publisher or article.origin


def read_part_of(store: Store) -> set[tuple[str, str]]:
    return {(r["part"].value, r["whole"].value) for r in store.query(_prefixes() + PART_OF_QUERY)}


def item_category(item: str | None) -> str | None:
    """``"152mm artillery shells"`` -> ``"ammunition"``; unknown words stay themselves."""
    if not item:
        return None
    text = item.lower()
    for category, pattern in ITEM_CATEGORIES:
        if re.search(pattern, text):
            return category
    return " ".join(text.split())


# ---------------------------------------------------------------- comparing

def places_compatible(a: str | None, b: str | None, part_of: set[tuple[str, str]]) -> bool:
    """Equal, or one inside the other; a missing side does not contradict."""
    return a is None or b is None or a == b or (a, b) in part_of or (b, a) in part_of


def parties_compatible(x: Report, y: Report, part_of: set[tuple[str, str]]) -> bool:
    same = (places_compatible(x.actor, y.actor, part_of)
            and places_compatible(x.target, y.target, part_of))
    if x.actor is None or y.actor is None:
        return False
    if same:
        return True
    return x.type in UNORDERED_PARTIES and places_compatible(x.actor, y.target, part_of) \
        and places_compatible(x.target, y.actor, part_of)


def times_compatible(x: Report, y: Report) -> bool:
    """Overlapping intervals; when either is undated, the same figures instead."""
    if x.dated and y.dated:
        return (x.earliest or FAR_PAST) <= (y.latest or FAR_FUTURE) \
            and (y.earliest or FAR_PAST) <= (x.latest or FAR_FUTURE)
    if x.type in NAMED_EVENTS and x.category and x.category == y.category:
        return True
    return bool(x.figures) and x.figures == y.figures


def same_event(x: Report, y: Report, part_of: set[tuple[str, str]]) -> bool:
    if x.type != y.type or not parties_compatible(x, y, part_of):
        return False
    if x.category and y.category and x.category != y.category:
        return False
    if x.article == y.article and x.figures and y.figures and x.figures != y.figures:
        return False  # one article giving two figures is telling of two events
    return times_compatible(x, y)


def cluster(reports: Iterable[Report], part_of: set[tuple[str, str]]) -> list[list[Report]]:
    """Complete-linkage clusters, narrowest time first, deterministic.

    Reports of different event types never match (``same_event``), so each type is clustered
    on its own: the same clusters, with far fewer comparisons.
    """
    by_type: dict[str, list[list[Report]]] = {}
    for r in sorted(reports, key=lambda r: (r.width, r.claim)):
        clusters = by_type.setdefault(r.type, [])
        home = next((c for c in clusters if all(same_event(r, m, part_of) for m in c)), None)
        if home is None:
            clusters.append([r])
        else:
            home.append(r)
    return [c for t in sorted(by_type) for c in by_type[t]]


# ---------------------------------------------------------------- writing

def cluster_events(store: Store) -> Graph:
    """The graph/events content for the claims in the store (pure: writes nothing)."""
    reports = read_reports(store)
    part_of = read_part_of(store)
    labels = {r["s"].value: r["label"].value for r in store.query(_prefixes() + LABELS_QUERY)}
    g = new_graph()
    for members in cluster(reports, part_of):
        add_cluster(g, members, labels)
    return g


def update_events(store: Store) -> Graph:
    """Recompute the clusters and replace graph/events with them, in one update."""
    g = cluster_events(store)
    store.replace_graphs({iris.EVENTS_GRAPH: g})
    return g


def add_cluster(g: Graph, members: list[Report], labels: dict[str, str]) -> URIRef:
    anchor = members[0]
    node = URIRef(iris.event_iri(anchor.type, anchor.claim))
    g.add((node, RDF.type, KG.EventCluster))
    g.add((node, KG.eventType, _event_class(anchor.type)))
    actor, target = main_parties(members)
    category = _most_common(m.category for m in members)
    if actor:
        g.add((node, KG.actor, URIRef(actor)))
    if target:
        g.add((node, KG.target, URIRef(target)))
    if category:
        g.add((node, KG.item, Literal(category)))
    g.add((node, RDFS.label, Literal(cluster_label(anchor.type, actor, target, category,
                                                   len(members), labels))))
    for m in members:
        g.add((URIRef(m.claim), KG.reportsEvent, node))
    g.add((node, KG.reportCount, Literal(len(members))))
    g.add((node, KG.articleCount, Literal(len({m.article for m in members}))))
    sources = sorted({m.source for m in members if m.source})
    g.add((node, KG.independentSourceCount, Literal(len(sources))))
    for s in sources:
        g.add((node, KG.independentSource, URIRef(s)))
    lows = [x for m in members for x in (m.lower, m.value) if x is not None]
    highs = [x for m in members for x in (m.upper, m.value) if x is not None]
    if lows and highs:
        g.add((node, KG.minFigure, _number(min(lows))))
        g.add((node, KG.maxFigure, _number(max(highs))))
    earliest = [m.earliest for m in members if m.earliest]
    latest = [m.latest for m in members if m.latest]
    if earliest:
        g.add((node, KG.earliest, Literal(min(earliest).isoformat(), datatype=XSD.date)))
    if latest:
        g.add((node, KG.latest, Literal(max(latest).isoformat(), datatype=XSD.date)))
    return node


def main_parties(members: list[Report]) -> tuple[str | None, str | None]:
    """The most common actor and target; for treaties and meetings, the most common pair."""
    if members[0].type in UNORDERED_PARTIES:
        pair = _most_common("\x1f".join(sorted(p or "" for p in (m.actor, m.target)))
                            for m in members)
        first, second = (pair or "\x1f").split("\x1f")
        return first or None, second or None
    return _most_common(m.actor for m in members), _most_common(m.target for m in members)


def cluster_label(event_type: str, actor: str | None, target: str | None, category: str | None,
                  count: int, labels: dict[str, str]) -> str:
    def name(iri: str | None) -> str:
        return labels.get(iri, iri.rsplit("/", 1)[-1]) if iri else "?"
    what = f" ({category})" if category else ""
    reports = "1 report" if count == 1 else f"{count} reports"
    return f"{event_type}: {name(actor)} → {name(target)}{what}, {reports}"


def _event_class(event_type: str) -> URIRef:
    return next(cls for cls, name in TYPE_OF_CLASS.items() if name == event_type)


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _v(row, name: str) -> str | None:
    try:
        term = row[name]
    except KeyError:
        return None
    return None if term is None else term.value


def _float(s: str | None) -> float | None:
    return None if s is None else float(s)


def _date(s: str | None) -> dt.date | None:
    if s is None:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def _number(x: float) -> Literal:
    return Literal(int(x)) if float(x).is_integer() else Literal(x)
