"""Boilerplate in plain text: lines that are widgets, advertisements, share or subscribe
prompts, related-link teasers and photo captions, marked as spans to skip.

Cleaning never rewrites the text: the article keeps every character, so that a quote's
offsets hold in the stored ``schema:text`` and re-anchor exactly; extraction reads the text
with the skipped spans blanked (``Article.readable_text``). The line shapes are data
(``boilerplate.toml``), one rule per kind with the reason beside it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..articles import Span

RULES_FILE = Path(__file__).with_name("boilerplate.toml")
MAX_LINE = 400  # a longer line is prose, whatever it ends with


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern
    after: str | None = None  # applies only on the line right after one of this kind


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    with RULES_FILE.open("rb") as f:
        data = tomllib.load(f)
    return tuple(Rule(r["kind"], re.compile(r["pattern"]), r.get("after"))
                 for r in data["rule"])


def line_kind(line: str, *, previous: str | None = None) -> str | None:
    """The kind of boilerplate a whole line is, or None for a line that may be prose;
    ``previous``: the kind of the line before it, if that was boilerplate."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_LINE:
        return None
    for rule in rules():
        if rule.after is not None and rule.after != previous:
            continue
        if rule.pattern.fullmatch(stripped):
            return rule.kind
    return None


def skip_spans(text: str) -> tuple[Span, ...]:
    """Spans of ``text`` to skip, one per boilerplate line (its visible characters only),
    in text order."""
    spans: list[Span] = []
    offset = 0
    previous: str | None = None
    for line in text.splitlines(keepends=True):
        kind = line_kind(line, previous=previous)
        previous = kind
        if kind is not None:
            body = line.rstrip("\r\n")
            start = offset + (len(body) - len(body.lstrip()))
            spans.append(Span(start, offset + len(body.rstrip()), kind))
        offset += len(line)
    return tuple(spans)
