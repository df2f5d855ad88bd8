"""The language-model extractor: a user's own model proposes fact records, the grounding gate
(``grounding``) proves each one against the article before it becomes a claim.

One request per window of sentences (``ChatSettings.window``; a short article is one window),
asking for the fact records of ``eval/FORMAT.md`` as JSON of a fixed schema. Requests run
``ChatSettings.concurrency`` at a time through ``chat.ChatClient``. An answer that is not JSON
of that shape is refused as a whole with the reason ``malformed answer``; every record in a
well-formed answer goes through the gate on its own.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .. import __version__
from ..articles import Article
from ..claims import COUNT_KINDS, EVENT_TYPES, HEDGES, STATUSES, Claim, Extractor
from .chat import Answer, ChatClient
from .grounding import MALFORMED, Gate, Verdict, refused
from .model import parse

log = logging.getLogger(__name__)

NAME = "llm"
_NULLABLE_STRING = {"type": ["string", "null"]}
_NUMBER = {"type": ["number", "null"]}

RECORD_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "actor", "target", "item", "quantity", "counts", "status", "event_time",
                 "claimed_by", "via", "quote"],
    "properties": {
        "type": {"type": "string", "enum": list(EVENT_TYPES)},
        "actor": {"type": "string"},
        "target": _NULLABLE_STRING,
        "item": _NULLABLE_STRING,
        "quantity": {"anyOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False,
            "required": ["value", "qualifier", "upper", "text"],
            "properties": {"value": _NUMBER, "qualifier": {"type": "string", "enum": list(HEDGES)},
                           "upper": _NUMBER, "text": _NULLABLE_STRING}}]},
        "counts": {"anyOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": list(COUNT_KINDS),
            "properties": {k: _NUMBER for k in COUNT_KINDS}}]},
        "status": {"type": "string", "enum": list(STATUSES)},
        "event_time": _NULLABLE_STRING,
        "claimed_by": _NULLABLE_STRING,
        "via": _NULLABLE_STRING,
        "quote": {"type": "string"},
    },
}
ANSWER_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["facts"],
                 "properties": {"facts": {"type": "array", "items": RECORD_SCHEMA}}}

INSTRUCTIONS = """You read news about North Korea's military cooperation with Russia and list the \
facts the text states, as JSON: {"facts": [record, ...]}. Each record:
- type: "deployment" (troops or workers sent), "transfer" (weapons, munitions or technology \
supplied), "treaty" (an agreement signed or ratified), "casualties" (killed, wounded, captured, \
missing), "statement" (an official's statement about the cooperation) or "meeting";
- actor: who does it, as the text names it; target: the recipient or destination, or null;
- item: what moves or which personnel, in the text's words, or null;
- quantity: {"value", "qualifier" (exact, at_least, over, approximately, up_to, range, vague), \
"upper", "text"} as written, or null; counts: casualties by kind, or null;
- status: reported, planned, confirmed, denied or possible;
- event_time: when, or null; claimed_by: who asserts it, or null; via: the outlet cited, or null;
- quote: the shortest passage that states the fact, copied character for character from the text.
List only what the text states. Do not infer, do not summarise, do not paraphrase the quote. \
If the text states no such fact, answer {"facts": []}."""


def extractor(model: str) -> Extractor:
    return Extractor(NAME, __version__, model)


@dataclass
class Reading:
    """What the model proposed for one article and what the gate made of it."""

    article: Article
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        """The accepted claims, once each, in text order."""
        seen: set[tuple] = set()
        out = []
        for v in self.verdicts:
            if v.claim is not None and (key := v.claim.identity(self.article.id)) not in seen:
                seen.add(key)
                out.append(v.claim)
        return sorted(out, key=lambda c: (c.start, c.end))

    def refusals(self) -> Counter:
        return Counter(v.reason for v in self.verdicts if not v.accepted)


@dataclass(frozen=True)
class Window:
    start: int   # article offsets of the text sent
    end: int


def windows(doc: Doc, size: int) -> list[Window]:
    """The article in runs of ``size`` sentences (one window for a short article)."""
    sents = [s for s in doc.sents if s.text.strip()]
    if not sents:
        return []

    def lo(s):
        return s.start_char + len(s.text) - len(s.text.lstrip())

    def hi(s):
        return s.end_char - (len(s.text) - len(s.text.rstrip()))

    return [Window(lo(sents[i]), hi(sents[min(i + size, len(sents)) - 1])) for i in range(0, len(sents), size)]


def messages(article: Article, window: Window) -> list[dict]:
    head = f"Title: {article.title}\n" if article.title else ""
    return [{"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": head + "Text:\n" + article.text[window.start:window.end]}]


def records_of(content: str) -> list | None:
    """The records of an answer: ``{"facts": [...]}`` or a bare list, inside a code fence or not;
    None when the answer is not that."""
    text = content.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.S)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("facts"), list):
        return data["facts"]
    return data if isinstance(data, list) else None


def judge(article: Article, doc: Doc, answers: list[tuple[Window, Answer]]) -> Reading:
    """The gate's verdict on every record of every answer."""
    reading = Reading(article)
    gate: Gate | None = None
    for window, answer in answers:
        records = records_of(answer.content)
        if records is None:
            reading.verdicts.append(refused(answer.content[:500], MALFORMED, "not JSON of the asked shape"))
            continue
        if gate is None:
            gate = Gate(article, doc, extractor(answer.model))
        gate.extractor = extractor(answer.model)
        reading.verdicts += [gate.check(r, near=window.start) for r in records]
    return reading


def read_many(articles: list[Article], client: ChatClient) -> list[Reading]:
    """Each article's reading: parsed here, its windows sent ``concurrency`` at a time."""
    docs = [parse(a.text) if (a.text or "").strip() else None for a in articles]
    jobs = [(i, w) for i, doc in enumerate(docs) if doc is not None
            for w in windows(doc, client.settings.window)]
    prompts = [messages(articles[i], w) for i, w in jobs]
    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        answers = list(pool.map(lambda m: client.complete(m, schema=ANSWER_SCHEMA), prompts))
    by_article: dict[int, list[tuple[Window, Answer]]] = {}
    for (i, w), answer in zip(jobs, answers):
        by_article.setdefault(i, []).append((w, answer))
    readings = []
    for i, article in enumerate(articles):
        reading = judge(article, docs[i], by_article.get(i, [])) if docs[i] is not None else Reading(article)
        counts = reading.refusals()
        if counts:
            log.info("%s: %d claims accepted, refused: %s", article.name or article.iri, len(reading.claims),
                     ", ".join(f"{n} {r}" for r, n in counts.most_common()))
        readings.append(reading)
    return readings
