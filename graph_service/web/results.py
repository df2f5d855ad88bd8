"""Query results written by Oxigraph's own writers, under the time limit and the row cap.

A SELECT's solutions are counted and timed one by one on their way to the writer: they are fed
to Oxigraph's TSV parser as SPARQL TSV lines (each term in its N-Triples form, which is what
``str()`` of a pyoxigraph term gives) and the parsed solutions go straight to Oxigraph's
JSON/XML/CSV/TSV writer. CONSTRUCT/DESCRIBE triples go to ``pyoxigraph.serialize`` through the
same checks. Output lands in a spooled temporary file (memory first, disk past a few MB) that
the response streams, so a result is complete, and its status known, before the first byte
leaves.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

import pyoxigraph as ox
from flask import Response, request
from werkzeug.wsgi import wrap_file

from ..formats import RDFFormat, ResultFormat
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
    """A readable binary stream of SPARQL TSV, produced lazily from solutions."""

    def __init__(self, variables: list[ox.Variable], rows: Iterator[ox.QuerySolution]) -> None:
        self._variables = variables
        self._lines = self._generate(rows)
        self._buffer = b""

    def _generate(self, rows: Iterator[ox.QuerySolution]) -> Iterator[bytes]:
        yield ("\t".join(str(v) for v in self._variables) + "\n").encode("utf-8")
        for row in rows:
            yield ("\t".join("" if row[v] is None else str(row[v]) for v in self._variables)
                   + "\n").encode("utf-8")

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._lines, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readable(self) -> bool:
        return True


def write_result(result, fmt: ResultFormat | RDFFormat, *, limits: Limits,
                 deadline: Deadline, prefixes: dict[str, str] | None = None
                 ) -> tuple[IO[bytes], int]:
    """Serialize a query result into a spooled file; returns (file at offset 0, size)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    sink = _Sink(spool, deadline)
    try:
        if isinstance(result, ox.QueryBoolean):
            result.serialize(sink, fmt.oxigraph)
        elif isinstance(result, ox.QuerySolutions):
            rows = limits.capped(result, deadline, what="solutions")
            feed = _TsvFeed(list(result.variables), rows)
            ox.parse_query_results(feed, ox.QueryResultsFormat.TSV).serialize(sink, fmt.oxigraph)
        else:
            triples = limits.capped(result, deadline, what="triples")
            ox.serialize(triples, sink, fmt.oxigraph, prefixes=prefixes)
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
