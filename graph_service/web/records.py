"""Claims, entities, articles and events read from the store as JSON-ready records.

A claim record is a fact record of ``eval/FORMAT.md`` (type, actor, target, item, quantity,
counts, status, event_time, claimed_by, via, quote) plus the IRIs of the claim, its event,
its article and the entities, the quote offsets and Wikidata ids. The API, the pages and the
linked-data views all read through here, so they show the same thing.

Every query is a ``.rq`` file in ``queries/``; values are bound, never spliced.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib

from .. import iris, rdfize
from ..store import Store
from . import queries

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


# --- reading ------------------------------------------------------------------------------

@dataclass
class Reader:
    """Reads records from one store, remembering entity labels within one request."""

    store: Store
    _briefs: dict = field(default_factory=dict)

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
            label = wd = None
            for row in self.rows("entity_brief", entity=ox.NamedNode(iri)):
                label = label or py(row["label"])
                wd = wd or wikidata_id(py(row["wikidata"])) or wikidata_id(py(row["wikidataId"]))
            if label is None:
                label = local_name(iri).replace("-", " ")
            self._briefs[iri] = {"iri": iri, "label": label, "wikidata": wd}
        return self._briefs[iri]

    # claims
    def claim_iris(self, *, filters: dict, dated_only: bool = False) -> list[str]:
        """IRIs of the claims that pass ``filters`` (validated API parameters), report order."""
        event_from, event_to = filters.get("event_from"), filters.get("event_to")
        report_from, report_to = filters.get("reported_from"), filters.get("reported_to")
        use_event = event_from is not None or event_to is not None
        use_report = report_from is not None or report_to is not None
        bindings = {
            "type": event_class(filters["type"]) if filters.get("type") else None,
            "status": status_concept(filters["status"]) if filters.get("status") else None,
            "actor": entity_ref(filters["actor"]) if filters.get("actor") else None,
            "target": entity_ref(filters["target"]) if filters.get("target") else None,
            "claimer": entity_ref(filters["claimer"]) if filters.get("claimer") else None,
            "via": entity_ref(filters["via"]) if filters.get("via") else None,
            "article": article_ref(filters["article"]) if filters.get("article") else None,
            "useEventRange": _TRUE if use_event else _FALSE,
            "eventFrom": date_literal(event_from or _OPEN_FROM),
            "eventTo": date_literal(event_to or _OPEN_TO),
            "useReportRange": _TRUE if use_report else _FALSE,
            "reportFrom": date_literal(report_from or _OPEN_FROM),
            "reportTo": date_literal(report_to or _OPEN_TO),
            "datedOnly": _TRUE if dated_only else _FALSE,
        }
        rows = self.rows("claims", **bindings)
        if dated_only:
            rows.sort(key=lambda r: (py(r["earliest"]) or py(r["latest"]) or "",
                                     py(r["latest"]) or "", py(r["reported"]) or ""))
        return _unique(row["claim"].value for row in rows)

    def claims_involving(self, entity: str) -> list[str]:
        return _unique(r["claim"].value
                       for r in self.rows("claims_involving", entity=ox.NamedNode(entity)))

    def article_claims(self, article: str) -> list[str]:
        return _unique(r["claim"].value
                       for r in self.rows("article_claims", article=ox.NamedNode(article)))

    def claim(self, iri: str) -> dict | None:
        """One claim as a fact record with IRIs, or None when there is no such claim.

        The FORMAT.md fields are read by ``rdfize.claim_record`` (the same reading the
        extraction tests use) from the claim's triples; the rest is added here.
        """
        g = rdflib.Graph()
        for row in self.rows("claim_tree", claim=ox.NamedNode(iri)):
            g.add((_rdflib(row["s"]), _rdflib(row["p"]), _rdflib(row["o"])))
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
        record.update({
            "event_time_text": value(time, KG + "asWritten"),
            "event_earliest": value(time, KG + "earliest"),
            "event_latest": value(time, KG + "latest"),
            "reported_on": (value(node, KG + "reportedOn")
                            or value(article, SCHEMA + "datePublished")),
            "claim": iri, "event": event, "cluster": value(node, KG + "reportsEvent"),
            "article": article, "article_id": local_name(article) if article else None,
            "headline": value(article, SCHEMA + "headline"),
            "publisher": _label(g, value(article, SCHEMA + "publisher")),
            "iris": {**{k: b and b["iri"] for k, b in briefs.items()},
                     "via": via_chain(g, node)},
            "wikidata": {k: b and b["wikidata"] for k, b in briefs.items()},
        })
        if record.get("quantity") and record["quantity"].get("text") is None:
            record["quantity"]["text"] = value(quantity, KG + "asWritten")
        return record

    # entities
    def entities(self, *, search: str | None, kind: str | None) -> list[dict]:
        rows = self.rows(
            "entities",
            useSearch=_TRUE if search else _FALSE,
            search=ox.Literal((search or "").lower()),
            useKind=_TRUE if kind else _FALSE,
            kind=ox.NamedNode(KG + kind) if kind else None,
        )
        out: dict[str, dict] = {}
        for row in rows:
            iri = row["entity"].value
            item = out.setdefault(iri, {"id": id_path(iri), "iri": iri, "label": py(row["name"]),
                                        "types": [], "claim_count": py(row["claims"]) or 0})
            kind_name = local_name(row["kind"].value)
            if kind_name not in item["types"]:
                item["types"].append(kind_name)
        return list(out.values())

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
    def articles(self) -> list[dict]:
        out = []
        for row in self.rows("articles"):
            iri = row["article"].value
            publisher = py(row["publisher"])
            out.append({"id": local_name(iri), "iri": iri, "headline": py(row["headline"]),
                        "published": py(row["published"]),
                        "publisher": self.brief(publisher)["label"] if publisher else None,
                        "author": py(row["author"]), "url": py(row["url"]),
                        "claim_count": py(row["claims"]) or 0})
        return out

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

    # events
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
        reports = [self.claim(c) for c in _unique(r["claim"].value for r in rows if r["claim"])]
        reports = sorted((r for r in reports if r),
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
            "article_count": one("articleCount"),
            "earliest": one("earliest"), "latest": one("latest"),
        }



def via_chain(g: rdflib.Graph, node: rdflib.URIRef) -> list[str]:
    """kg:via IRIs, nearest the claimer first (by kg:chainPosition of the attribution)."""
    position = {}
    for att in g.objects(node, rdflib.URIRef(PROV + "qualifiedAttribution")):
        agent = g.value(att, rdflib.URIRef(PROV + "agent"))
        pos = g.value(att, rdflib.URIRef(KG + "chainPosition"))
        if agent is not None and pos is not None:
            position[str(agent)] = int(pos)
    vias = [str(v) for v in g.objects(node, rdflib.URIRef(KG + "via"))]
    return sorted(vias, key=lambda v: (position.get(v, 1 << 30), v))


def _label(g: rdflib.Graph, iri: str | None) -> str | None:
    if iri is None:
        return None
    label = g.value(rdflib.URIRef(iri), rdflib.RDFS.label)
    return str(label) if label is not None else local_name(iri).replace("-", " ")


def _rdflib(term):
    """A pyoxigraph term as an rdflib one."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _value(g: rdflib.Graph, subject: str | None, predicate: str):
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


