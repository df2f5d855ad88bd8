"""Query results written by Oxigraph's own writers, under the time limit and the row cap.

A SELECT's solutions are counted and timed one by one on their way to the writer: they are fed
to Oxigraph's TSV parser as SPARQL TSV lines (each term in its N-Triples form, which is what
``str()`` of a pyoxigraph term gives) and the parsed solutions go straight to Oxigraph's
JSON/XML/CSV/TSV writer. When the query's own LIMIT keeps it within the row cap, there is
nothing to count: Oxigraph writes the solutions itself, and the clock is checked on each write.
CONSTRUCT/DESCRIBE triples go to ``pyoxigraph.serialize`` through the same checks. Output lands in a spooled temporary file (memory first, disk past a few MB) that
the response streams, so a result is complete, and its status known, before the first byte
leaves.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

import pyoxigraph as ox
from flask import Response, request
from werkzeug.wsgi import wrap_file

from ..formats import RDFFormat, ResultFormat
from . import context
from .limits import Deadline, Limits
from .negotiation import content_type

SPOOL_IN_MEMORY = 4 * 1024 * 1024


class _Sink:
    """A binary file for Oxigraph's writers that stops them once the deadline has passed."""

    def __init__(self, file: IO[bytes], deadline: Deadline) -> None:
        self._file = file
        self._deadline = deadline
        self.size = 0

    def write(self, data: bytes) -> int:
        self._deadline.check()
        self.size += len(data)
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()


class _TsvFeed:
    """A readable binary stream of SPARQL TSV, produced lazily from solutions.

    A solution is read by position (iterating a ``QuerySolution`` gives its terms in the order
    of the variables, None where unbound): looking each term up by variable costs several
    times more.
    """

    def __init__(self, variables: Sequence[ox.Variable],
                 rows: Iterable[Sequence[ox.NamedNode | ox.BlankNode | ox.Literal | None]]
                 ) -> None:
        self._lines = self._generate(variables, rows)
        self._buffer = bytearray()

    @staticmethod
    def _generate(variables, rows) -> Iterator[bytes]:
        yield ("\t".join(str(v) for v in variables) + "\n").encode("utf-8")
        for row in rows:
            yield ("\t".join("" if term is None else str(term) for term in row)
                   + "\n").encode("utf-8")

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._lines, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0 or size >= len(self._buffer):
            data = bytes(self._buffer)
            self._buffer.clear()
        else:
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
        return data

    def readable(self) -> bool:
        return True


def write_result(result, fmt: ResultFormat | RDFFormat, *, limits: Limits,
                 deadline: Deadline, prefixes: dict[str, str] | None = None,
                 limit: int | None = None, jsonld: context.Options | None = None
                 ) -> tuple[IO[bytes], int]:
    """Serialize a query result into a spooled file; returns (file at offset 0, size).

    The options are those of ``serialize_result``.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        size = serialize_result(result, spool, fmt, limits=limits, deadline=deadline,
                                prefixes=prefixes, limit=limit, jsonld=jsonld)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, size


def serialize_result(result, out: IO[bytes], fmt: ResultFormat | RDFFormat, *, limits: Limits,
                     deadline: Deadline, prefixes: dict[str, str] | None = None,
                     limit: int | None = None, jsonld: context.Options | None = None) -> int:
    """Write a query result to the binary file ``out``; returns the bytes written.

    ``limit``: the most solutions the query can give (its outer LIMIT), when known.
    ``jsonld``: triples in JSON-LD are compacted against ``/context.jsonld`` (``context``),
    or expanded, as these options say.
    """
    sink = _Sink(out, deadline)
    if isinstance(result, ox.QueryBoolean):
        result.serialize(sink, fmt.oxigraph)
    elif isinstance(result, ox.QuerySolutions) and limit is not None \
            and limit <= limits.max_rows:
        result.serialize(sink, fmt.oxigraph)
    elif isinstance(result, ox.QuerySolutions):
        rows = limits.capped(result, deadline, what="solutions")
        feed = _TsvFeed(result.variables, rows)
        ox.parse_query_results(feed, ox.QueryResultsFormat.TSV).serialize(sink, fmt.oxigraph)
    else:
        triples = limits.capped(result, deadline, what="triples")
        if fmt is RDFFormat.JSONLD and jsonld is not None:
            triples = list(triples)
            deadline.check()
            sink.write(context.serialize(triples, jsonld))
        else:
            ox.serialize(triples, sink, fmt.oxigraph, prefixes=prefixes)
    return sink.size


def write_solutions(variables: Sequence[str],
                    rows: Iterable[Sequence[ox.NamedNode | ox.BlankNode | ox.Literal | None]],
                    fmt: ResultFormat, *, limits: Limits, deadline: Deadline
                    ) -> tuple[IO[bytes], int]:
    """Solutions computed by the service itself, written as Oxigraph writes a store's."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    sink = _Sink(spool, deadline)
    try:
        feed = _TsvFeed([ox.Variable(v) for v in variables],
                        limits.capped(rows, deadline, what="solutions"))
        ox.parse_query_results(feed, ox.QueryResultsFormat.TSV).serialize(sink, fmt.oxigraph)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, sink.size


def file_response(body: IO[bytes], size: int, media_type: str) -> Response:
    """A response that streams a spooled result (HEAD gets the same headers, no body)."""
    response = Response(wrap_file(request.environ, body), direct_passthrough=True,
                        content_type=content_type(media_type))
    response.content_length = size
    response.vary.add("Accept")
    return response


def result_kind(result) -> str:
    """"boolean", "solutions" or "graph": which table of formats applies."""
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    if isinstance(result, ox.QuerySolutions):
        return "solutions"
    return "graph"
