"""graph_service/vocab.py is generated from ontology/kg.ttl and must not be stale."""

from __future__ import annotations

import pytest
import rdflib

from graph_service import vocab, vocab_gen
from graph_service.vocab import KG


def test_generated_module_is_up_to_date():
    current = vocab_gen.TARGET.read_text(encoding="utf-8")
    assert current == vocab_gen.generate(), (
        "graph_service/vocab.py is stale: run `python -m graph_service.vocab`")


def test_every_ontology_term_is_in_the_namespace():
    g = vocab_gen.vocabulary_graph()
    names = [name for name, _ in vocab_gen.terms(g)]
    assert "Claim" in names and "reportsEvent" in names and "wikidataId" in names
    for name in names:
        assert getattr(KG, name) == rdflib.URIRef(vocab_gen.KG_NS + name)


def test_unknown_term_fails_loudly():
    with pytest.raises(AttributeError):
        KG.Claimm  # noqa: B018  (a typo must not mint an IRI)


def test_render_reflects_the_ontology():
    g = rdflib.Graph().parse(vocab_gen.ONTOLOGY_FILE)
    g.add((rdflib.URIRef(vocab_gen.KG_NS + "Brandnew"), rdflib.RDFS.label, rdflib.Literal("new")))
    assert "    Brandnew: URIRef" in vocab_gen.render(g)
    assert vocab.OA.exact == rdflib.URIRef("http://www.w3.org/ns/oa#exact")
