"""Claims, entities, articles and events read from the store as JSON-ready records.

A claim record is a fact record of ``eval/FORMAT.md`` (type, actor, target, item, quantity,
counts, status, event_time, claimed_by, via, quote) plus the IRIs of the claim, its event,
its article and the entities, the quote offsets and Wikidata ids. The API, the pages and the
linked-data views all read through here, so they show the same thing.

Every query is a ``.rq`` file in ``queries/``; values are bound, never spliced.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyoxigraph as ox
import rdflib

from .. import iris, rdfize, vocab
from ..store import claim_index
from ..store.claim_index import ArticleRow, ClaimRow, EntityRow
from ..store import Store
from . import queries
from .params import ParameterError

KG = iris.ONTOLOGY
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
RDF_TYPE = rdflib.RDF.type
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
WIKIDATA = "http://www.wikidata.org/entity/"
_TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
_FALSE = ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))
_OPEN_FROM = dt.date(1, 1, 1)
_OPEN_TO = dt.date(9999, 12, 31)


ENTITY_FILTERS = ("actor", "target", "claimer", "via")
_SLUG = re.compile(r"((entity|source)/)?[a-z0-9][a-z0-9._-]*")


class AmbiguousEntity(ParameterError):
    """A filter's name borne by more than one entity: 400 listing them (``candidates``)."""

    def __init__(self, parameter: str, value: str, candidates: list[dict]) -> None:
        super().__init__(parameter, f"{value!r} names {len(candidates)} entities: "
                         + "; ".join(f"{c['label']} ({c['id']})" for c in candidates)
                         + f". Give {parameter}= one of their ids, IRIs or Wikidata ids.")
        self.candidates = candidates

    def to_json(self) -> dict:
        return {**super().to_json(), "candidates": self.candidates}


# --- terms <-> values --------------------------------------------------------------------

def event_class(event_type: str) -> ox.NamedNode:
    """``"deployment"`` -> ``kg:Deployment`` (the table ``rdfize`` writes with)."""
    return ox.NamedNode(str(rdfize.EVENT_CLASS[event_type]))


def status_concept(status: str) -> ox.NamedNode:
    """``"confirmed"`` -> ``kg:Confirmed``."""
    return ox.NamedNode(str(rdfize.STATUS_CONCEPT[status]))


def _reverse(table: dict) -> dict[str, str]:
    return {str(term): name for name, term in table.items()}


TYPE_OF_CLASS = _reverse(rdfize.EVENT_CLASS)


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def date_literal(day: dt.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))


def py(term) -> object:
    """An RDF term as a JSON value: IRIs as strings, numbers as numbers, the rest as text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else ""
        if dtype in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
            return int(term.value)
        if dtype in (XSD + "decimal", XSD + "double", XSD + "float"):
            x = float(term.value)
            return int(x) if x.is_integer() else x
        if dtype == XSD + "boolean":
            return term.value == "true"
    return term.value


def id_path(iri: str) -> str:
    """``https://w3id.org/nkru/id/entity/x`` -> ``entity/x`` (the path under ``/id/``)."""
    return iri[len(iris.ID):] if iri.startswith(iris.ID) else iri


def entity_ref(value: str) -> ox.NamedNode:
    """An entity parameter (``north-korea``, ``entity/north-korea``, ``source/…`` or the full
    IRI, already checked against the document's pattern) as an IRI."""
    if value.startswith(iris.ID):
        return ox.NamedNode(value)
    if "/" not in value:
        value = "entity/" + value
    return ox.NamedNode(iris.ID + value)


def article_ref(value: str) -> ox.NamedNode:
    return ox.NamedNode(value if value.startswith(iris.ID) else iris.article_iri(value))


def wikidata_id(value: str | None) -> str | None:
    if not value:
        return None
    if value.startswith(WIKIDATA):
        value = value[len(WIKIDATA):]
    return value if re.fullmatch(r"Q\d+", value) else None


# What a claim record reads beyond the claim: its event, evidence and attributions, then
# their quantities, casualty counts, times and selectors.
_CLAIM_PARTS = frozenset(map(str, (vocab.KG.asserts, vocab.KG.hasEvidence,
                                    rdflib.PROV.qualifiedAttribution, rdflib.PROV.wasGeneratedBy)))
_EVENT_PARTS = frozenset(map(str, (vocab.KG.quantity, vocab.KG.eventTime, vocab.KG.killed,
                                   vocab.KG.wounded, vocab.KG.captured, vocab.KG.missing,
                                   vocab.KG.killedOrWounded, vocab.OA.hasSelector)))


# --- reading ------------------------------------------------------------------------------

@dataclass
class Reader:
    """Reads records from one store: lists and pages from its claim index, records of the
    claims on a page from the store, one query per page."""

    store: Store
    _briefs: dict = field(default_factory=dict)

    @property
    def index(self) -> claim_index.Views:
        return claim_index.of(self.store).views()

    def rows(self, name: str, **bindings) -> list:
        """Rows of ``queries/<name>.rq`` with ``bindings`` (RDF terms) bound."""
        bound = {k: v for k, v in bindings.items() if v is not None}
        return list(self.store.query(queries.load(name), bindings=bound))

    # entities
    def brief(self, iri: str | None) -> dict | None:
        """Label and Wikidata id of one entity."""
        if iri is None:
            return None
        if iri not in self._briefs:
            known = self.index.entities.get(iri)
            if known is not None:
                label = known.label
                wd = next((w for w in map(wikidata_id, known.wikidata) if w), None)
            else:   # not an entity of the index (e.g. a submitter): ask the store
                label = wd = None
                for row in self.rows("entity_brief", entity=ox.NamedNode(iri)):
                    label = label or py(row["label"])
                    wd = (wd or wikidata_id(py(row["wikidata"]))
                          or wikidata_id(py(row["wikidataId"])))
            if label is None:
                label = local_name(iri).replace("-", " ")
            self._briefs[iri] = {"iri": iri, "label": label, "wikidata": wd}
        return self._briefs[iri]

    def resolve_entity(self, parameter: str, value: str) -> frozenset[str]:
        """The entities an API filter names: an IRI, a Wikidata QID (``Q423`` or its IRI), an
        id (``north-korea``, ``entity/north-korea``, ``source/…``), or a label or alias in any
        case (``North Korea``, ``DPRK``). A name borne as a label wins over the same name as an
        alias; described sources (``source/…``, one per article) that share a name are all
        meant (``Ukrainian officials``); two reference entities sharing a name make it
        ambiguous: ``AmbiguousEntity`` (400) lists them. Nothing known: no entity, no claims.
        """
        views = self.index
        text = value.strip()
        qid = text[len(WIKIDATA):] if text.startswith(WIKIDATA) else text
        if re.fullmatch(r"[Qq][0-9]+", qid):
            return frozenset(views.wikidata_ids.get(qid.upper(), ()))
        if re.match(r"https?://", text):
            return frozenset({text})
        slug = _SLUG.fullmatch(text) is not None
        if slug:
            iri = entity_ref(text).value
            if iri in views.entities or iri in views.by_entity:
                return frozenset({iri})
        key = " ".join(text.lower().split())
        named = views.names.get(key, ())
        labelled = [i for i in named if " ".join((views.entities[i].label or "").lower().split()) == key]
        chosen = labelled or list(named)
        reference = [i for i in chosen if not i.startswith(iris.ID + "source/")]
        if len(reference) > 1:
            raise AmbiguousEntity(parameter, value, [
                {"id": id_path(i), "iri": i, "label": views.entities[i].label,
                 "types": [local_name(k) for k in views.entities[i].kinds],
                 "wikidata": next((w for w in map(wikidata_id, views.entities[i].wikidata) if w),
                                  None)}
                for i in reference])
        if not chosen and slug:
            return frozenset({entity_ref(text).value})
        return frozenset(chosen)

    def entity_filters(self, filters: dict) -> dict[str, frozenset[str]]:
        """The entity filters of ``filters`` resolved to IRIs (``resolve_entity``)."""
        return {k: self.resolve_entity(k, filters[k])
                for k in ENTITY_FILTERS if filters.get(k)}

    # claims
    def claim_rows(self, *, filters: dict, dated_only: bool = False) -> Sequence[ClaimRow]:
        """The claims that pass ``filters`` (validated API parameters): in report order, or
        on the timeline (dated claims by event date) with ``dated_only``."""
        views = self.index
        entities = self.entity_filters(filters)
        postings = [self._posting(views, found) for found in entities.values()]
        if filters.get("article"):
            postings.append(views.by_article.get(article_ref(filters["article"]).value, ()))
        event_range = filters.get("event_from") is not None or filters.get("event_to") is not None
        if postings:   # the shortest posting list (in report order) holds every answer
            pool: Sequence[ClaimRow] = min(postings, key=len)
            if filters.get("article") and pool is postings[-1]:
                pool = sorted(pool, key=claim_index.report_key)
            if dated_only:
                pool = sorted((r for r in pool if r.earliest or r.latest),
                              key=claim_index.time_key)
        elif dated_only and event_range:
            pool = views.in_event_range(
                (filters.get("event_from") or _OPEN_FROM).isoformat(),
                (filters.get("event_to") or _OPEN_TO).isoformat())
        else:
            pool = views.by_time if dated_only else views.by_report
        test = _claim_filter(filters, entities)
        return pool if test is None else [r for r in pool if test(r)]

    @staticmethod
    def _posting(views: claim_index.Views, entities: frozenset[str]) -> Sequence[ClaimRow]:
        """The claims involving any of ``entities``, in report order."""
        if len(entities) == 1:
            return views.by_entity.get(next(iter(entities)), ())
        rows = {r.claim: r for e in entities for r in views.by_entity.get(e, ())}
        return sorted(rows.values(), key=claim_index.report_key)

    def claims_involving(self, entity: str) -> Sequence[ClaimRow]:
        return self.index.by_entity.get(entity, ())

    def article_claims(self, article: str) -> Sequence[ClaimRow]:
        return self.index.by_article.get(article, ())

    def claims(self, items: Sequence[ClaimRow | str]) -> list[dict]:
        """Records of the claims ``items`` (rows or IRIs), in that order; claims no longer in
        the store are left out. Records are kept by the claim index until the next write."""
        claim_iris = [i if isinstance(i, str) else i.claim for i in items]
        cache = claim_index.of(self.store).records
        generation = cache.generation
        known: dict[str, dict | None] = {}
        for iri in dict.fromkeys(claim_iris):
            hit, record = cache.lookup(iri)
            if hit:
                known[iri] = record
        missing = [c for c in dict.fromkeys(claim_iris) if c not in known]
        if missing:
            g = self._describe(missing)
            for iri in missing:
                known[iri] = self._record(g, iri)
                cache.put(iri, copy.deepcopy(known[iri]), generation=generation)
        return [known[c] for c in claim_iris if known[c] is not None]

    def _describe(self, claim_iris: list[str]) -> "_Triples":
        """The triples of the claims, a level at a time (see ``node_triples.rq``), and the
        headline, date and publisher of their articles."""
        g = _Triples(self._label)
        level, articles = claim_iris, set()
        for follow in (_CLAIM_PARTS, _EVENT_PARTS, ()):
            found: set[str] = set()
            for s, p, o in self._values_rows("node_triples", level):
                g.add(s, p, o)
                if p.value in follow and isinstance(o, ox.NamedNode):
                    found.add(o.value)
                elif p.value == PROV + "wasDerivedFrom" and isinstance(o, ox.NamedNode):
                    articles.add(o.value)
            level = sorted(found)
            if not level:
                break
        for s, p, o in self._values_rows("article_brief", sorted(articles)):
            g.add(s, p, o)
        return g

    def _values_rows(self, name: str, subjects: list[str]):
        """Rows of a ``VALUES ?s {}`` query for ``subjects``, a few hundred at a time (IRIs
        go in through ``ox.NamedNode``, which refuses anything that is not an IRI)."""
        for i in range(0, len(subjects), 400):
            values = " ".join(str(ox.NamedNode(v)) for v in subjects[i:i + 400])
            text = queries.load(name).replace("VALUES ?s {}", f"VALUES ?s {{ {values} }}", 1)
            for row in self.store.query(text):
                yield row["s"], row["p"], row["o"]

    def claim(self, iri: str) -> dict | None:
        """One claim as a fact record with IRIs, or None when there is no such claim."""
        found = self.claims([iri])
        return found[0] if found else None

    def _label(self, iri: str) -> str | None:
        known = self.index.entities.get(iri)
        return known.label if known is not None else None

    def _record(self, g: "_Triples", iri: str) -> dict | None:
        """The fact record of one claim from its triples: the FORMAT.md fields are read by
        ``rdfize.claim_record`` (the same reading the extraction tests use); the rest is
        added here."""
        node = rdflib.URIRef(iri)
        if (node, RDF_TYPE, rdflib.URIRef(KG + "Claim")) not in g:
            return None
        record = rdfize.claim_record(g, node)
        record.pop("iri", None)
        value = lambda s, p: _value(g, s, p)  # noqa: E731
        event, article = value(node, KG + "asserts"), value(node, PROV + "wasDerivedFrom")
        time = value(event, KG + "eventTime")
        quantity = value(event, KG + "quantity")
        entities = {"actor": value(event, KG + "actor"), "target": value(event, KG + "target"),
                    "claimed_by": value(node, KG + "claimedBy")}
        briefs = {k: self.brief(v) for k, v in entities.items()}
        publisher = value(article, SCHEMA + "publisher")
        record.update({
            "event_time_text": value(time, KG + "asWritten"),
            "event_earliest": value(time, KG + "earliest"),
            "event_latest": value(time, KG + "latest"),
            "reported_on": (value(node, KG + "reportedOn")
                            or value(article, SCHEMA + "datePublished")),
            "claim": iri, "event": event, "cluster": value(node, KG + "reportsEvent"),
            "article": article, "article_id": local_name(article) if article else None,
            "headline": value(article, SCHEMA + "headline"),
            "publisher": self.brief(publisher)["label"] if publisher else None,
            "iris": {**{k: b and b["iri"] for k, b in briefs.items()},
                     "via": via_chain(g, node)},
            "wikidata": {k: b and b["wikidata"] for k, b in briefs.items()},
        })
        if record.get("quantity") and record["quantity"].get("text") is None:
            record["quantity"]["text"] = value(quantity, KG + "asWritten")
        return record

    # entities
    def entities(self, *, search: str | None, kind: str | None) -> Sequence[EntityRow]:
        """Entities with a kg: class and a label, most claims first; ``search`` matches a
        part of any label or alias (case-insensitive), ``kind`` names a class. Make the
        records of a page with ``entity_items``."""
        views = self.index
        needle = (search or "").lower()
        want = KG + kind if kind else None
        if not needle and not want:
            return views.listed_entities
        return [e for e in views.listed_entities
                if (not want or want in e.kinds)
                and (not needle or any(needle in name for name in e.labels))]

    def entity_items(self, rows: Sequence[EntityRow]) -> list[dict]:
        views = self.index
        return [{"id": id_path(e.iri), "iri": e.iri, "label": e.label,
                 "types": [local_name(k) for k in e.kinds],
                 "claim_count": views.claim_count(e.iri)} for e in rows]

    def entity(self, iri: str) -> dict | None:
        rows = self.rows("entity", entity=ox.NamedNode(iri))
        if not rows:
            return None
        got: dict[str, list] = {}
        for row in rows:
            values = got.setdefault(row["what"].value, [])
            if py(row["value"]) not in values:
                values.append(py(row["value"]))
        links = got.get("link", [])
        wd = next((w for w in map(wikidata_id, links + got.get("wikidataId", [])) if w), None)
        return {
            "id": id_path(iri), "iri": iri,
            "label": (got.get("label") or [local_name(iri).replace("-", " ")])[0],
            "aliases": got.get("alias", []),
            "types": [local_name(t) for t in got.get("type", []) if t.startswith(KG)],
            "description": (got.get("description") or [None])[0],
            "wikidata": wd,
            "links": links + [WIKIDATA + q for q in got.get("wikidataId", [])
                              if wikidata_id(q) and WIKIDATA + q not in links],
        }

    # articles
    def articles(self) -> Sequence[ArticleRow]:
        """Articles, newest first. Make the records of a page with ``article_items``."""
        return self.index.articles

    def article_items(self, rows: Sequence[ArticleRow]) -> list[dict]:
        """Article records with the number of claims served from each."""
        views = self.index
        return [{"id": local_name(a.article), "iri": a.article, "headline": a.headline,
                 "published": a.published,
                 "publisher": self.brief(a.publisher)["label"] if a.publisher else None,
                 "author": a.author, "url": a.url,
                 "claim_count": len(views.by_article.get(a.article, ()))}
                for a in rows]

    def article(self, iri: str) -> dict | None:
        rows = self.rows("article", article=ox.NamedNode(iri))
        if not rows:
            return None
        row = rows[0]
        publisher = py(row["publisher"])
        return {"id": local_name(iri), "iri": iri, "headline": py(row["headline"]),
                "published": py(row["published"]), "date_precision": py(row["precision"]),
                "publisher": self.brief(publisher)["label"] if publisher else None,
                "publisher_iri": publisher, "author": py(row["author"]), "url": py(row["url"]),
                "language": py(row["language"]), "text": py(row["text"])}

    def article_title(self, article: str | None, headline: str | None = None) -> str:
        """What pages call an article: its headline, else the first line of its text (when
        short enough to be a heading), else "Untitled article <id>"."""
        if headline:
            return headline
        row = self.index.article_rows.get(article or "")
        if row is not None and (row.headline or row.first_line):
            return row.headline or row.first_line
        return f"Untitled article {local_name(article or '')}"

    def article_outlet(self, publisher: str | None, url: str | None) -> str | None:
        """What pages call an article's outlet: its publisher, else its URL's host."""
        if publisher:
            return publisher
        host = urlsplit(url).hostname if url else None
        return host[4:] if host and host.startswith("www.") else host

    # events
    def events(self, *, filters: dict) -> list[dict]:
        """Event clusters as summary records, earliest first (undated last): all of them, or,
        with claim filters (those of ``claim_rows``), those that a claim passing every filter
        reports."""
        views = self.index
        found: dict[str, dict] = {}
        for row in self.rows("events"):
            cluster = found.setdefault(row["cluster"].value, {"claims": [], "about": {}})
            p = row["p"].value
            if p == KG + "reportsEvent":
                cluster["claims"].append(row["o"].value)
            else:
                cluster["about"].setdefault(p, py(row["o"]))
        entities = self.entity_filters(filters)
        test = _claim_filter(filters, entities)
        out = []
        for iri, cluster in found.items():
            members = [views.by_claim[c] for c in dict.fromkeys(cluster["claims"])
                       if c in views.by_claim]
            if test is not None and not any(test(r) for r in members):
                continue
            about = cluster["about"]
            earliest = about.get(KG + "earliest") or min(
                (r.earliest or r.latest for r in members if r.earliest or r.latest), default=None)
            latest = about.get(KG + "latest") or max(
                (r.latest or r.earliest for r in members if r.earliest or r.latest), default=None)
            kind = TYPE_OF_CLASS.get(about.get(KG + "eventType") or "")
            if kind is None:
                kinds = {r.type for r in members if r.type}
                kind = kinds.pop() if len(kinds) == 1 else None
            out.append({
                "id": local_name(iri), "iri": iri, "label": about.get(RDFS_LABEL),
                "type": kind,
                "figures": {"min": about.get(KG + "minFigure"), "max": about.get(KG + "maxFigure")},
                "report_count": about.get(KG + "reportCount") or len(members),
                "article_count": about.get(KG + "articleCount"),
                "independent_sources": about.get(KG + "independentSourceCount"),
                "summary": reports_summary(about.get(KG + "reportCount") or len(members),
                                           about.get(KG + "independentSourceCount")),
                "earliest": earliest, "latest": latest,
                "claims": sorted((r.claim for r in members), key=lambda c: claim_index.report_key(views.by_claim[c])),
            })
        out.sort(key=lambda e: (e["earliest"] is None, e["earliest"] or "", e["iri"]))
        return out

    def event(self, iri: str) -> dict | None:
        """Every report of one event cluster side by side, with the range of figures and the
        number of independent sources as ``events.py`` computed them (kg:minFigure,
        kg:maxFigure, kg:independentSourceCount, kg:independentSource)."""
        rows = self.rows("event", cluster=ox.NamedNode(iri))
        if not rows:
            return None
        about: dict[str, list] = {}
        for row in rows:
            if row["p"] is not None:
                about.setdefault(row["p"].value, []).append(row["o"])
        one = lambda name: py((about.get(KG + name) or [None])[0])  # noqa: E731
        reports = self.claims(_unique(r["claim"].value for r in rows if r["claim"]))
        reports = sorted(reports,
                         key=lambda r: (r["reported_on"] or "", r["claim"]))
        sources = [self.brief(t.value)["label"] for t in about.get(KG + "independentSource", [])]
        return {
            "iri": iri, "id": local_name(iri),
            "label": py((about.get(RDFS_LABEL) or [None])[0]),
            "reports": reports,
            "figures": {"min": one("minFigure"), "max": one("maxFigure")},
            "independent_sources": one("independentSourceCount"),
            "sources": sorted(sources),
            "report_count": one("reportCount") or len(reports),
            "summary": reports_summary(one("reportCount") or len(reports),
                                       one("independentSourceCount")),
            "article_count": one("articleCount"),
            "earliest": one("earliest"), "latest": one("latest"),
        }



def reports_summary(reports: int, independent: int | None) -> str:
    """"3 reports, 1 independent": how many claims report an event, and how many independent
    sources they come down to (copies and wire reruns count once, see ``events``)."""
    noun = "report" if reports == 1 else "reports"
    return f"{reports} {noun}, {'?' if independent is None else independent} independent"


def _claim_filter(filters: dict, entities: dict[str, frozenset[str]]
                  ) -> Callable[[ClaimRow], bool] | None:
    """The API's claim filters as one test on index rows (None: no filter); ``entities``:
    the entity filters resolved to IRIs."""
    tests: list[Callable[[ClaimRow], bool]] = []
    if filters.get("type"):
        tests.append(lambda r, t=filters["type"]: r.type == t)
    if filters.get("status"):
        tests.append(lambda r, s=status_concept(filters["status"]).value: r.status == s)
    if filters.get("extractor"):
        tests.append(lambda r, x=filters["extractor"]: x in r.extractors)
    for key, field_name in (("actor", "actors"), ("target", "targets"),
                            ("claimer", "claimers"), ("via", "vias")):
        if key in entities:
            tests.append(lambda r, e=entities[key], f=field_name:
                         not e.isdisjoint(getattr(r, f)))
    if filters.get("article"):
        tests.append(lambda r, a=article_ref(filters["article"]).value: r.article == a)
    if filters.get("event_from") is not None or filters.get("event_to") is not None:
        lo = (filters.get("event_from") or _OPEN_FROM).isoformat()
        hi = (filters.get("event_to") or _OPEN_TO).isoformat()
        # The event's span [earliest, latest] overlaps [lo, hi]; one bound stands for both.
        tests.append(lambda r: (r.earliest or r.latest) is not None
                     and (r.latest or r.earliest) >= lo and (r.earliest or r.latest) <= hi)
    if filters.get("reported_from") is not None or filters.get("reported_to") is not None:
        lo = (filters.get("reported_from") or _OPEN_FROM).isoformat()
        hi = (filters.get("reported_to") or _OPEN_TO).isoformat()
        tests.append(lambda r: r.reported is not None and lo <= r.reported <= hi)
    if not tests:
        return None
    return lambda r: all(t(r) for t in tests)


class _Triples:
    """The triples of a page of claims with the lookups ``rdfize.claim_record`` makes: a
    read-only stand-in for ``rdflib.Graph``, whose construction costs more than the query
    (rdflib terms are made only for the values read). Entity labels come from ``label_of``."""

    def __init__(self, label_of: Callable[[str], str | None]) -> None:
        self._spo: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self._label_of = label_of
        self._made: dict = {}

    def _rdflib(self, term):
        # One rdflib term per distinct value on the page: making them is most of the cost.
        made = self._made.get(term)
        if made is None:
            made = self._made[term] = _rdflib(term)
        return made

    def add(self, s, p, o) -> None:
        self._spo[s.value][p.value].append(o)

    def _terms(self, s, p) -> list:
        if s is None:
            return []
        found = self._spo.get(str(s), {}).get(str(p), [])
        if not found and str(p) == RDFS_LABEL:
            label = self._label_of(str(s))
            return [] if label is None else [ox.Literal(label)]
        return found

    def value(self, s, p):
        found = self._terms(s, p)
        return self._rdflib(found[0]) if found else None

    def objects(self, s, p):
        return [self._rdflib(o) for o in self._terms(s, p)]

    def predicate_objects(self, s):
        for p, objs in self._spo.get(str(s), {}).items():
            for o in objs:
                yield rdflib.URIRef(p), self._rdflib(o)

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        if isinstance(o, rdflib.URIRef):   # the usual question: a type or a concept
            iri = str(o)
            return any(isinstance(x, ox.NamedNode) and x.value == iri for x in self._terms(s, p))
        return any(self._rdflib(x) == o for x in self._terms(s, p))


def via_chain(g, node: rdflib.URIRef) -> list[str]:
    """kg:via IRIs, nearest the claimer first (by kg:chainPosition of the attribution)."""
    position = {}
    for att in g.objects(node, rdflib.URIRef(PROV + "qualifiedAttribution")):
        agent = g.value(att, rdflib.URIRef(PROV + "agent"))
        pos = g.value(att, rdflib.URIRef(KG + "chainPosition"))
        if agent is not None and pos is not None:
            position[str(agent)] = int(pos)
    vias = [str(v) for v in g.objects(node, rdflib.URIRef(KG + "via"))]
    return sorted(vias, key=lambda v: (position.get(v, 1 << 30), v))


def _rdflib(term):
    """A pyoxigraph term as an rdflib one."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _value(g, subject: str | None, predicate: str):
    """One object of (subject, predicate) as a JSON value (IRIs and dates as strings)."""
    if subject is None:
        return None
    obj = g.value(rdflib.URIRef(subject), rdflib.URIRef(predicate))
    if obj is None:
        return None
    if isinstance(obj, rdflib.Literal) and isinstance(obj.toPython(), int):
        return obj.toPython()
    return str(obj)


def _unique(values) -> list:
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


