"""SHACL shapes as data: every tests/data/shapes/bad-*.ttl breaks one constraint.

Each case file says in comments what it breaks (``# breaks:``) and which results it must give
(``# expect: focus path shape constraint [sparql-constraint]``, prefixed names from the file,
``-`` for no path). The results must be exactly those: a shape that over-reports fails too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from graph_service.validation import shapes
from graph_service.errors import ShapeViolation

DATA = Path(__file__).parent / "data" / "shapes"
CASES = sorted(DATA.glob("bad-*.ttl"))


def expand(token: str, g: rdflib.Graph, *, bracket: bool = False) -> str | None:
    """A prefixed name (or a path written with them) -> the IRI text ``validate`` reports."""
    if token == "-":
        return None
    if re.fullmatch(r"[\w-]*:[\w-]+", token):
        iri = str(g.namespace_manager.expand_curie(token))
        return f"<{iri}>" if bracket else iri
    return re.sub(r"[\w-]*:[\w-]+", lambda m: expand(m.group(0), g, bracket=True), token)


def expected(path: Path, g: rdflib.Graph) -> set[tuple]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            focus, rpath, shape, constraint, *source = line.split(":", 1)[1].split()
            out.add((expand(focus, g), expand(rpath, g), expand(shape, g), expand(constraint, g),
                     expand(source[0], g) if source else None))
    return out


def found(report: shapes.Report) -> set[tuple]:
    return {(v["focus"], v["path"], v["shape"], v["constraint"],
             v["source_constraint"] if v["constraint"] == str(SH.SPARQLConstraintComponent) else None)
            for v in report.violations}


def test_good_graph_conforms():
    report = shapes.validate(rdflib.Graph().parse(DATA / "good.ttl"))
    assert report.conforms, report.text
    assert report.violations == []


def test_every_case_says_what_it_breaks():
    assert len(CASES) >= 30
    for path in CASES:
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith("# breaks: "), path.name
        assert any(line.startswith("# expect: ") for line in head), path.name


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_graph(path: Path):
    g = rdflib.Graph().parse(path)
    report = shapes.validate(g)
    assert not report.conforms
    assert found(report) == expected(path, g), report.text
    for v in report.violations:
        assert v["message"] and v["severity"] == str(SH.Violation)


def test_check_raises_with_focus_path_and_shape():
    g = rdflib.Graph().parse(DATA / "bad-transfer-no-supplier.ttl")
    with pytest.raises(ShapeViolation) as err:
        shapes.check(g)
    (v,) = err.value.violations
    assert v["focus"].endswith("/transfer") and v["path"].endswith("#supplier")
    assert "kgsh:Transfer-supplier" in str(err.value)
    assert err.value.to_json()["conforms"] is False


def test_report_graph_and_text_carry_sparql_results():
    report = shapes.validate(rdflib.Graph().parse(DATA / "bad-quote-not-at-offsets.ttl"))
    results = list(report.graph.subjects(rdflib.RDF.type, SH.ValidationResult))
    assert len(results) == len(report.violations) >= 1
    assert (None, SH.conforms, rdflib.Literal(False)) in report.graph
    assert "kgsh:QuoteAtOffsets" not in report.text  # the text names the shape and the fix
    assert "Fix oa:start/oa:end" in report.text


def test_sparql_constraint_query_binds_targets():
    (quote, _context) = [c for c in shapes.sparql_constraints(shapes.load_shapes())
                         if c.shape.endswith("#ClaimShape")]
    assert "$this" not in quote.query
    assert "subClassOf" in quote.query and "ontology#Claim" in quote.query


def test_extra_graph_is_mixed_in():
    g = rdflib.Graph().parse(DATA / "bad-claim-article-untyped.ttl")
    extra = rdflib.Graph()
    extra.add((rdflib.URIRef("https://w3id.org/nkru/id/test/article"), rdflib.RDF.type,
               rdflib.URIRef("https://w3id.org/nkru/ontology#Article")))
    extra.add((rdflib.URIRef("https://w3id.org/nkru/id/test/article"), rdflib.RDF.type,
               rdflib.URIRef("https://schema.org/NewsArticle")))
    assert not shapes.validate(g).conforms
    assert shapes.validate(g, extra=extra).conforms


def test_context_nodes_are_not_validated():
    """Reference entities in ``extra`` inform the checks but are not checked themselves."""
    bad_entity = rdflib.Graph().parse(DATA / "bad-entity-no-label.ttl")
    good = rdflib.Graph().parse(DATA / "bad-transfer-no-supplier.ttl")
    report = shapes.validate(good, extra=bad_entity)
    assert [v["shape"].rsplit("#", 1)[-1] for v in report.violations] == ["Transfer-supplier"]
    assert shapes.validate(rdflib.Graph(), extra=bad_entity).conforms


def test_pyshacl_gets_no_sparql_constraints():
    core = shapes._prepared()[0]
    assert not list(core.triples((None, SH.sparql, None)))
    assert list(shapes.load_shapes().triples((None, SH.sparql, None)))


@pytest.mark.parametrize("name", ["bad-quote-not-at-offsets", "bad-quote-context",
                                  "bad-position-reversed"])
def test_sparql_constraints_agree_with_pyshacl(name):
    """Our one-query evaluation gives the results pySHACL gives per focus node."""
    import pyshacl

    g = rdflib.Graph().parse(DATA / f"{name}.ttl")
    _, report, _ = pyshacl.validate(g, shacl_graph=shapes.load_shapes(),
                                    ont_graph=shapes.load_ontology(), inference="none")
    theirs = {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
               str(report.value(r, SH.sourceConstraint)), str(report.value(r, SH.value)))
              for r in report.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent)}
    ours = {(v["focus"], v["path"], v["source_constraint"], v["value"])
            for v in shapes.validate(g).violations
            if v["constraint"] == str(SH.SPARQLConstraintComponent)}
    assert ours == theirs and ours


@pytest.mark.parametrize("select, refused", [
    ("SELECT $this WHERE { SERVICE <http://127.0.0.1:9/sparql> { $this ?p ?o } }", True),
    ("SELECT $this WHERE { { $this ?p ?o } UNION { SERVICE SILENT <http://x/> { ?a ?b ?c } } }", True),
    ("SELECT $this WHERE { $this ?p \"SERVICE\" }", False),
])
def test_sparql_constraints_with_service_are_refused(select, refused):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH

    from graph_service.errors import InputError
    from graph_service.validation.shapes import sparql_constraints

    g = Graph()
    shape, node = URIRef("https://example.org/shape"), URIRef("https://example.org/c")
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, URIRef("https://w3id.org/nkru/ontology#Claim")))
    g.add((shape, SH.sparql, node))
    g.add((node, SH.select, Literal(select)))
    if refused:
        with pytest.raises(InputError, match="SERVICE"):
            sparql_constraints(g)
    else:
        assert len(sparql_constraints(g)) == 1
