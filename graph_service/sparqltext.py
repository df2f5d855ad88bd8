"""A lexical view of SPARQL text: just enough to police it before Oxigraph runs it.

pyoxigraph parses and runs a query in one call and exposes no algebra, yet the HTTP layer must
know a few things first: which endpoints a ``SERVICE`` would call, whether an update ``LOAD``s,
which graphs ``FROM``/``FROM NAMED`` name, and whether an update already has ``USING``/``WITH``
(SPARQL 1.1 Protocol §2.2.3: those conflict with ``using-graph-uri``). Tokens follow the
terminals of the SPARQL 1.1 grammar (§19.8): comments, strings, IRIs and prefixed names are
recognised whole, so a keyword inside them is never mistaken for one. Oxigraph still does the
real parsing; anything this module cannot resolve is refused by the caller, not guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from .errors import QueryError

# SPARQL 1.1 §19.2: \u and \U escapes are replaced before parsing, keywords included.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\W][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<bnode>_:[\w.\-]*)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w\-.:%]|\\.)*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<brace>[{}])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str       # iri, pname, var, word, brace, string, bnode, other
    text: str
    depth: int      # braces open before this token
    start: int      # offset in the (escape-processed) text

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


class SparqlText:
    """The tokens of one query or update, with its prefixes resolved as they are declared."""

    def __init__(self, text: str, *, base_iri: str | None = None) -> None:
        self.text = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
        self.tokens = _tokenize(self.text)
        self._base = base_iri
        self._iris: dict[int, str | None] = {}
        self._resolve_all()

    def iri_at(self, i: int) -> str | None:
        """The absolute IRI token ``i`` stands for, or None if it is not a (resolvable) IRI."""
        return self._iris.get(i)

    def _resolve_all(self) -> None:
        prefixes: dict[str, str] = {}
        base = self._base
        toks = self.tokens
        for i, tok in enumerate(toks):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if tok.is_word("BASE") and nxt is not None and nxt.kind == "iri":
                base = _join(base, nxt.text[1:-1])
            elif tok.is_word("PREFIX") and nxt is not None and nxt.kind == "pname" \
                    and i + 2 < len(toks) and toks[i + 2].kind == "iri":
                prefixes[nxt.text.rstrip(":")] = _join(base, toks[i + 2].text[1:-1])
            if tok.kind == "iri":
                self._iris[i] = _join(base, tok.text[1:-1])
            elif tok.kind == "pname":
                prefix, _, local = tok.text.partition(":")
                if prefix in prefixes:
                    self._iris[i] = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)

    def words(self, *words: str, depth: int | None = None):
        """(index, token) of each keyword among ``words``, optionally only at ``depth``."""
        for i, tok in enumerate(self.tokens):
            if tok.is_word(*words) and (depth is None or tok.depth == depth):
                yield i, tok

    def services(self) -> list[tuple[str | None, Token]]:
        """Each ``SERVICE``'s endpoint IRI (None when it is a variable or unresolvable)."""
        found = []
        for i, tok in self.words("SERVICE"):
            j = i + 1
            if j < len(self.tokens) and self.tokens[j].is_word("SILENT"):
                j += 1
            found.append((self.iri_at(j) if j < len(self.tokens) else None, tok))
        return found

    def loads(self) -> list[Token]:
        return [tok for _, tok in self.words("LOAD")]

    def dataset(self) -> tuple[list[str], list[str]] | None:
        """The graphs of a query's ``FROM`` and ``FROM NAMED`` clauses, or None if it has none."""
        default: list[str] = []
        named: list[str] = []
        found = False
        for i, tok in self.words("FROM", depth=0):
            found = True
            j = i + 1
            target = named if j < len(self.tokens) and self.tokens[j].is_word("NAMED") else default
            j += target is named
            iri = self.iri_at(j) if j < len(self.tokens) else None
            if iri is None:
                raise QueryError("FROM must be followed by an IRI", **position(self.text, tok))
            target.append(iri)
        return (default, named) if found else None

    def has_dataset_clause(self) -> Token | None:
        """The first ``USING`` or ``WITH`` of an update, if any."""
        return next((tok for _, tok in self.words("USING", "WITH", depth=0)), None)

    def with_using(self, default: list[str], named: list[str]) -> str:
        """The update with ``USING``/``USING NAMED`` clauses added before each ``WHERE``.

        SPARQL 1.1 Protocol §2.2.3: ``using-graph-uri``/``using-named-graph-uri`` give the
        dataset of each operation's WHERE clause, exactly as USING clauses would.
        """
        clause = " ".join([*(f"USING <{g}>" for g in default),
                           *(f"USING NAMED <{g}>" for g in named)]) + " "
        out, last = [], 0
        previous: Token | None = None
        for tok in self.tokens:
            if tok.depth != 0:
                continue
            if tok.is_word("WHERE"):
                if previous is not None and previous.is_word("DELETE"):
                    raise QueryError("using-graph-uri and using-named-graph-uri cannot be applied "
                                     "to DELETE WHERE; write DELETE { … } WHERE { … }",
                                     **position(self.text, tok))
                out += [self.text[last:tok.start], clause]
                last = tok.start
            previous = tok
        out.append(self.text[last:])
        return "".join(out)


def _tokenize(text: str) -> list[Token]:
    tokens, depth = [], 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        value = m.group()
        if kind == "pname" and value.endswith("."):
            value = value.rstrip(".")  # PN_LOCAL cannot end with '.': it ends the triple
        if value == "}":
            depth = max(depth - 1, 0)
        tokens.append(Token(kind, value, depth, m.start()))
        if value == "{":
            depth += 1
    return tokens


def _join(base: str | None, ref: str) -> str | None:
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", ref):
        return ref
    return urljoin(base, ref) if base else None


def position(text: str, tok: Token) -> dict:
    """Line and column (1-based) of a token, as keyword arguments for QueryError."""
    line = text.count("\n", 0, tok.start) + 1
    column = tok.start - (text.rfind("\n", 0, tok.start) + 1) + 1
    return {"line": line, "column": column}


def query_form(text: SparqlText) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them outside braces, if any."""
    for _, tok in text.words("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", depth=0):
        return tok.text.upper()
    return None
