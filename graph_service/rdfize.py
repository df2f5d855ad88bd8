"""Claims -> RDF: one article's claims as one rdflib Graph, in the shape of docs/ARCHITECTURE.md.

Standard terms come first (PROV-O for derivation and attribution, W3C Web Annotation selectors
for the quote, schema.org for the article); kg: terms come from the generated ``vocab`` module.
Every node gets an IRI derived from content (``iris``), never a blank node, so that a rebuild
gives the same triples. ``claims_from_graph`` reads such graphs back into FORMAT.md fact records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SDO, XSD

from . import iris
from .articles import Article, Origin, Span
from .claims import ENTITY_KINDS, Claim, Entity, Extractor, Quantity, TimeSpec
from .vocab import KG, OA

CONTEXT_CHARS = 32  # characters of oa:prefix and oa:suffix around a quote

EVENT_CLASS = {
    "deployment": KG.Deployment,
    "transfer": KG.Transfer,
    "treaty": KG.TreatySigning,
    "meeting": KG.Meeting,
    "casualties": KG.CasualtyReport,
    "statement": KG.Statement,
}
STATUS_CONCEPT = {
    "reported": KG.Reported,
    "planned": KG.Planned,
    "confirmed": KG.Confirmed,
    "denied": KG.Denied,
    "possible": KG.Possible,
}
HEDGE_CONCEPT = {
    "exact": KG.Exact,
    "at_least": KG.AtLeast,
    "over": KG.Over,
    "approximately": KG.Approximately,
    "up_to": KG.UpTo,
    "range": KG.Range,
    "vague": KG.Vague,
}
COUNT_PROPERTY = {
    "killed": KG.killed,
    "wounded": KG.wounded,
    "captured": KG.captured,
    "missing": KG.missing,
    "killed_or_wounded": KG.killedOrWounded,
}
# Role properties by event type: (actor role, target role, item role, quantity role).
ROLE_PROPERTIES = {
    "deployment": (KG.sendingState, KG.destination, KG.personnelKind, KG.personnelCount),
    "transfer": (KG.supplier, KG.recipient, KG.materiel, None),
    "treaty": (KG.party, KG.party, None, None),
    "meeting": (KG.participant, KG.participant, None, None),
    "casualties": (None, None, None, None),
    "statement": (KG.speaker, None, KG.gist, None),
}
PREFIXES = {"kg": KG._NS, "prov": PROV, "oa": OA, "schema": SDO, "xsd": XSD,
            "rdfs": RDFS}

TYPE_OF_CLASS = {cls: name for name, cls in EVENT_CLASS.items()}
STATUS_OF_CONCEPT = {c: name for name, c in STATUS_CONCEPT.items()}
HEDGE_OF_CONCEPT = {c: name for name, c in HEDGE_CONCEPT.items()}
COUNT_OF_PROPERTY = {p: name for name, p in COUNT_PROPERTY.items()}


# ---------------------------------------------------------------- building

def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, replace=True)
    return g


def article_graph(article: Article, claims: list[Claim]) -> Graph:
    """The article node and every claim it makes, as one graph (the article's named graph)."""
    g = new_graph()
    add_article(g, article)
    for claim in claims:
        add_claim(g, article, claim)
    return g


def add_article(g: Graph, article: Article) -> URIRef:
    node = URIRef(article.iri)
    g.add((node, RDF.type, KG.Article))
    g.add((node, RDF.type, SDO.NewsArticle))
    g.add((node, SDO.text, Literal(article.text)))
    if article.title:
        g.add((node, SDO.headline, Literal(article.title)))
    if article.published:
        g.add((node, SDO.datePublished, _date(article.published)))
    if article.published_precision:
        g.add((node, KG.datePrecision, Literal(article.published_precision)))
    if article.outlet:
        outlet = URIRef(iris.entity_iri(article.outlet))
        g.add((node, SDO.publisher, outlet))
        g.add((outlet, RDF.type, KG.NewsOutlet))
        g.add((outlet, RDFS.label, Literal(article.outlet)))
    if article.author:
        g.add((node, SDO.author, Literal(article.author)))
    if article.url:
        g.add((node, SDO.url, URIRef(article.url)))
    if article.language:
        g.add((node, SDO.inLanguage, Literal(article.language)))
    if article.published_basis:
        g.add((node, KG.dateBasis, Literal(article.published_basis)))
    if article.wire:
        g.add((node, KG.originalOutlet, URIRef(iris.entity_iri(article.wire))))
    for span in article.skipped:
        add_skipped_span(g, node, span)
    if article.origin is not None:
        g.add((node, KG.fromPage, add_page(g, article.origin)))
    return node


def add_skipped_span(g: Graph, article_node: URIRef, span: Span) -> URIRef:
    """A span of boilerplate, as a Web Annotation position selector on the article's text."""
    node = URIRef(f"{article_node}/skip/{span.start}-{span.end}")
    g.add((article_node, KG.skippedSpan, node))
    g.add((node, RDF.type, KG.SkippedSpan))
    g.add((node, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    g.add((node, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    g.add((node, KG.boilerplateKind, Literal(span.kind)))
    return node


def add_page(g: Graph, origin: Origin) -> URIRef:
    """The raw page (or feed) the text came from: its digest, media type, URL, fetch time."""
    node = URIRef(iris.page_iri(origin.sha256))
    g.add((node, RDF.type, KG.WebPage))
    g.add((node, KG.sha256, Literal(origin.sha256)))
    g.add((node, SDO.encodingFormat, Literal(origin.media_type)))
    if origin.url:
        g.add((node, SDO.url, URIRef(origin.url)))
    if origin.fetched_at is not None:
        g.add((node, PROV.generatedAtTime, Literal(origin.fetched_at.isoformat(),
                                                   datatype=XSD.dateTime)))
    return node


def add_claim(g: Graph, article: Article, claim: Claim) -> URIRef:
    """One claim with its evidence, attribution, status and asserted event."""
    aid = article.id
    node = URIRef(claim.iri(aid))
    g.add((node, RDF.type, KG.Claim))
    g.add((node, PROV.wasDerivedFrom, URIRef(article.iri)))
    # An unknown status is written as a plain literal, which the shapes' sh:in then reports.
    g.add((node, KG.status, STATUS_CONCEPT.get(claim.status, Literal(claim.status))))
    if article.published:
        g.add((node, KG.reportedOn, _date(article.published)))
    if claim.confidence is not None:
        g.add((node, KG.confidence, Literal(Decimal(str(claim.confidence)), datatype=XSD.decimal)))
    for extractor in claim.generated_by:
        g.add((node, PROV.wasGeneratedBy, add_extractor(g, extractor)))
    add_evidence(g, node, article, claim)
    add_attribution(g, node, aid, claim)
    g.add((node, KG.asserts, add_event(g, node, aid, claim)))
    return node


def add_extractor(g: Graph, extractor: Extractor) -> URIRef:
    """The extraction activity: extractor name, version and, for a language model, its name."""
    node = URIRef(extractor.iri())
    g.add((node, RDF.type, KG.Extraction))
    g.add((node, RDF.type, PROV.Activity))
    g.add((node, RDFS.label, Literal(extractor.describe())))
    g.add((node, KG.extractorName, Literal(extractor.name)))
    g.add((node, KG.extractorVersion, Literal(extractor.version)))
    if extractor.model:
        g.add((node, KG.modelName, Literal(extractor.model)))
    return node


def add_evidence(g: Graph, claim_node: URIRef, article: Article, claim: Claim) -> None:
    """oa:SpecificResource -> TextQuoteSelector (exact, prefix, suffix) + TextPositionSelector."""
    evidence, quote, position = (URIRef(f"{claim_node}/{p}") for p in ("evidence", "quote", "position"))
    text = article.text
    g.add((claim_node, KG.hasEvidence, evidence))
    g.add((evidence, RDF.type, OA.SpecificResource))
    g.add((evidence, OA.hasSource, URIRef(article.iri)))
    g.add((evidence, OA.hasSelector, quote))
    g.add((evidence, OA.hasSelector, position))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(claim.quote)))
    g.add((quote, OA.prefix, Literal(text[max(0, claim.start - CONTEXT_CHARS):max(0, claim.start)])))
    g.add((quote, OA.suffix, Literal(text[claim.end:claim.end + CONTEXT_CHARS])))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(claim.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(claim.end, datatype=XSD.nonNegativeInteger)))


def add_attribution(g: Graph, claim_node: URIRef, aid: str, claim: Claim) -> None:
    """kg:claimedBy / kg:via plus prov:qualifiedAttribution with role and chain position.

    Position 0 is the claimer (absent when the claim is unattributed); channels follow from 1,
    nearest the claimer first, so positions are stable whether or not there is a claimer.
    """
    chain: list[tuple[int, Entity, URIRef]] = []
    if claim.claimed_by is None:
        g.add((claim_node, KG.unattributed, Literal(True)))
    else:
        chain.append((0, claim.claimed_by, KG.Claimer))
        g.add((claim_node, KG.unattributed, Literal(False)))
    chain += [(i, e, KG.Channel) for i, e in enumerate(claim.via, start=1)]
    for position, entity, role in chain:
        agent = add_entity(g, aid, entity)
        g.add((claim_node, KG.claimedBy if role == KG.Claimer else KG.via, agent))
        attribution = URIRef(f"{claim_node}/attribution/{position}")
        g.add((claim_node, PROV.qualifiedAttribution, attribution))
        g.add((attribution, RDF.type, PROV.Attribution))
        g.add((attribution, PROV.agent, agent))
        g.add((attribution, PROV.hadRole, role))
        g.add((attribution, KG.chainPosition, Literal(position)))


def add_event(g: Graph, claim_node: URIRef, aid: str, claim: Claim) -> URIRef:
    """The asserted event, typed by claim type, with generic and role-specific properties."""
    event = URIRef(f"{claim_node}/event")
    g.add((event, RDF.type, EVENT_CLASS.get(claim.type, KG.Event)))
    actor_role, target_role, item_role, quantity_role = ROLE_PROPERTIES.get(
        claim.type, (None, None, None, None))
    actor = add_entity(g, aid, claim.actor)
    _add_with_role(g, event, KG.actor, actor_role, actor)
    if claim.target is not None:
        _add_with_role(g, event, KG.target, target_role, add_entity(g, aid, claim.target))
    if claim.item:
        _add_with_role(g, event, KG.item, item_role, Literal(claim.item))
    if claim.quantity is not None:
        q = add_quantity(g, URIRef(f"{claim_node}/quantity"), claim.quantity)
        _add_with_role(g, event, KG.quantity, quantity_role, q)
    for kind, quantity in claim.counts.items():
        q = add_quantity(g, URIRef(f"{claim_node}/count/{kind}"), quantity)
        g.add((event, COUNT_PROPERTY[kind], q))
    if claim.event_time is not None:
        g.add((event, KG.eventTime, add_time(g, URIRef(f"{claim_node}/time"), claim.event_time)))
    for person in claim.signatories:
        g.add((event, KG.signatory, add_entity(g, aid, person)))
    if claim.location is not None:
        place = add_entity(g, aid, claim.location)
        g.add((event, KG.signingPlace if claim.type == "treaty" else KG.location, place))
    if claim.type == "treaty":
        add_treaty_roles(g, event, aid, claim)
    return event


def add_treaty_roles(g: Graph, event: URIRef, aid: str, claim: Claim) -> None:
    """The treaty a signing is about; a treaty first named here gets its parties and signatories."""
    treaty = claim.treaty or (Entity(label=claim.item, kind="Treaty") if claim.item else None)
    if treaty is None:
        return
    node = add_entity(g, aid, treaty)
    g.add((event, KG.treaty, node))
    if treaty.iri:
        return  # a reference treaty is described in the entities graph, not by one article
    for party in (claim.actor, claim.target):
        if party is not None:
            g.add((node, KG.party, URIRef(party.resolved_iri(aid))))
    for person in claim.signatories:
        g.add((node, KG.signatory, URIRef(person.resolved_iri(aid))))
    when = claim.event_time
    if when and when.earliest and when.earliest == when.latest:
        g.add((node, KG.signingDate, _date(when.earliest)))
        g.add((event, KG.signingDate, _date(when.earliest)))
    if claim.location is not None:
        g.add((node, KG.signingPlace, URIRef(claim.location.resolved_iri(aid))))


def add_entity(g: Graph, aid: str, entity: Entity) -> URIRef:
    """The entity's IRI; one first met in this article also gets type, label, role, affiliation."""
    node = URIRef(entity.resolved_iri(aid))
    if entity.iri:
        return node  # reference entity: described in the entities graph
    g.add((node, RDF.type, KG[entity.kind] if entity.kind in ENTITY_KINDS else KG.Agent))
    g.add((node, RDFS.label, Literal(entity.label)))
    if entity.role:
        g.add((node, KG.role, Literal(entity.role)))
    if entity.affiliation is not None:
        g.add((node, KG.affiliation, add_entity(g, aid, entity.affiliation)))
    return node


def add_quantity(g: Graph, node: URIRef, q: Quantity) -> URIRef:
    g.add((node, RDF.type, KG.Quantity))
    g.add((node, KG.hedge, HEDGE_CONCEPT.get(q.qualifier, KG.Vague)))
    g.add((node, KG.asWritten, Literal(q.text)))
    for prop, value in ((KG.value, q.value), (KG.lowerBound, q.lower), (KG.upperBound, q.upper)):
        if value is not None:
            g.add((node, prop, _number(value)))
    if q.unit:
        g.add((node, KG.unit, Literal(q.unit)))
    return node


def add_time(g: Graph, node: URIRef, t: TimeSpec) -> URIRef:
    g.add((node, RDF.type, KG.TimeSpec))
    g.add((node, KG.asWritten, Literal(t.text)))
    if t.normalized:
        g.add((node, KG.normalized, Literal(t.normalized)))
    for prop, day in ((KG.earliest, t.earliest), (KG.latest, t.latest), (KG.anchorDate, t.anchor)):
        if day is not None:
            g.add((node, prop, _date(day)))
    if t.rule:
        g.add((node, KG.resolutionRule, Literal(t.rule)))
    return node


def _add_with_role(g: Graph, event: URIRef, generic: URIRef, role: URIRef | None, value) -> None:
    # Both the generic property (kg:actor) and its role subproperty (kg:sendingState) are
    # written, so that queries and shapes need no inference.
    g.add((event, generic, value))
    if role is not None:
        g.add((event, role, value))


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def _number(x: float) -> Literal:
    if float(x).is_integer():
        return Literal(int(x), datatype=XSD.integer)
    return Literal(Decimal(str(x)), datatype=XSD.decimal)


# ---------------------------------------------------------------- reading back

def claims_from_graph(graph: Graph, *, labels: Graph | None = None) -> list[dict]:
    """Every kg:Claim in the graph as a FORMAT.md fact record (plus ``iri`` and ``article``).

    Entity names come from rdfs:label in ``graph``, then in ``labels`` (the reference entities:
    pass graph/entities), then from the IRI's last segment. Records are ordered by article, then offsets.
    """
    records = [claim_record(graph, c, labels=labels)
               for c in set(graph.subjects(RDF.type, KG.Claim)) if isinstance(c, URIRef)]
    return sorted(records, key=lambda r: (r.get("article") or "", r["start"], r["end"],
                                          r["type"], r["iri"]))


def claim_record(g: Graph, claim: URIRef, *, labels: Graph | None = None) -> dict:
    """One claim node as a fact record."""
    event = g.value(claim, KG.asserts)
    name = _namer(g, labels)
    exact, start, end = _selectors(g, claim)
    rec: dict = {
        "type": _event_type(g, event),
        "actor": name(g.value(event, KG.actor)),
        "target": name(g.value(event, KG.target)),
        "item": _str(g.value(event, KG.item)),
        "quantity": _quantity_record(g, g.value(event, KG.quantity)),
        "counts": _counts_record(g, event),
        "status": STATUS_OF_CONCEPT.get(g.value(claim, KG.status), _local(g.value(claim, KG.status))),
        "event_time": _str(g.value(g.value(event, KG.eventTime), KG.normalized)),
        "claimed_by": name(g.value(claim, KG.claimedBy)),
        "via": " / ".join(name(a) for a in _channels(g, claim)) or None,
        "quote": exact,
        "start": start,
        "end": end,
    }
    signatories = sorted(name(s) for s in g.objects(event, KG.signatory))
    if signatories:
        rec["signatories"] = signatories
    place = g.value(event, KG.location) or g.value(event, KG.signingPlace)
    if place is not None:
        rec["location"] = name(place)
    extractors = sorted({str(n) for a in g.objects(claim, PROV.wasGeneratedBy)
                         if (n := g.value(a, KG.extractorName)) is not None})
    if extractors:
        rec["extractor"] = extractors
    rec["iri"] = str(claim)
    article = g.value(claim, PROV.wasDerivedFrom)
    rec["article"] = str(article) if article is not None else None
    return rec


def _event_type(g: Graph, event) -> str | None:
    for cls in g.objects(event, RDF.type):
        if cls in TYPE_OF_CLASS:
            return TYPE_OF_CLASS[cls]
    return None


def _selectors(g: Graph, claim: URIRef) -> tuple[str | None, int | None, int | None]:
    exact = start = end = None
    for evidence in g.objects(claim, KG.hasEvidence):
        for sel in g.objects(evidence, OA.hasSelector):
            if (sel, RDF.type, OA.TextQuoteSelector) in g:
                exact = _str(g.value(sel, OA.exact))
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                start, end = _int(g.value(sel, OA.start)), _int(g.value(sel, OA.end))
    return exact, start, end


def _channels(g: Graph, claim: URIRef) -> list:
    """kg:via agents in chain order (by the qualified attribution's position)."""
    chain = []
    for att in g.objects(claim, PROV.qualifiedAttribution):
        if g.value(att, PROV.hadRole) == KG.Channel:
            chain.append((_int(g.value(att, KG.chainPosition)) or 0, str(g.value(att, PROV.agent))))
    if not chain:
        return sorted(g.objects(claim, KG.via))
    return [URIRef(a) for _, a in sorted(chain)]


def _quantity_record(g: Graph, node) -> dict | None:
    if node is None:
        return None
    out = {"value": _py(g.value(node, KG.value)),
           "qualifier": HEDGE_OF_CONCEPT.get(g.value(node, KG.hedge), _local(g.value(node, KG.hedge))),
           "upper": _py(g.value(node, KG.upperBound)),
           "text": _str(g.value(node, KG.asWritten))}
    lower = g.value(node, KG.lowerBound)
    if lower is not None:
        out["lower"] = _py(lower)
    return out


def _counts_record(g: Graph, event) -> dict | None:
    counts = {COUNT_OF_PROPERTY[p]: _py(g.value(q, KG.value))
              for p, q in g.predicate_objects(event) if p in COUNT_OF_PROPERTY}
    return counts or None


def _namer(g: Graph, labels: Graph | None):
    def name(node) -> str | None:
        if node is None:
            return None
        for source in (g, labels):
            if source is not None:
                label = source.value(node, RDFS.label)
                if label is not None:
                    return str(label)
        # no label anywhere: the slug, as words ("north-korea" -> "North Korea")
        return " ".join(w.capitalize() for w in str(node).rstrip("/").rsplit("/", 1)[-1].split("-"))
    return name


def _py(lit) -> int | float | None:
    if lit is None:
        return None
    value = lit.toPython()
    if isinstance(value, (Decimal, float)):
        return int(value) if float(value).is_integer() else float(value)
    return int(value) if isinstance(value, int) else value


def _int(lit) -> int | None:
    return None if lit is None else int(lit.toPython())


def _str(lit) -> str | None:
    return None if lit is None else str(lit)


def _local(node) -> str | None:
    if node is None:
        return None
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()
