"""The lexical view of SPARQL text that polices queries before Oxigraph runs them."""

from __future__ import annotations

import pytest

from graph_service.errors import QueryError
from graph_service.sparqltext import SparqlText, query_form

BASE = "http://example.org/sparql"


@pytest.mark.parametrize("query, services", [
    ("SELECT * WHERE { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["http://a/sparql"]),
    ("PREFIX e: <http://a/>\nSELECT * WHERE { SERVICE SILENT e:sparql { } }", ["http://a/sparql"]),
    ("BASE <http://b/x/>\nSELECT * WHERE { SERVICE <../sparql> { } }", ["http://b/sparql"]),
    ("SELECT * WHERE { SERVICE <rel> { } }", ["http://example.org/rel"]),
    ("SELECT * WHERE { SERVICE ?endpoint { } }", [None]),
    ("SELECT * WHERE { SERVICE u:x { } }", [None]),                     # unknown prefix
    ("SELECT * WHERE { \\u0053ERVICE <http://a/> { } }", ["http://a/"]),  # §19.2 escapes
    ("SELECT * WHERE { ?s ?p 'SERVICE <http://a/> {}' }", []),
    ('SELECT * WHERE { ?s ?p """x\n SERVICE <http://a/> {} """ }', []),
    ("# SERVICE <http://a/> {}\nSELECT * WHERE { ?s <http://a/SERVICE> ?service }", []),
    ("SELECT * WHERE { ?s ex:service ?o FILTER(?s<?o) }", []),
])
def test_services_are_found_only_where_they_are_keywords(query, services):
    assert [iri for iri, _ in SparqlText(query, base_iri=BASE).services()] == services


def test_from_clauses_give_the_dataset():
    text = SparqlText("PREFIX g: <http://g/>\nSELECT * FROM g:a FROM NAMED <http://g/b> FROM <c> "
                      "WHERE { { SELECT * WHERE { ?s ?p ?o } } }", base_iri=BASE)
    assert text.dataset() == (["http://g/a", "http://example.org/c"], ["http://g/b"])
    assert SparqlText("SELECT * WHERE { ?s ?p 'FROM <x>' }").dataset() is None


def test_using_clauses_go_before_each_where_of_a_modify():
    update = ("INSERT DATA { <a> <b> <c> } ;\n"
              "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s ?q 'WHERE' } } ;\n"
              "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }")
    out = SparqlText(update).with_using(["http://d"], ["http://n"])
    assert out.count("USING <http://d> USING NAMED <http://n> WHERE") == 2
    assert out.startswith("INSERT DATA { <a> <b> <c> } ;")


def test_using_cannot_go_into_delete_where():
    with pytest.raises(QueryError) as err:
        SparqlText("CLEAR ALL ;\nDELETE WHERE { ?s ?p ?o }").with_using(["http://d"], [])
    assert (err.value.line, err.value.column) == (2, 8)


def test_dataset_clause_and_load_and_form():
    assert SparqlText("WITH <http://g> DELETE { } WHERE { }").has_dataset_clause().text == "WITH"
    assert SparqlText("DELETE { } USING <http://g> WHERE { }").has_dataset_clause().text == "USING"
    assert SparqlText("INSERT DATA { <a> <b> 'WITH' }").has_dataset_clause() is None
    assert len(SparqlText("load <http://x> ; LOAD SILENT <http://y>").loads()) == 2
    assert query_form(SparqlText("PREFIX a: <http://a/> ask { }")) == "ASK"
    assert query_form(SparqlText("CONSTRUCT WHERE { ?s ?p ?o }")) == "CONSTRUCT"
