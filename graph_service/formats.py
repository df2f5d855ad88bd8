"""RDF and SPARQL-result formats as values: one table, never sniffed from a body."""

from __future__ import annotations

import enum

import pyoxigraph as ox

from .errors import UnsupportedFormat


class RDFFormat(enum.Enum):
    """An RDF serialization: (name, media type, extension, rdflib parser name, quads?)."""

    TURTLE = ("turtle", "text/turtle", "ttl", "turtle", False)
    NTRIPLES = ("ntriples", "application/n-triples", "nt", "nt", False)
    NQUADS = ("nquads", "application/n-quads", "nq", "nquads", True)
    TRIG = ("trig", "application/trig", "trig", "trig", True)
    JSONLD = ("jsonld", "application/ld+json", "jsonld", "json-ld", True)
    RDFXML = ("rdfxml", "application/rdf+xml", "rdf", "xml", False)

    def __init__(self, key: str, media_type: str, extension: str, rdflib_name: str, quads: bool):
        self.key = key
        self.media_type = media_type
        self.extension = extension
        self.rdflib_name = rdflib_name
        self.quads = quads

    @property
    def oxigraph(self) -> ox.RdfFormat:
        return _OX_RDF[self]

    @classmethod
    def from_name(cls, name: str) -> "RDFFormat":
        for fmt in cls:
            if name.lower() in (fmt.key, fmt.extension, fmt.rdflib_name, fmt.media_type):
                return fmt
        raise UnsupportedFormat(f"unknown RDF format {name!r}; use one of "
                                + ", ".join(f.key for f in cls))

    @classmethod
    def from_media_type(cls, media_type: str) -> "RDFFormat":
        base = media_type.split(";")[0].strip().lower()
        for fmt in cls:
            if base == fmt.media_type or base in _ALIASES.get(fmt, ()):
                return fmt
        raise UnsupportedFormat(f"unsupported media type {base!r}; send one of "
                                + ", ".join(f.media_type for f in cls))

    @classmethod
    def from_path(cls, path: str) -> "RDFFormat":
        ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        for fmt in cls:
            if ext == fmt.extension or ext in _EXTRA_EXT.get(fmt, ()):
                return fmt
        raise UnsupportedFormat(f"cannot tell the RDF format of {path!r} from its extension; "
                                "give it explicitly (" + ", ".join(f.key for f in cls) + ")")


_ALIASES = {
    RDFFormat.TURTLE: ("application/x-turtle",),
    RDFFormat.NTRIPLES: ("text/plain",),
    RDFFormat.JSONLD: ("application/json",),
    RDFFormat.RDFXML: ("application/xml", "text/xml"),
    RDFFormat.TRIG: ("application/x-trig",),
}
_EXTRA_EXT = {RDFFormat.JSONLD: ("json",), RDFFormat.RDFXML: ("owl", "xml"), RDFFormat.NQUADS: ("nquads",)}

_OX_RDF = {
    RDFFormat.TURTLE: ox.RdfFormat.TURTLE,
    RDFFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RDFFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RDFFormat.TRIG: ox.RdfFormat.TRIG,
    RDFFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RDFFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


class ResultFormat(enum.Enum):
    """A SPARQL query-results serialization: (name, media type, extension)."""

    JSON = ("json", "application/sparql-results+json", "srj")
    XML = ("xml", "application/sparql-results+xml", "srx")
    CSV = ("csv", "text/csv", "csv")
    TSV = ("tsv", "text/tab-separated-values", "tsv")

    def __init__(self, key: str, media_type: str, extension: str):
        self.key = key
        self.media_type = media_type
        self.extension = extension

    @property
    def oxigraph(self) -> ox.QueryResultsFormat:
        return {
            ResultFormat.JSON: ox.QueryResultsFormat.JSON,
            ResultFormat.XML: ox.QueryResultsFormat.XML,
            ResultFormat.CSV: ox.QueryResultsFormat.CSV,
            ResultFormat.TSV: ox.QueryResultsFormat.TSV,
        }[self]
