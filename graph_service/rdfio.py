"""Reading RDF that users give us: explicit format, errors with line and column.

Parsing goes through Oxigraph's parsers first: they report the position of a syntax error and
never resolve XML external entities. The result is handed to rdflib (for pyshacl and ontology
work) as N-Quads, which rdflib reads without surprises.
"""

from __future__ import annotations

import re
import xml.sax
from pathlib import Path

import pyoxigraph as ox
import rdflib

from .errors import InputError, ParseError
from .formats import RDFFormat


def parse_quads(data: bytes, fmt: RDFFormat, *, where: str = "input",
                base_iri: str | None = None) -> list[ox.Quad]:
    """Parse RDF bytes into Oxigraph quads; a syntax error names line and column."""
    try:
        return list(ox.parse(data, format=fmt.oxigraph, base_iri=base_iri))
    except SyntaxError as err:
        message = err.msg or str(err)
        # Oxigraph puts the position in the message too; keep only what follows it.
        if ": " in message and message.startswith("Parser error"):
            message = message.split(": ", 1)[1]
        raise ParseError(f"{fmt.key} syntax error: {message}", where=where,
                         line=err.lineno, column=err.offset) from None
    except ValueError as err:  # e.g. an invalid IRI or language tag
        raise ParseError(f"{fmt.key}: {err}", where=where) from None


_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def refuse_xml_declarations(data: bytes, *, where: str = "input") -> None:
    """ParseError for RDF/XML that declares a DTD or entities, before any parser expands them.

    Oxigraph's RDF/XML parser never fetches external entities but expands internal ones, so
    a few hundred bytes of nested entity definitions ("billion laughs") make it allocate
    gigabytes. RDF/XML has no need of a DTD. Two checks: the bytes (any spelling of
    ``<!DOCTYPE`` or ``<!ENTITY``, even in a document too broken for an XML parser), and
    defusedxml's SAX parser with DTDs forbidden (other encodings, such as UTF-16).
    """
    import defusedxml.sax
    from defusedxml import DefusedXmlException

    reason = "RDF/XML with a DOCTYPE or entity declarations is not accepted (entities could " \
             "expand without bound); declare no DTD and write the IRIs out"
    if _DECLARATION.search(data):
        raise ParseError(reason, where=where)
    try:
        defusedxml.sax.parseString(data, xml.sax.ContentHandler(), forbid_dtd=True,
                                   forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ParseError(reason, where=where) from None
    except (xml.sax.SAXException, ValueError):
        pass  # not well-formed: Oxigraph's parser reports where


def to_dataset(quads: list[ox.Quad]) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    if quads:
        ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"),
                 format="nquads")
    return ds


def parse_graph(data: bytes, fmt: RDFFormat, *, where: str = "input",
                base_iri: str | None = None) -> rdflib.Graph:
    """All triples of the input, whatever graph they were in, as one rdflib Graph."""
    quads = parse_quads(data, fmt, where=where, base_iri=base_iri)
    g = rdflib.Graph()
    if quads:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"),
                format="nt")
    return g


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read file: {err.strerror}", where=str(path)) from None


def load_graph(path: Path, fmt: RDFFormat | None = None) -> rdflib.Graph:
    """Read an RDF file; the format comes from ``fmt`` or else from the file extension."""
    fmt = fmt or RDFFormat.from_path(str(path))
    return parse_graph(read_bytes(path), fmt, where=str(path),
                       base_iri=path.resolve().as_uri())
