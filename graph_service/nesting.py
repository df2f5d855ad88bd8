"""How deeply a text nests brackets, counted before any parser sees it.

Oxigraph's SPARQL, Turtle and JSON-LD parsers, rdflib's SPARQL parser and Python's ``json``
descend one level per bracket, so a small body of a few thousand ``{``, ``(`` or ``[`` runs
them out of stack (a crash of the whole process for Oxigraph) or out of time (nested Turtle
collections). ``depth`` is an upper bound on the nesting any of them can see:

* brackets outside strings, comments (``#`` to the end of the line) and IRIs (``<…>``), as
  the lexer below reads them, open and close levels;
* inside those, brackets can only raise the count (see ``depth``), in case the lexer read
  as text what a parser reads as structure.

So a lexing mistake can only raise the count, never lower it below the parser's real depth. For SPARQL, ``\\u`` escapes are expanded
first, as the grammar does before parsing (SPARQL 1.1 §19.2).
"""

from __future__ import annotations

import re

OPEN = "{(["
CLOSE = "})]"

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Things inside which a closing bracket is not structure. IRIs exclude spaces and braces
# (IRIREF of SPARQL and Turtle); a comparison like ``?a<?b`` read as an IRI only hides
# brackets, which raises the count. An unterminated string runs to the end of its line (or,
# for long strings and JSON, of the text): reading more as string only raises the count.
_STRINGS = r"""
    '''(?:[^'\\]|\\.?|'(?!''))*(?:'''|\Z) | \"\"\"(?:[^"\\]|\\.?|"(?!""))*(?:\"\"\"|\Z)
  | '(?:[^'\\\n\r]|\\[^\n\r]?)*(?:'|$) | "(?:[^"\\\n\r]|\\[^\n\r]?)*(?:"|$)"""
_RDF = re.compile(r"""
    (?P<skip>\#[^\n\r]* | %s | <[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<open>[{(\[]) | (?P<close>[})\]])
""" % _STRINGS, re.VERBOSE | re.DOTALL | re.MULTILINE)
_JSON = re.compile(r'(?P<skip>"(?:[^"\\]|\\.?)*(?:"|\Z))|(?P<open>[{\[])|(?P<close>[}\]])',
                   re.DOTALL)
_BRACKET = re.compile(r"[{}()\[\]]")


def depth(text: str, *, syntax: str = "rdf") -> int:
    """The bound on bracket nesting of ``text``; ``syntax`` is "sparql", "rdf" (Turtle,
    TriG, N-Triples, N-Quads) or "json" (JSON, JSON-LD).

    A skipped part (string, comment, IRI) is counted as if it might be structure after all:
    the level after it rises by its excess of opening over closing brackets (never falls),
    and its deepest point counts too. Whether it is text or structure, the real level is
    then no higher than the count.
    """
    if syntax == "sparql":
        text = _CODEPOINT.sub(lambda m: _chr(m.group(1) or m.group(2)), text)
    pattern = _JSON if syntax == "json" else _RDF
    level = deepest = 0
    for m in pattern.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            level += 1
            if level > deepest:
                deepest = level
        elif kind == "close":
            if level:
                level -= 1
        else:
            skipped = m.group()
            if _BRACKET.search(skipped) is None:
                continue
            run = peak = 0
            for b in _BRACKET.findall(skipped):
                run += 1 if b in OPEN else -1
                peak = max(peak, run)
            deepest = max(deepest, level + peak)
            level += max(0, run)
    return deepest


def _chr(hex_digits: str) -> str:
    code = int(hex_digits, 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


_XML_SKIP = re.compile(rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<\?.*?(?:\?>|\Z)", re.DOTALL)
_XML_TAG = re.compile(rb"""<(/?)(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")


def xml_depth(data: bytes) -> int:
    """An upper bound on the element nesting of an XML document. Comments, CDATA sections
    and processing instructions are left out; every start tag opens a level and only an end
    tag or an empty-element tag (``<a/>``) outside them closes one (text cannot hold ``<``)."""
    level = deepest = 0
    pos = 0
    for chunk_end, skip_end in [(m.start(), m.end()) for m in _XML_SKIP.finditer(data)] + \
            [(len(data), len(data))]:
        for m in _XML_TAG.finditer(data, pos, chunk_end):
            if m.group(1):
                level = max(0, level - 1)
            elif not m.group(2):
                level += 1
                deepest = max(deepest, level)
        pos = skip_end
    return deepest
