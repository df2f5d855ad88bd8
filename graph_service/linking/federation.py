"""Federated queries: ``SERVICE <https://query.wikidata.org/sparql> { … }`` in queries to /sparql.

pyoxigraph can evaluate SERVICE by itself, but gives no way to bound the call: no timeout (a
silent endpoint holds the query, and its worker, forever), its own User-Agent (Wikidata asks
for a descriptive one), and no way to point an IRI at another server for tests. So the service
evaluates SERVICE itself, as SPARQL 1.1 Federated Query §3 defines it: each allowlisted
``SERVICE`` block is sent on its own (with the query's PREFIX and BASE declarations) as
``SELECT * WHERE { block }``, through SPARQLWrapper with a timeout, and its solutions replace the
block as inline data (``VALUES``). Oxigraph then joins them with the rest of the query, exactly
where the block stood, so OPTIONAL, FILTER and MINUS around it keep their meaning. ``SILENT``
turns a failure into the one empty solution (§4); without it the query fails with RemoteError.

The block is evaluated independently of the rest of the query (no bound join): constrain it
inside (``VALUES ?item { wd:Q423 … }``, a FILTER, a LIMIT in a subquery) when the pattern alone
would match much of Wikidata. At most ``max_rows`` solutions come back from one block.

Configuration (key, environment variable, default):

==================  ======================  ===============================================
SERVICE_ALLOWLIST   KG_SERVICE_ALLOWLIST    empty: the endpoints SERVICE may call
SERVICE_REWRITE     KG_SERVICE_REWRITE      empty: ``IRI=URL`` pairs; call URL for IRI (tests,
                                            mirrors)
SERVICE_TIMEOUT     KG_SERVICE_TIMEOUT      10 (seconds per SERVICE call)
SERVICE_MAX_ROWS    KG_SERVICE_MAX_ROWS     10000 (solutions per SERVICE block)
==================  ======================  ===============================================
"""

from __future__ import annotations

import json
import os
import socket
import urllib.error
from collections.abc import Mapping
from dataclasses import dataclass, field

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .. import iris
from ..errors import LimitExceeded, QueryError, RemoteError
from ..sparqltext import SparqlText, Token, position
from .wikidata import USER_AGENT

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
SKOLEM = iris.BASE + ".well-known/genid/"

ENV = {
    "SERVICE_ALLOWLIST": "KG_SERVICE_ALLOWLIST",
    "SERVICE_REWRITE": "KG_SERVICE_REWRITE",
    "SERVICE_TIMEOUT": "KG_SERVICE_TIMEOUT",
    "SERVICE_MAX_ROWS": "KG_SERVICE_MAX_ROWS",
}
DEFAULTS = {"SERVICE_ALLOWLIST": "", "SERVICE_REWRITE": "", "SERVICE_TIMEOUT": 10.0,
            "SERVICE_MAX_ROWS": 10_000}


@dataclass(frozen=True)
class Federation:
    """Which SERVICE endpoints may be called, where, and how long each call may take."""

    allowlist: frozenset[str] = frozenset()
    rewrite: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    max_rows: int = 10_000
    user_agent: str = USER_AGENT

    @classmethod
    def from_config(cls, config: Mapping | None = None) -> "Federation":
        """From a Flask config (or any mapping); missing keys come from the environment."""
        config = config or {}

        def get(key):
            if key in config and config[key] not in (None, ""):
                return config[key]
            return os.environ.get(ENV[key]) or DEFAULTS[key]

        return cls(allowlist=frozenset(_words(get("SERVICE_ALLOWLIST"))),
                   rewrite=_pairs(get("SERVICE_REWRITE")),
                   timeout=float(get("SERVICE_TIMEOUT")),
                   max_rows=int(get("SERVICE_MAX_ROWS")))

    def resolve(self, query: str, *, base_iri: str | None = None) -> str:
        """The query (or update) with each SERVICE block replaced by its solutions as VALUES.

        Raises QueryError for a SERVICE not on the allowlist, RemoteError when a non-SILENT
        call fails, LimitExceeded past ``max_rows``. A query without SERVICE comes back as is.
        """
        text = SparqlText(query, base_iri=base_iri)
        blocks = _service_blocks(text)
        if not blocks:
            return query
        prologue = _prologue(text)
        out, last = [], 0
        for block in blocks:
            if block.iri is None or block.iri not in self.allowlist:
                allowed = ", ".join(sorted(self.allowlist)) or "none"
                raise QueryError(f"SERVICE <{block.iri or '?'}> is not allowed: endpoints on the "
                                 f"allowlist set by {ENV['SERVICE_ALLOWLIST']}: {allowed}",
                                 **position(text.text, block.keyword))
            body = text.text[block.open.start + 1:block.close.start]
            out += [text.text[last:block.keyword.start], self._inline(block, prologue, body)]
            last = block.close.start + 1
        out.append(text.text[last:])
        return "".join(out)

    def _inline(self, block: "ServiceBlock", prologue: str, body: str) -> str:
        try:
            head, rows = self.call(block.iri, f"{prologue}SELECT * WHERE {{{body}}}")
        except RemoteError:
            if block.silent:
                return "{}"
            raise
        return values_block(head, rows)

    def call(self, iri: str, query: str) -> tuple[list[str], list[dict]]:
        """Run a SELECT on the endpoint for ``iri`` (after rewriting): (variables, rows)."""
        url = self.rewrite.get(iri, iri)
        sw = SPARQLWrapper(url, agent=self.user_agent)
        sw.setMethod(POST)
        sw.setReturnFormat(JSON)
        sw.timeout = self.timeout  # setTimeout() would truncate it to whole seconds
        sw.setQuery(query)
        where = f"SERVICE <{iri}>"
        try:
            result = sw.query()
            try:
                body = json.loads(result.response.read())
            finally:
                result.response.close()
        except urllib.error.HTTPError as err:
            raise RemoteError(f"the endpoint answered HTTP {err.code} {err.reason}",
                              where=where) from None
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as err:
            reason = getattr(err, "reason", None) or err
            if isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason):
                reason = f"no answer within {self.timeout:g} s ({ENV['SERVICE_TIMEOUT']})"
            raise RemoteError(f"cannot reach the endpoint: {_one_line(reason)}",
                              where=where) from None
        except SPARQLWrapperException as err:
            raise RemoteError(f"the endpoint refused the query: {_one_line(err)}",
                              where=where) from None
        except ValueError as err:
            raise RemoteError(f"the endpoint did not answer SPARQL JSON results: {_one_line(err)}",
                              where=where) from None
        try:
            head, rows = body["head"].get("vars", []), body["results"]["bindings"]
        except (KeyError, TypeError, AttributeError):
            raise RemoteError("the endpoint did not answer SPARQL JSON results of a SELECT",
                              where=where) from None
        if len(rows) > self.max_rows:
            raise LimitExceeded(f"SERVICE <{iri}> returned more than {self.max_rows} solutions, "
                                f"the limit set by {ENV['SERVICE_MAX_ROWS']}; constrain the "
                                "pattern inside SERVICE (VALUES, FILTER or a LIMIT)",
                                limit=ENV["SERVICE_MAX_ROWS"], http_status=400)
        return head, rows


def resolve_services(query: str, config: Mapping | None = None, *,
                     base_iri: str | None = None) -> str:
    """``Federation.from_config(config).resolve(query)``: the one call the SPARQL endpoint needs."""
    return Federation.from_config(config).resolve(query, base_iri=base_iri)


# ---------------------------------------------------------------- text


@dataclass(frozen=True)
class ServiceBlock:
    keyword: Token
    iri: str | None
    silent: bool
    open: Token
    close: Token


def _service_blocks(text: SparqlText) -> list[ServiceBlock]:
    """Outermost SERVICE blocks in order (one nested in another travels with it)."""
    toks, blocks, i = text.tokens, [], 0
    while i < len(toks):
        if not toks[i].is_word("SERVICE"):
            i += 1
            continue
        j = i + 1
        silent = j < len(toks) and toks[j].is_word("SILENT")
        j += silent
        if j + 1 >= len(toks) or toks[j + 1].text != "{":
            raise QueryError("SERVICE must be followed by an endpoint IRI and a group { … }",
                             **position(text.text, toks[i]))
        opening = toks[j + 1]
        k = next((k for k in range(j + 2, len(toks))
                  if toks[k].text == "}" and toks[k].depth == opening.depth), None)
        if k is None:
            raise QueryError("SERVICE block is not closed", **position(text.text, toks[i]))
        blocks.append(ServiceBlock(toks[i], text.iri_at(j), silent, opening, toks[k]))
        i = k + 1
    return blocks


def _prologue(text: SparqlText) -> str:
    """The query's BASE and PREFIX declarations, for the query sent to the endpoint."""
    toks, parts = text.tokens, []
    for i, tok in enumerate(toks):
        if tok.is_word("BASE") and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            parts.append(f"BASE {toks[i + 1].text}\n")
        elif tok.is_word("PREFIX") and i + 2 < len(toks) and toks[i + 1].kind == "pname" \
                and toks[i + 2].kind == "iri":
            parts.append(f"PREFIX {toks[i + 1].text} {toks[i + 2].text}\n")
    return "".join(parts)


def values_block(variables: list[str], rows: list[dict]) -> str:
    """Solutions as a group holding inline data: ``{ VALUES (?a ?b) { (<x> "y") … } }``."""
    if not variables:
        return "{}" if rows else "{ FILTER(false) }"
    head = " ".join(f"?{v}" for v in variables)
    lines = ["(" + " ".join(term(row.get(v)) for v in variables) + ")" for row in rows]
    return "{ VALUES (" + head + ") {\n" + "\n".join(lines) + "\n} }"


def term(value: dict | None) -> str:
    """One SPARQL JSON term as SPARQL text (UNDEF when unbound)."""
    if value is None:
        return "UNDEF"
    kind, v = value.get("type"), value.get("value", "")
    if kind == "uri":
        if any(c in v for c in '<>"{}|^`\\ \n\t'):
            raise RemoteError(f"the endpoint returned an invalid IRI {v[:80]!r}")
        return f"<{v}>"
    if kind == "bnode":
        return f"<{SKOLEM}{iris.digest(v)}>"  # VALUES cannot hold blank nodes
    if kind in ("literal", "typed-literal"):
        text = _string(v)
        if value.get("xml:lang"):
            return f"{text}@{value['xml:lang']}"
        if value.get("datatype"):
            return f"{text}^^<{value['datatype']}>"
        return text
    raise RemoteError(f"the endpoint returned a term of unknown type {kind!r}")


def _string(v: str) -> str:
    # Only the escapes SPARQL's STRING_LITERAL2 knows; no \u escapes (they are expanded before
    # parsing, so an escaped quote would end the string).
    out = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + out.replace("\t", "\\t").replace("\b", "\\b").replace("\f", "\\f") + '"'


def _words(value) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return list(value or [])


def _pairs(value) -> dict[str, str]:
    if isinstance(value, Mapping):
        return dict(value)
    out = {}
    for word in _words(value):
        iri, sep, url = word.partition("=")
        if not sep or not url:
            raise QueryError(f"{ENV['SERVICE_REWRITE']}: {word!r} is not IRI=URL")
        out[iri] = url
    return out


def _one_line(err: object) -> str:
    return " ".join(str(err).split())[:300]
