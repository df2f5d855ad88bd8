"""Shared spaCy pipeline: a blank English tokenizer with a rule-based sentencizer.

No statistical model is loaded (nothing to download). Text is split into lines first,
because news copy often carries headlines, captions and bylines without final punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
_BULLET = re.compile(r"^\s*(?:[\u2022\u25aa\u25cf*\u2013-]|\d+[.)])\s+")  # list items often end without a full stop
_CREDIT = re.compile(r"\b(Photo|Source|Credit)s?:|\bvia (AP|REUTERS|Reuters|AFP|Getty)|Getty Images|/Pool\b|\(Source:")


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """``spacy.blank("en")`` with a sentencizer, built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True)
class Sentence:
    """A sentence with its character offsets in the article (end exclusive)."""

    text: str
    start: int
    end: int
    paragraph: int          # index of the line (paragraph) it belongs to
    complete: bool          # ends with terminal punctuation or is a list item (headlines and credits are not)
    caption: bool           # its line carries a photo credit


def sentences(text: str) -> list[Sentence]:
    """Sentences of an article, line by line, with offsets into ``text``."""
    nlp = pipeline()
    lines = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
    out: list[Sentence] = []
    for para, ((offset, line), doc) in enumerate(zip(lines, nlp.pipe(ln for _, ln in lines))):
        caption = bool(_CREDIT.search(line))
        for a, b in _bounds(line, [(x.start_char, x.end_char) for x in doc.sents]):
            chunk = line[a:b]
            s = chunk.strip()
            if not s:
                continue
            start = offset + a + (len(chunk) - len(chunk.lstrip()))
            complete = bool(_TERMINAL.search(s)) or (bool(_BULLET.match(line)) and len(s.split()) >= 6)
            out.append(Sentence(s, start, start + len(s), para, complete, caption))
    return out


def _bounds(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans, with an opening quotation mark moved to the sentence it opens
    (the sentencizer leaves it at the end of the previous one: 'losses. "The ...')."""
    out = [list(x) for x in spans]
    for i in range(len(out) - 1):
        seg = line[out[i][0]:out[i][1]]
        m = re.search(r"[.!?]\s+([\"\u201c\u2018']+)\s*$", seg)
        if m:
            cut = out[i][0] + m.start(1)
            out[i][1] = cut
            out[i + 1][0] = cut
    return [(a, b) for a, b in out]
