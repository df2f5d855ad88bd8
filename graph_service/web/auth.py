"""Writes need ``Authorization: Bearer <KG_WRITE_TOKEN>``; without a token the service is read-only.

The token is compared with ``hmac.compare_digest`` so the time taken does not leak how much
of a guess was right, and exactly as sent: nothing is stripped (a token followed by a
no-break space, or preceded by a second space after ``Bearer``, is another token). HTTP itself
drops spaces and tabs at either end of a header's value (RFC 9110 §5.5; waitress does), so a
token that begins or ends with one could never be sent: ``check_tokens`` refuses to start
with such a token rather than compare it with what arrives.
"""

from __future__ import annotations

import hmac

from flask import Flask, current_app, request

from ..errors import InputError

from .cors import mark_write
from .problem import fail

ENV_TOKEN = "KG_WRITE_TOKEN"


def check_tokens(app: Flask) -> None:
    """InputError if a configured token (the write token, a submit token) could not be sent:
    HTTP drops spaces and tabs at either end of a header value, and no header carries a line
    break."""
    tokens = {ENV_TOKEN: app.config.get("WRITE_TOKEN")}
    tokens |= {f"SUBMIT_TOKENS[{name!r}]": token
               for name, token in (app.config.get("SUBMIT_TOKENS") or {}).items()}
    for where, token in tokens.items():
        if token is None:
            continue
        if not isinstance(token, str) or token != token.strip(" \t") or \
                any(c in token for c in "\r\n\0"):
            raise InputError(f"{where} begins or ends with a space or tab, or holds a line "
                             "break: HTTP drops the first from a header and cannot carry the "
                             "second, so no request could present this token; remove them")


def require_write() -> None:
    """Return if the request may write; else 403 (read-only service) or 401 (bad token)."""
    mark_write()
    token = current_app.config.get("WRITE_TOKEN")
    if not token:
        fail(403, f"this service is read-only: set {ENV_TOKEN} in the server's environment "
                  "to accept writes with that bearer token")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        fail(401, "writes need an 'Authorization: Bearer <token>' header",
             headers={"WWW-Authenticate": 'Bearer realm="kg"'})
    if not hmac.compare_digest(given.encode("utf-8"), str(token).encode("utf-8")):
        fail(401, "the bearer token is not the one this service accepts",
             headers={"WWW-Authenticate": 'Bearer realm="kg", error="invalid_token"'})
