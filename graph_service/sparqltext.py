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
from functools import lru_cache
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


def top_limit(text: SparqlText) -> int | None:
    """The ``LIMIT`` of the outermost query, if it has one written as a plain integer.

    Outside braces the only place the grammar allows LIMIT is the outer query's solution
    modifier (SPARQL 1.1 §18.1: subqueries sit inside a group), so at most that many solutions
    come back.
    """
    for _, tok in text.words("LIMIT", depth=0):
        m = _LIMIT.match(text.text, tok.start)
        return int(m.group(1)) if m else None
    return None


_LIMIT = re.compile(r"LIMIT\s+(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class CountAll:
    """A query that is nothing but ``COUNT(*)`` over every quad of a scope.

    ``scope``: ``"union"`` (``{ ?s ?p ?o }`` on the union default graph: every quad of the
    store, the default graph's and duplicates across graphs included), ``"named"``
    (``{ GRAPH ?g { ?s ?p ?o } }``: every quad of the named graphs) or ``"graph"``
    (``{ GRAPH <g> { ?s ?p ?o } }``: the quads of ``graph``).
    """

    variable: str       # the name the count is bound to, without ? or $
    scope: str
    graph: str | None = None


def count_all(text: SparqlText) -> CountAll | None:
    """The ``CountAll`` the query is, or None when it is anything else.

    Matched on the token stream, so spacing, case, comments, prefixed names and ``\\u``
    escapes do not matter, and anything beyond the exact shape (a dataset clause, DISTINCT,
    a filter, a solution modifier, VALUES, a repeated variable) is not a match.
    """
    toks = text.tokens
    i = _after_prologue(toks)
    head = [t.text.upper() if t.kind == "word" else t.text for t in toks[i:i + 9]]
    if len(head) < 9 or head[:7] != ["SELECT", "(", "COUNT", "(", "*", ")", "AS"] \
            or toks[i + 7].kind != "var" or head[8] != ")":
        return None
    variable = toks[i + 7].text[1:]
    i += 9
    if i < len(toks) and toks[i].is_word("WHERE"):
        i += 1
    body = toks[i:]
    if len(body) < 5 or body[0].text != "{" or body[-1].text != "}":
        return None
    inner = body[1:-1]
    if inner and inner[-1].text == ".":
        inner = inner[:-1]
    if len(inner) == 3:
        scope, graph, triple = "union", None, inner
    elif len(inner) in (7, 8) and inner[0].is_word("GRAPH") and inner[2].text == "{" \
            and inner[-1].text == "}":
        triple = inner[3:-1]
        if len(triple) == 4 and triple[-1].text == ".":
            triple = triple[:-1]
        if len(triple) != 3:
            return None
        if inner[1].kind == "var":
            scope, graph = "named", None
            triple = [inner[1], *triple]
        else:
            scope, graph = "graph", text.iri_at(i + 2)
            if graph is None:
                return None
    else:
        return None
    names = [t.text[1:] for t in triple if t.kind == "var"]
    if len(names) != len(triple) or len({*names, variable}) != len(names) + 1:
        return None
    return CountAll(variable, scope, graph)


def _after_prologue(toks: list[Token]) -> int:
    """Index of the first token after the BASE and PREFIX declarations."""
    i = 0
    while i < len(toks):
        if toks[i].is_word("BASE") and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            i += 2
        elif toks[i].is_word("PREFIX") and i + 2 < len(toks) and toks[i + 1].kind == "pname" \
                and toks[i + 2].kind == "iri":
            i += 3
        else:
            return i
    return i


@dataclass(frozen=True)
class QueryFacts:
    """What the HTTP layer needs to know about a query before running it, read in one pass.

    Holds no tokens beyond the few it reports, so many can be kept: see ``query_facts``.
    """

    text: str                                   # after \u escapes
    form: str | None
    limit: int | None
    count: CountAll | None
    _services: tuple[tuple[str | None, Token], ...]
    _loads: tuple[Token, ...]
    _dataset: tuple[tuple[str, ...], tuple[str, ...]] | None
    _from_error: tuple[str, int | None, int | None] | None   # message, line, column

    @classmethod
    def read(cls, text: SparqlText) -> "QueryFacts":
        try:
            dataset, bad = text.dataset(), None
        except QueryError as err:  # kept as values: the error's frames would keep the tokens
            dataset, bad = None, (err.message, err.line, err.column)
        return cls(text.text, query_form(text), top_limit(text), count_all(text),
                   tuple(text.services()), tuple(text.loads()),
                   None if dataset is None else (tuple(dataset[0]), tuple(dataset[1])), bad)

    def services(self) -> list[tuple[str | None, Token]]:
        return list(self._services)

    def loads(self) -> list[Token]:
        return list(self._loads)

    def dataset(self) -> tuple[list[str], list[str]] | None:
        """As ``SparqlText.dataset``: the FROM and FROM NAMED graphs, None without any."""
        if self._from_error is not None:
            message, line, column = self._from_error
            raise QueryError(message, line=line, column=column)
        return None if self._dataset is None else (list(self._dataset[0]),
                                                   list(self._dataset[1]))


# Texts longer than this are read afresh each time: the cache stays small whatever is sent.
CACHED_TEXT = 16 * 1024


def query_facts(text: str, *, base_iri: str | None = None) -> QueryFacts:
    """``QueryFacts`` of a query text, remembered for the last few hundred distinct texts.

    Clients repeat the same queries (dashboards, the JSON API, benchmarks), and reading a
    4 KB query costs milliseconds of Python; the facts of a text and base never change.
    """
    if len(text) > CACHED_TEXT:
        return QueryFacts.read(SparqlText(text, base_iri=base_iri))
    return _cached_facts(text, base_iri)


@lru_cache(maxsize=512)
def _cached_facts(text: str, base_iri: str | None) -> QueryFacts:
    return QueryFacts.read(SparqlText(text, base_iri=base_iri))
