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

    def to_json(self) -> dict:
        body = super().to_json()
        if self.line is not None:
            body["line"] = self.line
        if self.column is not None:
            body["column"] = self.column
        return body


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
