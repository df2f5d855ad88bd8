"""``/reconcile``: the W3C Entity Reconciliation Community Group API, version 0.2.

https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/ — so that
OpenRefine users can reconcile a spreadsheet's names against this graph's entities, and add
columns from the reconciled values.

* ``GET /reconcile``: the service manifest (§3): name, identifierSpace, schemaSpace,
  defaultTypes, view, preview, suggest (entities, properties, types) and extend (property
  proposals and settings). ``callback`` wraps any JSON answer as JSONP (§2.3).
* ``GET|POST /reconcile`` with ``queries``: a JSON object of queries (§4.1), each with
  ``query``, optional ``type`` (a class local name such as ``State``, or its IRI; subclasses
  count), ``type_strict`` (``any``, the default: one of the types; ``all``: every type;
  ``should``: the types are preferred, candidates of other types score lower), ``limit`` and
  ``properties`` (``pid``: one of ``PROPERTIES`` or a property IRI; ``v``: an entity id, a
  label, a Wikidata id, or ``{"id": …}``). Answers ``{key: {"result": [candidate]}}``, each
  candidate with ``id``, ``name``, ``type``, ``score`` (0–100), ``match`` (§4.2).
* ``GET|POST /reconcile`` with ``extend``: data extension (§5): ``{"ids": […],
  "properties": [{"id": …, "settings": {"limit": n}}]}`` answers ``meta`` and ``rows``: the
  Wikidata id, types, label, aliases, description, affiliation, part of, and claim counts.
  ``GET /reconcile/properties?type=…&limit=…``: the properties proposed for a type.
* ``GET /reconcile/preview?id=…``: an HTML card for one entity (§6.3).
* ``GET /reconcile/suggest/entity|property|type?prefix=…``: auto-completion (§6).

Scoring: the name's similarity to the query (an alias counts 95 % of a label). Properties the
service knows (``PROPERTIES`` and the IRIs of properties its entities have) weigh 20 %: each
one that agrees raises the score, each that disagrees lowers it; a property it does not know
is ignored. ``match`` is true for the one candidate whose label is the query (compared without
case, accents or punctuation), even when another entity has the query as an alias; failing
that (among the candidates of the type asked for), for the one candidate that has it as an
alias; never when a known property disagrees, or when the candidate is not of the type asked
for (``type_strict: "should"`` lists such candidates, but does not match them).

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
from flask import Blueprint, Response, current_app, jsonify, render_template, request

from .. import iris
from ..store import claim_index
from ..errors import InputError, KGError
from . import get_store
from .limits import get_limits

bp = Blueprint("reconcile", __name__)

ENTITY_SPACE = iris.ID + "entity/"
WIKIDATA = "http://www.wikidata.org/entity/"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
KG_WIKIDATA_ID = iris.ONTOLOGY + "wikidataId"
DEFAULT_LIMIT = 5
MAX_LIMIT = 100
MAX_QUERIES = 500
MAX_IDS = 500
DEFAULT_TYPES = ("State", "Person", "Organization", "GovernmentBody", "ArmedForce",
                 "NewsOutlet", "Region", "City", "Treaty")
TYPE_STRICT = ("any", "all", "should")
SHOULD_PENALTY = 0.8      # a candidate not of the preferred type keeps 80 % of its score
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")


@dataclass(frozen=True)
class Property:
    """A property the service knows, for scoring, data extension and suggest."""

    id: str
    name: str
    description: str
    iris: tuple[str, ...] = ()       # the RDF properties whose values it compares / gives
    entity: bool = False             # values are entities of this service
    reconcile: bool = True           # may refine a reconciliation query


PROPERTIES = {p.id: p for p in (
    Property("wikidata", "Wikidata ID", "The Wikidata item (Q…) the entity is linked to",
             (OWL_SAME_AS, KG_WIKIDATA_ID)),
    Property("type", "Type", "The entity's classes in the ontology", reconcile=False),
    Property("label", "Label", "The entity's name", reconcile=False),
    Property("aliases", "Aliases", "Other names of the entity", reconcile=False),
    Property("description", "Description", "Role or description", reconcile=False),
    Property("affiliation", "Affiliation", "The state or body a person or organization belongs to",
             (iris.ONTOLOGY + "affiliation",), entity=True),
    Property("partOf", "Part of", "The state or region a place is part of",
             (iris.ONTOLOGY + "partOf",), entity=True),
    Property("country", "Country", "The state a place is part of, or a person or body belongs to",
             (iris.ONTOLOGY + "partOf", iris.ONTOLOGY + "affiliation"), entity=True),
    Property("claim_count", "Claims", "Claims that involve the entity in any role", reconcile=False),
    Property("actor_claims", "Claims as actor", "Claims whose event the entity does", reconcile=False),
    Property("target_claims", "Claims as target", "Claims whose event is aimed at the entity",
             reconcile=False),
    Property("claimer_claims", "Claims made", "Claims the entity asserts", reconcile=False),
    Property("via_claims", "Claims relayed", "Claims the entity relays as outlet or agency",
             reconcile=False),
)}
_COUNTS = {"claim_count": None, "actor_claims": "actors", "target_claims": "targets",
           "claimer_claims": "claimers", "via_claims": "vias"}

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
  UNION { ?e skos:altLabel ?o BIND(skos:altLabel AS ?p) }
  UNION { ?e kg:role ?o BIND(kg:role AS ?p) }
  UNION { ?e kg:wikidataId ?o BIND(kg:wikidataId AS ?p) }
  UNION { ?e ?p ?o FILTER(isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)
          OPTIONAL { ?o rdfs:label ?oLabel } }
}"""
CLASSES = PREFIXES + """
SELECT ?c ?sup ?label ?comment WHERE {
  ?c rdfs:subClassOf* ?sup FILTER(isIRI(?c) && STRSTARTS(STR(?c), STR(kg:)))
  OPTIONAL { ?c rdfs:label ?label }
  OPTIONAL { ?c rdfs:comment ?comment }
}"""
PREDICATES = f"""SELECT DISTINCT ?p WHERE {{
  ?e ?p ?o FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{ENTITY_SPACE}"))
}}"""


@dataclass
class Candidate:
    iri: str
    names: dict[str, bool] = field(default_factory=dict)    # name -> is it the label
    label: str | None = None
    aliases: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    role: str | None = None
    values: dict[str, set[str]] = field(default_factory=dict)  # property IRI -> ids and labels
    refs: dict[str, dict[str, str | None]] = field(default_factory=dict)  # property -> IRI -> label
    wikidata: list[str] = field(default_factory=list)
    score: float = 0.0
    typed: bool = True          # of the type asked for
    contradicted: bool = False  # a known property disagrees

    @property
    def id(self) -> str:
        return self.iri[len(ENTITY_SPACE):]


@bp.errorhandler(KGError)
def kg_error(err: KGError):
    return _answer(err.to_json(), status=err.http_status)


@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile():
    if request.is_json:
        get_limits().check_nesting(request.get_data(cache=True), syntax="json")
    body = request.get_json(silent=True) if request.is_json else None
    body = body if isinstance(body, dict) else {}
    raw_extend = request.values.get("extend")
    if raw_extend is None and "extend" in body:
        raw_extend = json.dumps(body["extend"])
    if raw_extend is not None:
        return _answer(_Index(get_store(current_app)).extend(_extend_query(raw_extend)))
    raw = request.values.get("queries")
    if raw is None and "queries" in body:
        raw = json.dumps(body["queries"])
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
    prefix, cursor = _prefix_and_cursor()
    index = _Index(get_store(current_app))
    found = index.suggest(prefix)
    return _answer({"result": [
        {"id": c.id, "name": c.label or c.id,
         "description": c.role or ", ".join(index.type_names(c)),
         "notable": [{"id": _local(t), "name": index.class_labels.get(t, _local(t))}
                     for t in c.types]}
        for c in found[cursor:cursor + DEFAULT_LIMIT * 2]]})


@bp.get("/reconcile/suggest/property")
def suggest_property():
    prefix, cursor = _prefix_and_cursor()
    want = _norm(prefix)
    found = [p for p in PROPERTIES.values()
             if _norm(p.id).startswith(want) or any(w.startswith(want) for w in _norm(p.name).split())
             or _norm(p.name).startswith(want)]
    return _answer({"result": [{"id": p.id, "name": p.name, "description": p.description}
                               for p in found[cursor:cursor + DEFAULT_LIMIT * 2]]})


@bp.get("/reconcile/suggest/type")
def suggest_type():
    prefix, cursor = _prefix_and_cursor()
    index = _Index(get_store(current_app))
    want = _norm(prefix)
    found = sorted((c for c in index.supers
                    if _norm(_local(c)).startswith(want)
                    or any(w.startswith(want) for w in _norm(index.class_labels.get(c, "")).split())),
                   key=lambda c: (not _norm(_local(c)).startswith(want), _local(c)))
    return _answer({"result": [index.type_object(c) for c in found[cursor:cursor + DEFAULT_LIMIT * 2]]})


@bp.get("/reconcile/properties")
def propose_properties():
    """Data extension: the properties to offer for a type (§5.1)."""
    kind = request.args.get("type")
    try:
        limit = int(request.args.get("limit", len(PROPERTIES)))
    except ValueError:
        raise InputError("limit must be a whole number", where="limit") from None
    index = _Index(get_store(current_app))
    props = [p for p in PROPERTIES.values() if index.applies(p, kind)]
    out = {"properties": [{"id": p.id, "name": p.name, "description": p.description}
                          for p in props[:max(0, limit)]],
           "limit": limit}
    if kind:
        out["type"] = kind
    return _answer(out)


@bp.get("/reconcile/preview")
def preview():
    """An HTML card for one entity, for OpenRefine's preview pane (§6.3)."""
    entity_id = (request.args.get("id") or "").strip()
    if not entity_id:
        raise InputError("give the entity's id as id", where="id")
    index = _Index(get_store(current_app))
    c = index.entity(entity_id)
    if c is None:
        return Response(render_template("not_found.html",
                                        message=f"no entity {entity_id!r}"), status=404)
    counts = index.counts(c.iri)
    return render_template("reconcile_preview.html", c=c, types=index.type_names(c),
                           counts=counts, wikidata=c.wikidata[0] if c.wikidata else None,
                           href=request.url_root + "id/entity/" + c.id)


def manifest() -> dict:
    root = request.url_root
    service = root.rstrip("/") + "/reconcile"
    return {
        "versions": ["0.2"],
        "name": "NK–RU military cooperation knowledge graph",
        "identifierSpace": ENTITY_SPACE,
        "schemaSpace": iris.ONTOLOGY,
        "documentation": root + "openapi.json",
        "defaultTypes": [{"id": t, "name": _split_camel(t)} for t in DEFAULT_TYPES],
        "view": {"url": root + "id/entity/{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", "width": 400, "height": 140},
        "suggest": {kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
                    for kind in ("entity", "property", "type")},
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/properties"},
            "property_settings": [{
                "type": "number", "name": "limit", "label": "Limit", "default": 0,
                "help_text": "The most values to give for each entity (0: all of them)"}],
        },
        "batchSize": 50,
    }


def _prefix_and_cursor() -> tuple[str, int]:
    prefix = (request.args.get("prefix") or "").strip()
    if not prefix:
        raise InputError("give the start of a name as prefix", where="prefix")
    raw = request.args.get("cursor", "0")
    if not raw.isdigit():
        raise InputError("cursor must be a whole number, 0 or more", where="cursor")
    return prefix, int(raw)


# ---------------------------------------------------------------- queries


@dataclass
class Query:
    key: str
    text: str
    types: list[str]
    limit: int
    properties: list[tuple[str, list[str]]]
    type_strict: str = "any"


def _query(key: str, q) -> Query:
    if isinstance(q, str):
        q = {"query": q}
    if not isinstance(q, dict) or not isinstance(q.get("query"), str) or not q["query"].strip():
        raise InputError("each query needs a non-empty string 'query'", where=f"queries.{key}")
    types = q.get("type") or []
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise InputError("type must be a class name or a list of them", where=f"queries.{key}.type")
    strict = q.get("type_strict", "any")
    if strict not in TYPE_STRICT:
        raise InputError(f"type_strict must be one of {', '.join(TYPE_STRICT)}",
                         where=f"queries.{key}.type_strict")
    limit = q.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InputError("limit must be a positive whole number", where=f"queries.{key}.limit")
    props = []
    for p in q.get("properties") or []:
        if not isinstance(p, dict) or not isinstance(p.get("pid"), str) or "v" not in p:
            raise InputError("each property needs 'pid' and 'v'", where=f"queries.{key}.properties")
        values = p["v"] if isinstance(p["v"], list) else [p["v"]]
        values = [v.get("id") if isinstance(v, dict) else v for v in values]
        props.append((p["pid"], [_norm(_qid(str(v))) for v in values if v is not None]))
    return Query(key, q["query"].strip(), [_class_iri(t) for t in types], min(limit, MAX_LIMIT),
                 props, strict)


def _extend_query(raw: str) -> dict:
    try:
        q = json.loads(raw)
    except ValueError as err:
        raise InputError(f"extend is not JSON: {err}", where="extend") from None
    if not isinstance(q, dict) or not isinstance(q.get("ids"), list) \
            or not all(isinstance(i, str) for i in q["ids"]) or len(q["ids"]) > MAX_IDS:
        raise InputError(f"extend needs 'ids', a list of at most {MAX_IDS} entity ids",
                         where="extend.ids")
    props = q.get("properties")
    if not isinstance(props, list) or not all(isinstance(p, dict) and isinstance(p.get("id"), str)
                                              for p in props):
        raise InputError("extend needs 'properties', a list of {\"id\": …}",
                         where="extend.properties")
    return q


class _Index:
    """Candidate lookup, scoring and extension over one store, for one request."""

    def __init__(self, store) -> None:
        self.store = store
        self.supers: dict[str, set[str]] = {}
        self.class_labels: dict[str, str] = {}
        self.class_comments: dict[str, str] = {}
        for row in store.query(CLASSES):
            self.supers.setdefault(row["c"].value, set()).add(row["sup"].value)
            if row["label"] is not None:
                self.class_labels[row["c"].value] = row["label"].value
            if row["comment"] is not None:
                self.class_comments[row["c"].value] = row["comment"].value
        self._predicates: set[str] | None = None

    @property
    def predicates(self) -> set[str]:
        """The properties the entities have: a query's property IRI is known if among them."""
        if self._predicates is None:
            self._predicates = {row["p"].value for row in self.store.query(PREDICATES)}
        return self._predicates

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

    def entity(self, entity_id: str) -> Candidate | None:
        iri = entity_id if entity_id.startswith(ENTITY_SPACE) else ENTITY_SPACE + entity_id
        try:
            c = Candidate(ox.NamedNode(iri).value)
        except ValueError:
            return None
        self._describe(c)
        return c if c.label or c.types else None

    def _describe(self, c: Candidate) -> None:
        for row in self.store.query(DESCRIBE, bindings={"e": ox.NamedNode(c.iri)}):
            p, o = row["p"].value, row["o"].value
            if p.endswith("22-rdf-syntax-ns#type"):
                if o.startswith(iris.ONTOLOGY) and o not in c.types:
                    c.types.append(o)
            elif p.endswith("rdf-schema#label"):
                c.label = c.label or o
                c.names.setdefault(o, True)
            elif p.endswith("core#altLabel"):
                if o not in c.aliases:
                    c.aliases.append(o)
                c.names.setdefault(o, False)
            elif p == iris.ONTOLOGY + "role":
                c.role = o
            else:
                if p in (OWL_SAME_AS, KG_WIKIDATA_ID):
                    qid = _qid(o)
                    if re.fullmatch(r"Q[0-9]+", qid) and qid not in c.wikidata:
                        c.wikidata.append(qid)
                vals = c.values.setdefault(p, set())
                vals.add(_norm(_qid(o)))
                if o.startswith(ENTITY_SPACE):
                    vals.add(_norm(o[len(ENTITY_SPACE):]))
                    label = row["oLabel"].value if row["oLabel"] is not None else None
                    c.refs.setdefault(p, {})[o] = c.refs.get(p, {}).get(o) or label
                if row["oLabel"] is not None:
                    vals.add(_norm(row["oLabel"].value))
        c.wikidata.sort()

    def reconcile(self, q: Query) -> list[dict]:
        found = []
        for c in self.candidates(q.text).values():
            c.typed = self._has_type(c, q.types, "any" if q.type_strict == "should" else q.type_strict)
            if c.typed or q.type_strict == "should":
                found.append(c)
        for c in found:
            c.score = self._score(c, q)
        found.sort(key=lambda c: (-c.score, c.label or c.id))
        found = [c for c in found if c.score > 0][:q.limit]
        matched = self._match(found, q)
        return [{"id": c.id, "name": c.label or c.id,
                 "type": [{"id": _local(t), "name": self.class_labels.get(t, _local(t))}
                          for t in c.types],
                 "score": c.score, "match": c is matched,
                 **({"description": c.role} if c.role else {})}
                for c in found]

    def _match(self, found: list[Candidate], q: Query) -> Candidate | None:
        """The one candidate that is certainly meant: its label is the query (or, if no
        candidate's label is, its alias), it is of the type asked for and no known property
        disagrees."""
        target = _norm(q.text)
        eligible = [c for c in found if c.typed and not c.contradicted]
        for as_label in (True, False):
            exact = [c for c in eligible
                     if any(_norm(n) == target for n, is_label in c.names.items()
                            if is_label == as_label)]
            if as_label and not exact:
                # an alias counts only if no candidate of the type asked for has the query as
                # its label (whatever its properties say)
                if any(_norm(n) == target for c in found if c.typed
                       for n, lab in c.names.items() if lab):
                    return None
                continue
            return exact[0] if len(exact) == 1 else None
        return None

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

    def type_object(self, cls: str) -> dict:
        out = {"id": _local(cls), "name": self.class_labels.get(cls, _local(cls))}
        if cls in self.class_comments:
            out["description"] = self.class_comments[cls]
        broader = sorted(s for s in self.supers.get(cls, ()) if s != cls and s.startswith(iris.ONTOLOGY)
                         and self._direct(cls, s))
        if broader:
            out["broader"] = [{"id": _local(b), "name": self.class_labels.get(b, _local(b))}
                              for b in broader]
        return out

    def _direct(self, cls: str, sup: str) -> bool:
        """Is ``sup`` an immediate superclass of ``cls`` (no class in between)?"""
        return not any(mid not in (cls, sup) and sup in self.supers.get(mid, ())
                       for mid in self.supers.get(cls, ()))

    def applies(self, prop: Property, kind: str | None) -> bool:
        """Does a property apply to entities of class ``kind`` (a local name or IRI)?"""
        if not kind or prop.id not in ("affiliation", "partOf", "country"):
            return True
        reached = self.supers.get(_class_iri(kind), {_class_iri(kind)})
        place = iris.ONTOLOGY + "Place" in reached
        if prop.id == "partOf":
            return place
        if prop.id == "affiliation":
            return not place and iris.ONTOLOGY + "State" not in reached
        return iris.ONTOLOGY + "State" not in reached

    def _has_type(self, c: Candidate, wanted: list[str], strict: str) -> bool:
        if not wanted:
            return True
        reached = set(c.types).union(*(self.supers.get(t, set()) for t in c.types))
        if strict == "all":
            return set(wanted) <= reached
        return bool(reached & set(wanted))

    def _known(self, pid: str) -> tuple[str, ...]:
        """The RDF properties a query's pid compares, or () for a pid the service does not
        know (ignored)."""
        prop = PROPERTIES.get(pid)
        if prop is not None:
            return prop.iris if prop.reconcile else ()
        return (pid,) if pid in self.predicates else ()

    def _score(self, c: Candidate, q: Query) -> float:
        target = _norm(q.text)
        name = max((_similarity(target, _norm(n)) * (1.0 if is_label else 0.95)
                    for n, is_label in c.names.items()), default=0.0)
        known = [(self._known(pid), values) for pid, values in q.properties]
        known = [(props, values) for props, values in known if props]
        score = name
        if known:
            hits = 0
            for props, values in known:
                have = set().union(*(c.values.get(p, set()) for p in props))
                if set(values) & have:
                    hits += 1
                else:
                    c.contradicted = True
            score = 0.8 * name + 0.2 * hits / len(known)
        if not c.typed:
            score *= SHOULD_PENALTY
        return round(100 * score, 1)

    # -- data extension ---------------------------------------------------------------------

    def counts(self, iri: str) -> dict[str, int]:
        views = claim_index.of(self.store).views()
        rows = views.by_entity.get(iri, ())
        return {key: len(rows) if field_name is None
                else sum(1 for r in rows if iri in getattr(r, field_name))
                for key, field_name in _COUNTS.items()}

    def extend(self, q: dict) -> dict:
        props = [p for p in q["properties"]]
        meta = []
        for p in props:
            known = PROPERTIES.get(p["id"])
            entry = {"id": p["id"], "name": known.name if known else p["id"]}
            if known is not None and known.id == "country":
                entry["type"] = {"id": "State", "name": "state"}
            meta.append(entry)
        rows = {}
        for entity_id in q["ids"]:
            c = self.entity(entity_id)
            row = {}
            counts = self.counts(c.iri) if c is not None else {}
            for p in props:
                values = [] if c is None else self._values(c, p["id"], counts)
                limit = (p.get("settings") or {}).get("limit")
                try:
                    limit = int(limit) if limit not in (None, "") else 0
                except (TypeError, ValueError):
                    raise InputError(f"the limit setting of {p['id']} must be a whole number",
                                     where="extend.properties") from None
                row[p["id"]] = values[:limit] if limit > 0 else values
            rows[entity_id] = row
        return {"meta": meta, "rows": rows}

    def _values(self, c: Candidate, pid: str, counts: dict[str, int]) -> list[dict]:
        """The values of one property of one entity, as the extension response writes them."""
        if pid == "wikidata":
            return [{"str": q} for q in c.wikidata]
        if pid == "type":
            return [{"str": self.class_labels.get(t, _local(t))} for t in c.types]
        if pid == "label":
            return [{"str": c.label}] if c.label else []
        if pid == "aliases":
            return [{"str": a} for a in sorted(c.aliases)]
        if pid == "description":
            return [{"str": c.role}] if c.role else []
        if pid in _COUNTS:
            return [{"int": counts.get(pid, 0)}]
        prop = PROPERTIES.get(pid)
        targets = prop.iris if prop is not None else (pid,)
        out = []
        for p in targets:
            for iri, label in sorted(c.refs.get(p, {}).items()):
                if iri.startswith(ENTITY_SPACE) and not any(v.get("id") == iri[len(ENTITY_SPACE):] for v in out):
                    out.append({"id": iri[len(ENTITY_SPACE):], "name": label or iri[len(ENTITY_SPACE):]})
        return out


# ---------------------------------------------------------------- text


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _qid(value: str) -> str:
    """A Wikidata IRI as its QID; anything else as it is."""
    return value[len(WIKIDATA):] if value.startswith(WIKIDATA) else value


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
    return response   # CORS headers: ``cors`` (OpenRefine runs in a browser)
