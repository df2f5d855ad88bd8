"""Which network calls a SPARQL query or update asks for, read by a real SPARQL parser.

``SERVICE`` (queries and updates) and ``LOAD`` (updates) are the only SPARQL forms that make
Oxigraph open a connection (``FROM``, ``FROM NAMED``, ``USING`` and ``GRAPH`` only name graphs
of the store). A lexical look at the text cannot tell them apart from lookalikes reliably
(``SERVICE:x`` is the keyword and the prefixed name ``:x`` to Oxigraph), so the text is parsed
with rdflib's SPARQL 1.1 parser and the calls are read from the resulting algebra, with
prefixes, ``BASE`` and ``\\u`` escapes resolved as the grammar has it.

The parser is a conservative gate, not the evaluator's own: a text that mentions ``SERVICE``
or ``LOAD`` in any spelling and that rdflib cannot parse is refused, and Oxigraph evaluates on
threads that cannot connect anywhere (``graph_service.sandbox``). A text in which neither word
can appear (after every ``\\u`` escape is expanded, in any letter case) holds no call, so it is
not parsed: that is the common case, and parsing costs tens of milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_WORDS = ("SERVICE", "LOAD")


@dataclass(frozen=True)
class Calls:
    """The endpoints a text would call: SERVICE IRIs (None for a variable) and LOAD IRIs."""

    services: tuple[str | None, ...] = ()
    loads: tuple[str, ...] = ()


class Unreadable(Exception):
    """The text may hold a call, and the parser cannot read it."""


def _expand(text: str) -> str:
    """``\\u`` and ``\\U`` escapes expanded until none is left (more than the one pass SPARQL
    makes, so that nothing the evaluator could see is missed)."""
    for _ in range(8):
        expanded = _CODEPOINT.sub(_char, text)
        if expanded == text:
            return text
        text = expanded
    return text


def _char(m: re.Match) -> str:
    code = int(m.group(1) or m.group(2), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def may_call(text: str) -> bool:
    """False when no spelling of SERVICE or LOAD can be in the text at all."""
    expanded = _expand(text)
    folded = (expanded.upper(), expanded.casefold().upper())
    return any(word in variant for word in _WORDS for variant in folded)


def calls(text: str, *, update: bool, base_iri: str | None = None) -> Calls:
    """The calls the query (or update) makes; ``Unreadable`` if it may make some and cannot
    be parsed."""
    if not may_call(text):
        return Calls()
    if len(text) > 16 * 1024:
        return _parse(text, update, base_iri)
    return _cached(text, update, base_iri)


@lru_cache(maxsize=256)
def _cached(text: str, update: bool, base_iri: str | None) -> Calls:
    return _parse(text, update, base_iri)


def _parse(text: str, update: bool, base_iri: str | None) -> Calls:
    from rdflib.plugins.sparql import algebra, parser

    try:
        if update:
            tree = algebra.translateUpdate(parser.parseUpdate(text), base=base_iri)
            root = tree.algebra
        else:
            root = algebra.translateQuery(parser.parseQuery(text), base=base_iri).algebra
    except RecursionError:
        raise Unreadable("it is nested too deeply for the checker") from None
    except Exception as err:  # pyparsing's ParseException and whatever translation raises
        raise Unreadable(" ".join(str(err).split())[:200] or type(err).__name__) from None
    services: list[str | None] = []
    loads: list[str] = []
    _walk(root, services, loads)
    return Calls(tuple(services), tuple(loads))


def _walk(node, services: list, loads: list) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                services.append(str(term) if isinstance(term, URIRef) else None)
            elif node.name == "Load":
                loads.append(str(node.get("iri")))
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set)):
            stack.extend(node)
