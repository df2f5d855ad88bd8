"""SHACL validation: core constraints with pySHACL, SHACL-SPARQL constraints with Oxigraph.

pySHACL evaluates a SPARQL-based constraint (SHACL §5, https://www.w3.org/TR/shacl/#sparql-constraints)
once per focus node, which costs milliseconds each. Here every ``sh:SPARQLConstraint`` runs as
ONE query over an in-memory Oxigraph store: ``$this`` becomes a variable bound by the shape's
targets (§2.1.3), joined with the constraint's SELECT as a subquery. Each solution is one
validation result, with the same fields pySHACL gives (§5.3.2): focus node, ``?path``,
``?value``, the message with ``{?var}`` substituted.

Shapes come from ``shapes/*.ttl`` and the ontology from ``ontology/kg.ttl``; nothing is
fetched from the network (no ``owl:imports`` resolution).
"""

from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass, field

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from .. import resources
from ..errors import InputError, ShapeViolation

VIOLATION_KEYS = ("focus", "path", "value", "shape", "severity", "message", "constraint",
                  "source_constraint")
SHORT = {  # prefixes for the human report
    "https://w3id.org/nkru/ontology#": "kg:",
    "https://w3id.org/nkru/shapes#": "kgsh:",
    "http://www.w3.org/ns/shacl#": "sh:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/oa#": "oa:",
    "https://schema.org/": "schema:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
}


@dataclass
class Report:
    """The outcome of one validation."""

    conforms: bool
    violations: list[dict] = field(default_factory=list)
    text: str = ""
    graph: Graph = field(default_factory=Graph)


@dataclass(frozen=True)
class SparqlConstraint:
    """One sh:sparql constraint of one shape, ready to run as a single query."""

    shape: str
    constraint: str
    query: str
    message: str
    severity: str
    shape_path: str | None


# ---------------------------------------------------------------- files

def load_shapes() -> Graph:
    """Every ``shapes/*.ttl`` as one graph (a fresh copy: callers may change it)."""
    if not resources.SHAPES_DIR.is_dir():
        raise InputError("cannot find the shapes/ folder; set KG_HOME to the project folder",
                         where=str(resources.SHAPES_DIR))
    g = Graph()
    for path in sorted(resources.SHAPES_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def load_ontology() -> Graph:
    """``ontology/kg.ttl`` as a graph (a fresh copy). Its owl:imports are never followed."""
    return Graph().parse(resources.ONTOLOGY_FILE, format="turtle")


@functools.lru_cache(maxsize=1)
def _prepared() -> tuple[Graph, tuple[SparqlConstraint, ...], bytes, Graph]:
    """Core shapes (sh:sparql removed), the SPARQL constraints, the ontology (N-Triples, graph).

    Read once per process: the files do not change while it runs, and pySHACL only reads them.
    """
    shapes = load_shapes()
    constraints = tuple(sparql_constraints(shapes))
    core = Graph()
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns)
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    ontology = load_ontology()
    return core, constraints, ontology.serialize(format="nt", encoding="utf-8"), ontology


# ---------------------------------------------------------------- SPARQL constraints

def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    """Each (shape, sh:sparql) pair as a query with the shape's targets bound to ``?this``."""
    out = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql)):
        if (node, SH.deactivated, Literal(True)) in shapes or (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        select = shapes.value(node, SH.select)
        if select is None:
            raise InputError("sh:SPARQLConstraint has no sh:select", where=str(node))
        if calls_service(prefix_block(shapes, node) + str(select)):
            raise InputError("a SHACL-SPARQL constraint may not use SERVICE: validation never "
                             "reaches the network", where=str(node))
        targets = target_patterns(shapes, shape)
        if not targets:
            continue
        shape_path = shapes.value(shape, SH.path)
        message = shapes.value(node, SH.message) or shapes.value(shape, SH.message) or ""
        severity = shapes.value(shape, SH.severity) or SH.Violation
        out.append(SparqlConstraint(
            shape=str(shape), constraint=str(node),
            query=targeted_query(prefix_block(shapes, node), str(select), targets),
            message=str(message), severity=str(severity),
            shape_path=str(shape_path) if isinstance(shape_path, URIRef) else None))
    return out


def calls_service(query: str) -> bool:
    """Whether a query has a SERVICE clause (tokenized, so words in strings do not count)."""
    from ..sparqltext import SparqlText

    return bool(SparqlText(query).services())


def prefix_block(shapes: Graph, constraint) -> str:
    """PREFIX lines from the sh:declare of every ontology named by the constraint's sh:prefixes."""
    lines = []
    for ontology in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(ontology, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(lines)))


def target_patterns(shapes: Graph, shape) -> list[str]:
    """SPARQL patterns that bind ``?this`` to the shape's focus nodes (SHACL §2.1.3)."""
    patterns = []
    nodes = [n for n in shapes.objects(shape, SH.targetNode)]
    if nodes:
        patterns.append("VALUES ?this { " + " ".join(_sparql_term(n) for n in nodes) + " }")
    for cls in shapes.objects(shape, SH.targetClass):
        patterns.append(f"?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> .")
    if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
        patterns.append(f"?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{shape}> .")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        patterns.append(f"?this <{prop}> ?__target_o .")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        patterns.append(f"?__target_s <{prop}> ?this .")
    return patterns


def targeted_query(prefixes: str, select: str, targets: list[str]) -> str:
    """The constraint's SELECT as a subquery, joined with the union of the target patterns."""
    inner = re.sub(r"\$this\b", "?this", select.strip())
    union = " UNION ".join("{ SELECT DISTINCT ?this WHERE { " + t + " } }" for t in targets)
    return f"{prefixes}\nSELECT * WHERE {{\n  {union}\n  {{ {inner} }}\n}}"


def run_sparql_constraints(store: ox.Store, constraints: tuple[SparqlConstraint, ...]) -> list[dict]:
    """One query per constraint over the whole store; one violation dict per solution."""
    out = []
    for c in constraints:
        solutions = store.query(c.query)
        variables = solutions.variables
        for row in solutions:
            values = {v.value: row[v] for v in variables if row[v] is not None}
            path = values.get("path")
            out.append({
                "focus": _ox_str(values.get("this")),
                "path": _ox_str(path) if path is not None else c.shape_path,
                "value": _ox_str(values.get("value", values.get("this"))),
                "shape": c.shape,
                "severity": c.severity,
                "message": fill_message(c.message, values),
                "constraint": str(SH.SPARQLConstraintComponent),
                "source_constraint": c.constraint,
            })
    return out


def fill_message(template: str, values: dict) -> str:
    """``{?value}`` / ``{$this}`` in a message -> the bound value (SHACL §5.3.2)."""
    def repl(m: re.Match) -> str:
        term = values.get(m.group(1))
        return "(none)" if term is None else _ox_display(term)
    return re.sub(r"\{[?$](\w+)\}", repl, template)


# ---------------------------------------------------------------- validation

def validate(data: Graph, *, extra: Graph | None = None) -> Report:
    """Validate ``data`` against the shapes, with the ontology and ``extra`` as context.

    ``extra`` (e.g. the ontology and reference entities) is visible to the constraints (types
    for sh:class, texts for the SPARQL checks) but its own nodes are not validated.
    Warnings and infos are listed but do not break conformance; violations do.
    """
    core, constraints, ontology_nt, ontology = _prepared()
    # pySHACL reads a focus node in another scheme (``x:y``) as a CURIE and fails on it.
    focus = {s for s in data.subjects() if isinstance(s, URIRef)
             and str(s).lower().startswith(("http:", "https:", "urn:", "file:"))}
    if not focus:
        extra = None  # nothing of its own to check (and pySHACL reads no focus nodes as "all")
    # One working copy: data + ontology + context. (pySHACL's ont_graph would clone the data
    # and copy only the ontology's axioms, not the context's instances.) Only the data's own
    # nodes are focus nodes: the ontology and the reference entities are context, not checked
    # again with every article.
    target = Graph()
    target += data
    target += ontology
    if extra is not None:
        target += extra
    _, report_graph, _ = pyshacl.validate(
        target, shacl_graph=core, inference="none", advanced=False, inplace=True,
        abort_on_first=False, allow_infos=True, allow_warnings=True, meta_shacl=False,
        do_owl_imports=False, focus_nodes=sorted(focus) or None)
    violations = [_result_dict(report_graph, r)
                  for r in report_graph.subjects(RDF.type, SH.ValidationResult)]
    if constraints:
        store = ox.Store()
        store.load(ontology_nt, format=ox.RdfFormat.N_TRIPLES)
        store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        if extra is not None:
            store.load(_ntriples(extra), format=ox.RdfFormat.N_TRIPLES)
        sparql = [v for v in run_sparql_constraints(store, constraints)
                  if URIRef(v["focus"]) in focus]
        for v in sparql:
            _add_result(report_graph, v)
        violations += sparql
    violations.sort(key=lambda v: (v["focus"] or "", v["path"] or "", v["shape"], v["constraint"]))
    conforms = not any(v["severity"] == str(SH.Violation) for v in violations)
    _set_conforms(report_graph, conforms)
    return Report(conforms=conforms, violations=violations,
                  text=report_text(conforms, violations), graph=report_graph)


# The same context graph (ontology + reference entities) comes with every article of a build;
# serialize it once per graph object, not once per article.
_NT_CACHE: "weakref.WeakKeyDictionary[Graph, tuple[int, bytes]]" = weakref.WeakKeyDictionary()


def _ntriples(graph: Graph) -> bytes:
    cached = _NT_CACHE.get(graph)
    if cached is None or cached[0] != len(graph):
        cached = (len(graph), graph.serialize(format="nt", encoding="utf-8"))
        _NT_CACHE[graph] = cached
    return cached[1]


def check(data: Graph, *, extra: Graph | None = None, where: str | None = None) -> Report:
    """Validate and raise ``ShapeViolation`` (naming focus node, path and shape) unless it conforms."""
    report = validate(data, extra=extra)
    if not report.conforms:
        first = next(v for v in report.violations if v["severity"] == str(SH.Violation))
        count = sum(v["severity"] == str(SH.Violation) for v in report.violations)
        message = (f"{count} SHACL violation(s); first: {_short(first['focus'])} "
                   f"{_short(first['path'])}: {first['message']} (shape {_short(first['shape'])})")
        err = ShapeViolation(message, violations=report.violations, report_text=report.text)
        err.where = where
        raise err
    return report


def report_text(conforms: bool, violations: list[dict]) -> str:
    """A report a person can read: one line per result, prefixed names, the fix in the message."""
    if not violations:
        return "Conforms: the graph satisfies every shape."
    head = "Conforms (with warnings)." if conforms else f"Does not conform: {len(violations)} result(s)."
    lines = [head]
    for v in violations:
        severity = v["severity"].rsplit("#", 1)[-1]
        where = _short(v["focus"]) + (f" {_short(v['path'])}" if v["path"] else "")
        value = f" [value: {_short(v['value'])}]" if v["value"] not in (None, v["focus"]) else ""
        lines.append(f"- {severity} at {where}{value}: {v['message']} "
                     f"(shape {_short(v['shape'])}, {_short(v['constraint'])})")
    return "\n".join(lines)


def _result_dict(g: Graph, result) -> dict:
    messages = [str(m) for m in g.objects(result, SH.resultMessage)]
    value = g.value(result, SH.value)
    return {
        "focus": _term_str(g.value(result, SH.focusNode)),
        "path": path_str(g, g.value(result, SH.resultPath)),
        "value": _term_str(value),
        "shape": _term_str(g.value(result, SH.sourceShape)),
        "severity": _term_str(g.value(result, SH.resultSeverity)),
        "message": messages[0] if messages else "",
        "constraint": _term_str(g.value(result, SH.sourceConstraintComponent)),
        "source_constraint": _term_str(g.value(result, SH.sourceConstraint)),
    }


def path_str(g: Graph, path) -> str | None:
    """A SHACL path as text: the IRI for a predicate path, SPARQL property-path syntax otherwise."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    return _sparql_path(g, path)


def _sparql_path(g: Graph, path) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in g:
        return "(" + "/".join(_sparql_path(g, p) for p in Collection(g, path)) + ")"
    for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                      (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = g.value(path, prop)
        if inner is not None:
            return fmt.format(_sparql_path(g, inner))
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_sparql_path(g, p) for p in Collection(g, alternatives)) + ")"
    return str(path)


def _add_result(g: Graph, v: dict) -> None:
    result = BNode()
    report = g.value(predicate=RDF.type, object=SH.ValidationReport)
    if report is not None:
        g.add((report, SH.result, result))
    g.add((result, RDF.type, SH.ValidationResult))
    g.add((result, SH.focusNode, URIRef(v["focus"])))
    if v["path"]:
        g.add((result, SH.resultPath, URIRef(v["path"])))
    if v["value"] is not None:
        g.add((result, SH.value, Literal(v["value"])))
    g.add((result, SH.sourceShape, URIRef(v["shape"])))
    g.add((result, SH.resultSeverity, URIRef(v["severity"])))
    g.add((result, SH.resultMessage, Literal(v["message"])))
    g.add((result, SH.sourceConstraintComponent, URIRef(v["constraint"])))
    g.add((result, SH.sourceConstraint, URIRef(v["source_constraint"])))


def _set_conforms(g: Graph, conforms: bool) -> None:
    report = g.value(predicate=RDF.type, object=SH.ValidationReport)
    if report is not None:
        g.set((report, SH.conforms, Literal(conforms, datatype=XSD.boolean)))


def _sparql_term(term) -> str:
    return term.n3()


def _term_str(term) -> str | None:
    if term is None:
        return None
    return str(term)


def _ox_str(term) -> str | None:
    if term is None:
        return None
    return term.value


def _ox_display(term) -> str:
    if isinstance(term, ox.Literal):
        if term.language or term.datatype.value == str(XSD.string):
            return f'"{term.value}"'
        return term.value
    return f"<{term.value}>" if isinstance(term, ox.NamedNode) else str(term)


def _short(s: str | None) -> str:
    """Full IRIs -> prefixed names where a prefix is known (for the human report)."""
    if s is None:
        return "(none)"
    bracketed = re.sub(r"<([^<>]+)>", lambda m: _qname(m.group(1), bracket=True), s)
    return bracketed if bracketed != s else _qname(s, bracket=False)


def _qname(iri: str, *, bracket: bool) -> str:
    for ns, prefix in SHORT.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return f"<{iri}>" if bracket else iri
