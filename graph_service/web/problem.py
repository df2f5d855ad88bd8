"""Every failure at the HTTP edge is a (status, message): one small helper makes it.

Errors raised deeper down are ``KGError`` subclasses with their own ``http_status``; this module
adds the few that only exist at the edge (a method not allowed, a missing bearer token). The
app's error handlers (``web/__init__.py``) turn all of them into the same JSON body:
``{"error": ..., "message": ..., "line": ..., "column": ...}``.
"""

from __future__ import annotations

from typing import NoReturn

from werkzeug.http import HTTP_STATUS_CODES

from ..errors import KGError


class HTTPProblem(KGError):
    """An error that only exists at the HTTP edge, with its status and extra headers."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None,
                 **extra: object) -> None:
        super().__init__(message)
        self.http_status = status
        self.headers = headers or {}
        self.extra = extra

    def to_json(self) -> dict:
        # The status's reason phrase names the kind of error ("Unauthorized", ...).
        body = {**super().to_json(), **self.extra}
        body["error"] = HTTP_STATUS_CODES.get(self.http_status, "Error")
        return body


def fail(status: int, message: str, *, headers: dict[str, str] | None = None,
         **extra: object) -> NoReturn:
    """Stop handling the request: answer ``status`` with a JSON body carrying ``message``."""
    raise HTTPProblem(status, message, headers=headers, **extra)
