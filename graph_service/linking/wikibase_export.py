"""The graph's claims as Wikibase statements (the Wikidata JSON model), for editors to check.

Follows https://doc.wikimedia.org/Wikibase/master/php/docs_topics_json.html: each claim becomes
one statement (a casualty report one per count) with a ``mainsnak``, ``qualifiers`` (with
``qualifiers-order``), ``references`` (``snaks`` + ``snaks-order``) and a ``rank``.

* subject and item values are QIDs where graph/links (or the curated links) know the entity;
  otherwise the entity IRI as a ``url`` value, listed in ``unlinked`` for the editor;
* the main property: Wikidata's where one fits (``P1891`` signatory of a treaty, ``P1120`` number
  of deaths, ``P1339`` number of injured), else a project property ``kg:…`` named for the role;
* qualifiers: ``P585`` point in time (day, month or year precision), ``P580``/``P582`` start and
  end time for an interval, ``P1319``/``P1326`` earliest/latest date for a bounded guess,
  ``P1114`` quantity (``amount`` with ``lowerBound``/``upperBound`` when the graph has both;
  one-sided hedges stay in ``kg:hedge``), ``P276`` location;
* references: ``P248`` stated in (the outlet), ``P854`` reference URL, ``P577`` publication
  date, ``P1476`` title, ``P1683`` quotation;
* rank from the claim's status: confirmed -> preferred; reported, planned, possible -> normal;
  denied -> deprecated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, SDO

from .. import iris
from ..rdfize import COUNT_OF_PROPERTY, STATUS_OF_CONCEPT, TYPE_OF_CLASS
from ..store import Store
from ..vocab import KG, OA
from .wikidata import links

GREGORIAN = "http://www.wikidata.org/entity/Q1985727"
RANK = {"confirmed": "preferred", "reported": "normal", "planned": "normal",
        "possible": "normal", "denied": "deprecated"}
# event type -> (main property, where the subject comes from, where the value comes from)
MAIN = {
    "deployment": ("kg:deployedTo", KG.actor, KG.target),
    "transfer": ("kg:suppliedTo", KG.actor, KG.target),
    "meeting": ("kg:metWith", KG.actor, KG.target),
    "statement": ("kg:stated", KG.actor, KG.item),
    "treaty": ("P1891", KG.treaty, KG.actor),          # signatory, on the treaty's item
}
COUNT_PROPERTY = {"killed": "P1120", "wounded": "P1339", "captured": "kg:captured",
                  "missing": "kg:missing", "killed_or_wounded": "kg:killedOrWounded"}


def export_wikibase(store: Store) -> list[dict]:
    """Every claim of every article graph as Wikibase statements, in a stable order."""
    qids = links(store)
    out: list[dict] = []
    for name in store.named_graphs():
        if name.startswith(iris.GRAPH + "article/"):
            g = store.graph(name)
            for claim in sorted(set(g.subjects(RDF.type, KG.Claim)), key=str):
                out.extend(_statements(g, claim, qids))
    return out


def _statements(g: Graph, claim: URIRef, qids: dict[str, str]) -> Iterator[dict]:
    event = g.value(claim, KG.asserts)
    etype = next((TYPE_OF_CLASS[c] for c in g.objects(event, RDF.type) if c in TYPE_OF_CLASS), None)
    status = STATUS_OF_CONCEPT.get(g.value(claim, KG.status), "reported")
    ctx = _Context(qids)
    qualifiers = _qualifiers(g, event, etype, ctx)
    references = [_reference(g, claim, ctx)]
    base = {"type": "statement", "rank": RANK.get(status, "normal"), "references": references,
            "claim": str(claim), "status": status, "event_type": etype}
    if etype == "casualties":
        for prop, q in sorted(g.predicate_objects(event)):
            if prop in COUNT_OF_PROPERTY:
                kind = COUNT_OF_PROPERTY[prop]
                snak = _snak(COUNT_PROPERTY[kind], _quantity_value(g, q))
                yield _finish(base, claim, ctx.ref(g.value(event, KG.actor)), snak, qualifiers, ctx,
                              suffix=kind)
        return
    prop, subject_from, value_from = MAIN.get(etype, ("kg:" + (etype or "event"), KG.actor,
                                                      KG.target))
    subject = g.value(event, subject_from)
    if etype == "treaty" and subject is None:  # no treaty node: say it of the actor instead
        prop, subject, value_from = "kg:signedWith", g.value(event, KG.actor), KG.target
    value = g.value(event, value_from)
    snak = (_snak(prop, ctx.item_value(value)) if value is not None and not _is_literal(value)
            else _snak(prop, {"type": "string", "value": str(value)}, datatype="string")
            if value is not None else {"snaktype": "somevalue", "property": prop})
    yield _finish(base, claim, ctx.ref(subject), snak, qualifiers, ctx)


class _Context:
    """Maps entity IRIs to QIDs and remembers which had none."""

    def __init__(self, qids: dict[str, str]) -> None:
        self.qids = qids
        self.unlinked: set[str] = set()

    def ref(self, node) -> dict:
        if node is None:
            return {"id": None}
        qid = self.qids.get(str(node))
        if qid:
            return {"id": qid}
        self.unlinked.add(str(node))
        return {"iri": str(node)}

    def item_value(self, node) -> tuple[dict, str]:
        ref = self.ref(node)
        if "id" in ref:
            return ({"type": "wikibase-entityid",
                     "value": {"entity-type": "item", "id": ref["id"],
                               "numeric-id": int(ref["id"][1:])}}, "wikibase-item")
        return {"type": "string", "value": ref["iri"]}, "url"


def _finish(base: dict, claim: URIRef, subject: dict, mainsnak: dict, qualifiers: dict,
            ctx: _Context, *, suffix: str = "") -> dict:
    key = subject.get("id") or iris.digest(subject.get("iri"), length=8)
    return {"id": f"{key}${iris.digest(claim, suffix)}", "subject": subject, "mainsnak": mainsnak,
            **base, "qualifiers": qualifiers, "qualifiers-order": list(qualifiers),
            "unlinked": sorted(ctx.unlinked)}


def _snak(prop: str, value, *, datatype: str | None = None) -> dict:
    if isinstance(value, tuple):
        value, datatype = value
    return {"snaktype": "value", "property": prop, "datavalue": value,
            "datatype": datatype or {"quantity": "quantity", "time": "time",
                                     "monolingualtext": "monolingualtext"}.get(value["type"],
                                                                               "string")}


def _qualifiers(g: Graph, event, etype: str | None, ctx: _Context) -> dict[str, list[dict]]:
    q: dict[str, list[dict]] = {}
    time = g.value(event, KG.eventTime)
    if time is not None:
        for prop, value in _time_qualifiers(g, time):
            q.setdefault(prop, []).append(_snak(prop, value))
    quantity = g.value(event, KG.quantity)
    if quantity is not None and etype != "casualties":
        q["P1114"] = [_snak("P1114", _quantity_value(g, quantity))]
        hedge = g.value(quantity, KG.hedge)
        if hedge is not None:
            q["kg:hedge"] = [_snak("kg:hedge", {"type": "string", "value": _local(hedge)})]
    item = g.value(event, KG.item)
    if item is not None and etype not in ("statement",):
        q["kg:item"] = [_snak("kg:item", {"type": "string", "value": str(item)})]
    place = g.value(event, KG.location) or g.value(event, KG.signingPlace)
    if place is not None:
        q["P276"] = [_snak("P276", ctx.item_value(place))]
    return q


def _time_qualifiers(g: Graph, time) -> list[tuple[str, dict]]:
    earliest, latest = _date(g.value(time, KG.earliest)), _date(g.value(time, KG.latest))
    normalized = str(g.value(time, KG.normalized) or "")
    if earliest and latest:
        if earliest == latest:
            return [("P585", _time(earliest, 11))]
        if earliest.day == 1 and _month_end(latest) and (earliest.year, earliest.month) == \
                (latest.year, latest.month):
            return [("P585", _time(earliest, 10))]
        if (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31) \
                and earliest.year == latest.year:
            return [("P585", _time(earliest, 9))]
        if "/" in normalized:  # an interval: the event lasted from one to the other
            return [("P580", _time(earliest, 11)), ("P582", _time(latest, 11))]
    out = []
    if earliest:
        out.append(("P1319", _time(earliest, 11)))
    if latest:
        out.append(("P1326", _time(latest, 11)))
    return out


def _reference(g: Graph, claim: URIRef, ctx: _Context) -> dict:
    article = g.value(claim, PROV.wasDerivedFrom)
    snaks: dict[str, list[dict]] = {}
    publisher = g.value(article, SDO.publisher) if article is not None else None
    if publisher is not None:
        snaks["P248"] = [_snak("P248", ctx.item_value(publisher))]
    url = g.value(article, SDO.url) if article is not None else None
    if url is not None:
        snaks["P854"] = [_snak("P854", {"type": "string", "value": str(url)}, datatype="url")]
    published = _date(g.value(article, SDO.datePublished)) if article is not None else None
    if published:
        snaks["P577"] = [_snak("P577", _time(published, 11))]
    title = g.value(article, SDO.headline) if article is not None else None
    if title is not None:
        snaks["P1476"] = [_snak("P1476", _text(str(title)))]
    quote = _quote(g, claim)
    if quote:
        snaks["P1683"] = [_snak("P1683", _text(quote))]
    return {"snaks": snaks, "snaks-order": list(snaks)}


def _quote(g: Graph, claim: URIRef) -> str | None:
    for evidence in g.objects(claim, KG.hasEvidence):
        for sel in g.objects(evidence, OA.hasSelector):
            if (sel, RDF.type, OA.TextQuoteSelector) in g:
                return str(g.value(sel, OA.exact))
    return None


def _quantity_value(g: Graph, node) -> dict:
    value, lower, upper = (g.value(node, p) for p in (KG.value, KG.lowerBound, KG.upperBound))
    amount = value if value is not None else lower if lower is not None else upper
    out = {"amount": _signed(amount), "unit": "1"}
    if lower is not None and upper is not None:  # Wikibase wants both bounds or neither
        out["lowerBound"], out["upperBound"] = _signed(lower), _signed(upper)
    return {"type": "quantity", "value": out}


def _signed(lit) -> str:
    number = Decimal(str(lit)) if lit is not None else Decimal(0)
    text = format(number.normalize(), "f")
    return text if text.startswith("-") else "+" + text


def _time(day: dt.date, precision: int) -> dict:
    month = f"{day.month:02d}" if precision >= 10 else "00"
    dd = f"{day.day:02d}" if precision >= 11 else "00"
    return {"type": "time", "value": {"time": f"+{day.year:04d}-{month}-{dd}T00:00:00Z",
                                      "timezone": 0, "before": 0, "after": 0,
                                      "precision": precision, "calendarmodel": GREGORIAN}}


def _text(text: str) -> dict:
    return {"type": "monolingualtext", "value": {"text": text, "language": "en"}}


def _date(lit) -> dt.date | None:
    if lit is None:
        return None
    try:
        return dt.date.fromisoformat(str(lit)[:10])
    except ValueError:
        return None


def _month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def _is_literal(node) -> bool:
    return not isinstance(node, URIRef)


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1]
