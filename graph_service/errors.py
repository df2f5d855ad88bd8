"""The project's error hierarchy.

Errors are raised deep down with a message that says where and what next; they become an
HTTP status (``http_status``) or an exit code (``exit_code``) only at the edge (CLI, web).
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 2
    http_status = 500

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def to_json(self) -> dict:
        body = {"error": type(self).__name__, "message": str(self)}
        if self.where:
            body["where"] = self.where
        return body


class InputError(KGError):
    """A file or argument the user gave cannot be read or used."""

    exit_code = 2
    http_status = 400


class ArticleError(InputError):
    """An article (text or metadata) is missing, unreadable, empty, binary, too large or malformed."""


class ParseError(InputError):
    """RDF or SPARQL text that cannot be parsed; carries line and column when known."""

    def __init__(self, message: str, *, where: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        if line is not None:
            loc = f"line {line}" + (f", column {column}" if column is not None else "")
            where = f"{where}: {loc}" if where else loc
        super().__init__(message, where=where)
        self.line = line
        self.column = column
        self.excerpt: str | None = None

    def mark(self, text: str) -> "ParseError":
        """Quote the offending line of ``text`` (the text that was parsed) with a caret under
        the column, as ``excerpt``; returns self."""
        if self.line is not None and self.excerpt is None:
            self.excerpt = excerpt(text, self.line, self.column)
        return self

    def to_json(self) -> dict:
        body = super().to_json()
        if self.line is not None:
            body["line"] = self.line
        if self.column is not None:
            body["column"] = self.column
        if self.excerpt:
            body["excerpt"] = self.excerpt
        return body


def excerpt(text: str, line: int, column: int | None, *, width: int = 100) -> str | None:
    """Line ``line`` of ``text`` and, under it, a caret at ``column`` (both 1-based); a long
    line is cut to ``width`` characters around the column."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    source = lines[line - 1].expandtabs(1)
    if column is None:
        return source[:width]
    col = max(0, min(column - 1, len(source)))
    start = max(0, col - width // 2)
    shown = source[start:start + width]
    return f"{shown}\n{' ' * (col - start)}^"


class QueryError(ParseError):
    """A SPARQL query or update that is malformed or not allowed."""


class UnsupportedFormat(InputError):
    """A media type or format name we cannot read or write."""

    http_status = 415


class NotAcceptable(KGError):
    """Content negotiation found nothing the client accepts."""

    exit_code = 2
    http_status = 406

    def __init__(self, message: str, *, available: list[str]) -> None:
        super().__init__(message)
        self.available = available

    def to_json(self) -> dict:
        return {**super().to_json(), "available": self.available}


class ShapeViolation(KGError):
    """Data does not conform to the SHACL shapes. ``violations`` lists focus node, path, shape."""

    exit_code = 1
    http_status = 422

    def __init__(self, message: str, *, violations: list[dict], report_text: str = "") -> None:
        super().__init__(message)
        self.violations = violations
        self.report_text = report_text

    def to_json(self) -> dict:
        return {**super().to_json(), "conforms": False, "violations": self.violations}


class StoreError(KGError):
    """The store cannot be opened, read or written."""

    exit_code = 3
    http_status = 503


class UnsupportedByStore(StoreError):
    """The store cannot do what was asked (a limitation of the store, not an outage)."""

    http_status = 501


class LimitExceeded(KGError):
    """A configured limit (time, rows, body size) was reached; the message names the limit."""

    http_status = 503

    def __init__(self, message: str, *, limit: str, http_status: int = 503) -> None:
        super().__init__(message)
        self.limit = limit
        self.http_status = http_status


class RemoteError(KGError):
    """A remote service (Wikidata, a remote SPARQL store) could not be reached or answered badly."""

    exit_code = 3
    http_status = 502
