"""Content negotiation: which of the formats we can write does the client prefer?

Follows the shape of Oxigraph's server (``cli/src/main.rs``): q-values are honoured, wildcards
match, and when nothing acceptable is left the answer is 406 with the list of what we can give.
The Accept header is parsed by werkzeug (``request.accept_mimetypes``, a ``MIMEAccept``);
this module only holds the tables of offers and the choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from werkzeug.datastructures import MIMEAccept

from ..errors import InputError, NotAcceptable
from ..formats import RDFFormat, ResultFormat

F = TypeVar("F")


@dataclass(frozen=True)
class Offer(Generic[F]):
    """One media type we can answer with, and the format that writes it."""

    media_type: str
    format: F


def _offers(table: Sequence[tuple[str, F]]) -> tuple[Offer[F], ...]:
    return tuple(Offer(media, fmt) for media, fmt in table)


# First entry = what a client gets for */* or no Accept header. Aliases come after the
# registered media types so that a wildcard never picks an alias.
RESULTS = _offers([
    (ResultFormat.JSON.media_type, ResultFormat.JSON),
    (ResultFormat.XML.media_type, ResultFormat.XML),
    (ResultFormat.CSV.media_type, ResultFormat.CSV),
    (ResultFormat.TSV.media_type, ResultFormat.TSV),
    ("application/json", ResultFormat.JSON),
    ("application/xml", ResultFormat.XML),
    ("text/xml", ResultFormat.XML),
])

GRAPH = _offers([
    (RDFFormat.TURTLE.media_type, RDFFormat.TURTLE),
    (RDFFormat.NTRIPLES.media_type, RDFFormat.NTRIPLES),
    (RDFFormat.JSONLD.media_type, RDFFormat.JSONLD),
    (RDFFormat.RDFXML.media_type, RDFFormat.RDFXML),
    (RDFFormat.TRIG.media_type, RDFFormat.TRIG),
    (RDFFormat.NQUADS.media_type, RDFFormat.NQUADS),
    ("application/x-turtle", RDFFormat.TURTLE),
    ("text/plain", RDFFormat.NTRIPLES),
    ("application/json", RDFFormat.JSONLD),
    ("application/xml", RDFFormat.RDFXML),
    ("text/xml", RDFFormat.RDFXML),
])

# One graph (Graph Store Protocol GET): the quad formats would only repeat the default graph.
SINGLE_GRAPH = tuple(o for o in GRAPH if o.format not in (RDFFormat.TRIG, RDFFormat.NQUADS))

# A whole dataset.
DATASET = _offers([
    (RDFFormat.TRIG.media_type, RDFFormat.TRIG),
    (RDFFormat.NQUADS.media_type, RDFFormat.NQUADS),
    (RDFFormat.JSONLD.media_type, RDFFormat.JSONLD),
    ("application/x-trig", RDFFormat.TRIG),
])


def choose(accept: MIMEAccept, offers: Sequence[Offer[F]], *, what: str) -> Offer[F]:
    """The offer the client prefers (by q-value, then specificity, then our order).

    No Accept header at all means "anything", so the first offer. Raises ``NotAcceptable``
    (406) listing the media types we could have given.
    """
    if not accept:
        return offers[0]
    # Media-range parameters (a client asking for "text/turtle; charset=utf-8") would stop
    # werkzeug from matching our bare types; everything we write is UTF-8, so drop them.
    accept = MIMEAccept([(value.split(";")[0].strip(), q) for value, q in accept])
    best = accept.best_match([o.media_type for o in offers])
    if best is None:
        available = list(dict.fromkeys(o.media_type for o in offers))
        raise NotAcceptable(
            f"none of the media types in the Accept header ({accept.to_header()}) can be "
            f"given for {what}; available: {', '.join(available)}", available=available)
    return next(o for o in offers if o.media_type == best)


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type we write: all our formats are UTF-8."""
    return f"{media_type}; charset=utf-8"


# ``/sparql?format=`` / ``?output=`` for clients that cannot set Accept (pandas' read_csv(url),
# spreadsheet imports), with the names Fuseki accepts: name -> (format for SELECT/ASK, format
# for CONSTRUCT/DESCRIBE). A media type is accepted as a name too.
FORMAT_PARAMETERS = ("format", "output")
FORMAT_NAMES: dict[str, tuple[ResultFormat | None, RDFFormat | None]] = {
    "json": (ResultFormat.JSON, RDFFormat.JSONLD),
    "srj": (ResultFormat.JSON, None),
    "xml": (ResultFormat.XML, RDFFormat.RDFXML),
    "srx": (ResultFormat.XML, None),
    "csv": (ResultFormat.CSV, None),
    "tsv": (ResultFormat.TSV, None),
    "turtle": (None, RDFFormat.TURTLE), "ttl": (None, RDFFormat.TURTLE),
    "ntriples": (None, RDFFormat.NTRIPLES), "n-triples": (None, RDFFormat.NTRIPLES),
    "nt": (None, RDFFormat.NTRIPLES),
    "jsonld": (None, RDFFormat.JSONLD), "json-ld": (None, RDFFormat.JSONLD),
    "rdfxml": (None, RDFFormat.RDFXML), "rdf/xml": (None, RDFFormat.RDFXML),
    "rdf": (None, RDFFormat.RDFXML),
    "trig": (None, RDFFormat.TRIG), "nquads": (None, RDFFormat.NQUADS),
    "n-quads": (None, RDFFormat.NQUADS), "nq": (None, RDFFormat.NQUADS),
}


def explicit(accept: MIMEAccept) -> bool:
    """Does the Accept header ask for something in particular? Not when it is missing, only
    wildcards (``*/*``, ``text/*``), or a browser's navigation header (it names text/html)."""
    types = [value.split(";")[0].strip().lower() for value, q in accept if q > 0]
    return bool(types) and "text/html" not in types and any(
        not t.endswith("/*") for t in types)


def choose_format(accept: MIMEAccept, name: str | None, offers: Sequence[Offer[F]], *,
                  what: str) -> Offer[F]:
    """The offer for a request that may name its format (``?format=``/``?output=``): an
    explicit Accept header wins; else the named format; else the Accept header as usual.
    A name the service does not know is a 400; a known one that does not fit ``what`` (turtle
    for a SELECT) is a 406 listing the names that do."""
    if name is None or explicit(accept):
        return choose(accept, offers, what=what)
    key = name.strip().lower()
    wanted = {fmt for pair in [FORMAT_NAMES.get(key, (None, None))] for fmt in pair if fmt}
    for offer in offers:   # a media type, or the media type's own format
        if offer.media_type == key:
            wanted.add(offer.format)
    fitting = [o for o in offers if o.format in wanted]
    if fitting:
        return fitting[0]
    names = [n for n, pair in FORMAT_NAMES.items() if any(f in {o.format for o in offers}
                                                          for f in pair if f)]
    known = key in FORMAT_NAMES or any(key == f.media_type for f in (*ResultFormat, *RDFFormat))
    if not known:
        raise InputError(f"unknown format {name!r}; use one of {', '.join(names)} "
                         "or a media type", where="format")
    raise NotAcceptable(f"format {name!r} cannot be given for {what}; available: "
                        + ", ".join(names), available=names)
