"""The grounding gate: a fact record a language model proposes becomes a claim only when the
article bears it out.

Following the alignment rule of google/langextract (an extraction carries the character interval
where it was found, and output that does not align is flagged, never trusted), each record is
checked in turn, and the first check it fails is the reason it is refused:

1. it is a record: a JSON object with a known ``type`` and a ``quote``;
2. the quote is in the article, verbatim after normalising only whitespace, curly quotes and
   dashes; the claim's quote and offsets are the article's own characters, never the model's copy;
3. the actor and target resolve to entity mentions inside the quote, and the claimer and outlet
   (and a statement's actor, its speaker) to mentions in the quote or its attribution context (the
   sentences the quote is in and the one before), through the rule path's entity resolution
   (``entities.Mentions``);
4. numbers are read again from the quote by the project's hedge normaliser (``quantities``): a
   quantity or casualty count the quote does not contain is refused; the value and hedge kept are
   the normaliser's, not the model's;
5. the date is resolved by ``timex`` from the words of the quote against the publication date;
   the model's date only chooses between several the quote holds.

An item the quote does not contain is dropped from the claim, not trusted (noted in the
verdict). Type and roles are then checked by the SHACL shapes with every other claim (the
pipeline refuses an LLM claim that fails them, with the shape's message as the reason).
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..articles import Article
from ..claims import COUNT_KINDS, EVENT_TYPES, STATUSES, Claim, Entity, Extractor, Quantity, TimeSpec
from ..gazetteer import gazetteer
from .entities import Mention, Mentions, as_state, reference, state_of
from .quantities import find_quantities
from .timex import find_times

log = logging.getLogger(__name__)

# The reasons a record is refused, as logged and counted.
MALFORMED = "malformed answer"
NOT_A_RECORD = "not a fact record"
UNKNOWN_TYPE = "unknown type"
NO_QUOTE = "no quote"
QUOTE_NOT_FOUND = "quote not found in the article"
ACTOR_NOT_IN_QUOTE = "actor not in the quote"
TARGET_NOT_IN_QUOTE = "target not in the quote"
CLAIMER_NOT_IN_CONTEXT = "claimer not in the quote or its attribution"
VIA_NOT_IN_CONTEXT = "outlet not in the quote or its attribution"
NUMBER_NOT_IN_QUOTE = "number not in the quote"
COUNT_NOT_IN_QUOTE = "casualty count not in the quote"
SHAPES = "fails the shapes"

_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                       "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                       "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                       "\u2015": "-", "\u2212": "-"})


@dataclass
class Verdict:
    """What the gate made of one proposed record: a claim, or the reason it was refused."""

    record: object
    claim: Claim | None = None
    reason: str | None = None
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.claim is not None

    def as_dict(self, article_id: str | None = None) -> dict:
        out = {"record": self.record, "verdict": "accepted" if self.accepted else "refused"}
        if self.reason:
            out["reason"] = self.reason
        if self.detail:
            out["detail"] = self.detail
        if self.notes:
            out["notes"] = self.notes
        if self.claim is not None:
            out["claim"] = self.claim.fact_record(article_id=article_id)
        return out


def refused(record: object, reason: str, detail: str = "") -> Verdict:
    log.info("refused (%s%s): %.200r", reason, f": {detail}" if detail else "", record)
    return Verdict(record=record, reason=reason, detail=detail)


# -- the quote --------------------------------------------------------------------------------

class NormalText:
    """The article's text with whitespace runs made one space and curly quotes and dashes made
    straight, with a map from each normalised character back to the article's offset."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        where: list[int] = []
        for m in re.finditer(r"\s+|\S", text):
            chars.append(" " if m.group(0).isspace() else m.group(0).translate(_FOLD))
            where.append(m.start())
        self.text = "".join(chars)
        self.where = where

    def find(self, quote: str, *, near: int = 0) -> tuple[int, int] | None:
        """Article offsets (start, end exclusive) of ``quote``; of several occurrences, the
        one nearest ``near`` (an article offset)."""
        needle = normalise(quote)
        if not needle:
            return None
        hits = []
        i = self.text.find(needle)
        while i >= 0:
            hits.append(i)
            i = self.text.find(needle, i + 1)
        if not hits:
            return None
        best = min(hits, key=lambda h: abs(self.where[h] - near))
        # the needle is stripped, so its last character is one character of the article
        return self.where[best], self.where[best + len(needle) - 1] + 1


def normalise(text: str) -> str:
    """Whitespace runs to one space, curly quotes and dashes to straight ones; nothing else."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


# -- the gate ---------------------------------------------------------------------------------

class Gate:
    """Checks records proposed for one article (``article.text`` is what ``doc`` parsed)."""

    def __init__(self, article: Article, doc: Doc, extractor: Extractor) -> None:
        self.article = article
        self.doc = doc
        self.mentions = Mentions(doc)
        self.normal = NormalText(article.text)
        self.extractor = extractor
        self._sent_starts = [s.start_char for s in doc.sents]
        self._sents = list(doc.sents)

    def check(self, record: object, *, near: int = 0) -> Verdict:
        """The verdict on one record; ``near`` is where in the article the model was reading."""
        if not isinstance(record, dict):
            return refused(record, NOT_A_RECORD, f"a {type(record).__name__}, not an object")
        kind = record.get("type")
        if kind not in EVENT_TYPES:
            return refused(record, UNKNOWN_TYPE, repr(kind))
        quote = record.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            return refused(record, NO_QUOTE)
        found = self.normal.find(quote, near=near)
        if found is None:
            return refused(record, QUOTE_NOT_FOUND, quote[:120])
        start, end = found
        return self._fields(record, kind, start, end)

    def _fields(self, record: dict, kind: str, start: int, end: int) -> Verdict:
        inside = self._mentions(start, end)
        context = self._mentions(*self._context(start, end))
        notes: list[str] = []
        actor = _resolve(_name(record.get("actor")), inside)
        if actor is None and kind == "statement":
            # a statement's actor is its speaker, named where the words are attributed
            actor = _resolve(_name(record.get("actor")), context) or self._described(
                _name(record.get("actor")), *self._context(start, end))
        if actor is None:
            return refused(record, ACTOR_NOT_IN_QUOTE, repr(record.get("actor")))
        target = None
        if _name(record.get("target")):
            target = _resolve(_name(record["target"]), inside)
            if target is None:
                return refused(record, TARGET_NOT_IN_QUOTE, repr(record.get("target")))
        claimed_by = None
        if _name(record.get("claimed_by")):
            claimed_by = _resolve(_name(record["claimed_by"]), context) or self._described(
                _name(record["claimed_by"]), *self._context(start, end))
            if claimed_by is None:
                return refused(record, CLAIMER_NOT_IN_CONTEXT, repr(record.get("claimed_by")))
        via: list[Entity] = []
        for name in _names(record.get("via")):
            outlet = _resolve(name, context)
            if outlet is None:
                return refused(record, VIA_NOT_IN_CONTEXT, repr(name))
            via.append(outlet)
        quote = self.article.text[start:end]
        numbers = find_quantities(quote)
        quantity, problem = _quantity(record.get("quantity"), numbers)
        if problem:
            return refused(record, NUMBER_NOT_IN_QUOTE, problem)
        counts: dict[str, Quantity] = {}
        for count_kind, value in _counts(record.get("counts")):
            q = _number_in(value, numbers)
            if q is None:
                return refused(record, COUNT_NOT_IN_QUOTE, f"{count_kind} {value:g}")
            counts[count_kind] = q
        item = record.get("item") if isinstance(record.get("item"), str) and record["item"].strip() else None
        if item is not None and normalise(item).lower() not in normalise(quote).lower():
            notes.append(f"item {item!r} is not in the quote: dropped")
            item = None
        status = record.get("status") if record.get("status") in STATUSES else "reported"
        claim = Claim(
            type=kind, actor=actor, target=target, quote=quote, start=start, end=end, status=status,
            item=item, quantity=quantity, counts=counts,
            event_time=None if kind == "statement" else _time(quote, self.article, record.get("event_time")),
            claimed_by=claimed_by, via=tuple(via), generated_by=(self.extractor,),
        )
        return Verdict(record=record, claim=claim, notes=notes)

    # -- where to look --------------------------------------------------------------------------

    def _mentions(self, start: int, end: int) -> list[Mention]:
        doc = self.doc
        return [m for m in self.mentions.items
                if doc[m.start].idx >= start and doc[m.end - 1].idx + len(doc[m.end - 1].text) <= end]

    def _context(self, start: int, end: int) -> tuple[int, int]:
        """The attribution context of a quote: the sentences it overlaps and the one before."""
        if not self._sents:
            return start, end
        first = max(0, bisect.bisect_right(self._sent_starts, start) - 1)
        last = max(0, bisect.bisect_right(self._sent_starts, max(start, end - 1)) - 1)
        lo = self._sents[max(0, first - 1)].start_char
        return min(lo, start), max(self._sents[last].end_char, end)

    def _described(self, name: str, start: int, end: int) -> Entity | None:
        """A described source ("a South Korean government official") written in the context,
        with the state a name inside it belongs to as its affiliation."""
        where = self.article.text[start:end]
        needle = normalise(name).lower()
        at = normalise(where).lower().find(needle)
        if len(needle.split()) < 2 or at < 0:
            return None
        hits = [h for h in gazetteer().find(name) if h.refs]
        affiliation = as_state(reference(hits[0].refs[0].label)) if hits else None
        return Entity(label=normalise(name), kind="AnonymousSource", affiliation=affiliation,
                      text=normalise(name))


# -- names ------------------------------------------------------------------------------------

def _name(value: object) -> str:
    return normalise(value) if isinstance(value, str) else ""


def _names(value: object) -> list[str]:
    if isinstance(value, list):
        return [n for v in value if (n := _name(v))]
    return [n for part in _name(value).split(" / ") if (n := part.strip())]


def _fold(text: str | None) -> str:
    return re.sub(r"[^\w]+", " ", normalise(text or "").lower().replace("'s", "")).strip()


def _resolve(name: str, mentions: list[Mention]) -> Entity | None:
    """The entity among ``mentions`` that ``name`` names: the same reference entity (by any of
    its aliases: "DPRK", "Pyongyang"), the same words, or the state the mention belongs to when
    the model names the state ("North Korean troops" -> North Korea)."""
    if not name:
        return None
    folded = _fold(name)
    ref = gazetteer().get(name)
    if ref is None:
        hits = gazetteer().find(name)
        if len(hits) == 1 and _fold(hits[0].text) == folded:
            ref = hits[0].refs[0]
    for m in mentions:
        e = m.entity
        if ref is not None and e.iri == ref.iri:
            return e
        if folded in (_fold(e.label), _fold(e.text)):
            return e
        if e.kind == "Person" and folded and set(folded.split()) <= set(_fold(e.label).split() + _fold(e.text).split()):
            return e  # "Belousov" for "Andrei Belousov"
    if ref is not None and ref.kind == "State":
        for m in mentions:
            if state_of(m.entity) == ref.label:
                return reference(ref.label)
    return None


# -- numbers and dates --------------------------------------------------------------------------

def _value(x: object) -> float | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x.replace(",", ""))
        except ValueError:
            return None
    return None


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def _number_in(value: float, numbers) -> Quantity | None:
    for n in numbers:
        q = n.quantity
        if _same(value, q.value) or _same(value, q.lower) or _same(value, q.upper):
            return q
    return None


def _quantity(given: object, numbers) -> tuple[Quantity | None, str | None]:
    """The quote's own quantity that the model's one names, or the reason there is none."""
    if not isinstance(given, dict):
        return None, None
    value = _value(given.get("value"))
    if value is not None:
        q = _number_in(value, numbers)
        return (q, None) if q is not None else (None, f"{value:g}")
    text = _name(given.get("text")).lower()
    if text:  # a vague quantity ("dozens of"): the words must be the quote's
        for n in numbers:
            if n.quantity.qualifier == "vague" and text.startswith(normalise(n.quantity.text).lower()):
                return n.quantity, None
        return None, repr(given.get("text"))
    return None, None


def _counts(given: object) -> list[tuple[str, float]]:
    if not isinstance(given, dict):
        return []
    return [(k, v) for k in COUNT_KINDS if (v := _value(given.get(k))) is not None]


def _time(quote: str, article: Article, proposed: object) -> TimeSpec | None:
    """The time the quote's words state, against the publication date; the model's value only
    chooses between several."""
    found = find_times(quote, article.published)
    if not found:
        return None
    for m in found:
        if isinstance(proposed, str) and m.time.normalized == proposed.strip():
            return m.time
    return found[0].time
