"""Assembling claims: frames + attribution + status + time -> ``Claim``.

For each sentence, the frame modules read the parse; each frame becomes a claim with the
quote of its clause (exact characters and offsets), its attribution (carried over from the
previous sentence while the article keeps reporting the same source), its status from the
modal, negation and confirm/deny words over the trigger, and its time from the words of its
own clause, resolved against the publication date. A fact stated again in the same words
(same type, parties, item, number and source) is kept once.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..articles import Article
from ..claims import Claim, TimeSpec
from .attribution import Attribution, attribute, continues, speaker
from .entities import Mentions, state_of
from .frames import casualties, deployment, meeting, statement, transfer, treaty
from .frames.common import Frame, Sentence, clause_head, lemma, negated
from .lexicon import lexicon
from .timex import find_times

_SKIP_LEAD = ("cc", "mark", "punct", "prep")


def claims_of(doc: Doc, article: Article) -> list[Claim]:
    mentions = Mentions(doc)
    out: list[Claim] = []
    seen: set[tuple] = set()
    carried: Attribution | None = None
    context_nk = False
    treaty_seen = False
    quoted = _quotations(doc, mentions)
    for index, span in enumerate(doc.sents):
        if not span.text.strip() or _not_body(span, article):
            continue
        if _new_paragraph(span):
            carried = None
        sent = Sentence(span, mentions, index, context_nk=context_nk, treaty_seen=treaty_seen)
        nk_here = any(state_of(m.entity) == "North Korea" for m in mentions.in_span(span.start, span.end))
        frames = (deployment.find(sent) + transfer.find(sent) + casualties.find(sent, context_nk=context_nk)
                  + meeting.find(sent) + treaty.find(sent))
        frames = _background(frames)
        context_nk = context_nk or nk_here
        here = carried if carried is not None and continues(span) else None
        if span.start in quoted:
            here = quoted[span.start]
        kept = [(f, c) for f in frames if (c := _keep(_claim(f, span, mentions, here, article), f, seen))]
        # a fact the article already gave does not silence the words around it
        triggers = {f.trigger.i for f, _ in kept} | {f.anchor.i for f, _ in kept if f.anchor is not None}
        said = statement.find(sent, fact_triggers=triggers, previous=carried.claimed_by if carried else None)
        if not said and not kept and span.start in quoted and here.claimed_by is not None \
                and not _has_reporting_verb(span):
            # a sentence inside a quotation: the quoted speaker's words
            more = statement.continued(sent, here.claimed_by)
            said = [more] if more is not None else []
        denied = [f for f in said if _denies_what_was_said(f)]
        # ("denied the accusations but vowed to deepen ties": what else they said stays said)
        said = [f for f in said if f not in denied or any(c.dep_ == "conj" and c.pos_ == "VERB"
                                                          for c in f.trigger.children)]
        kept += [(f, c) for f in said if (c := _keep(_claim(f, span, mentions, here, article), f, seen))]
        kept += [(f, c) for f in denied for c in _denial(f, span, out, article)]
        for _, claim in kept:
            treaty_seen = treaty_seen or claim.type == "treaty"
            out.append(claim)
        carried = _sentence_source(span, mentions, carried) or (carried if continues(span) else None)
    return out


_ACCUSATIONS = {"accusation", "allegation", "claim", "charge", "report"}


def _denies_what_was_said(frame: Frame) -> bool:
    """"Both Moscow and Pyongyang have denied the accusations": a denial of what the article
    has just reported."""
    verb = frame.trigger
    return lemma(verb) in lexicon().deny_verbs and any(
        c.dep_ == "dobj" and lemma(c) in _ACCUSATIONS and any(d.lower_ in ("the", "these", "those", "such")
                                                               for d in c.children)
        for c in verb.children)


def _denial(frame: Frame, span: Span, earlier: list[Claim], article: Article) -> list[Claim]:
    """The fact the accusation stated, once more, denied by the one who denies it, quoted from
    the denial; none when the article has stated no fact just before."""
    doc = span.doc
    window = doc[span.start].idx - 400
    facts = [c for c in earlier if c.type != "statement" and c.end >= window and c.end <= doc[span.start].idx]
    if not facts:
        return []
    start, end = _trim(span.start, span.end, doc)
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return [replace(facts[-1], quote=article.text[a:b], start=a, end=b, status="denied",
                    claimed_by=frame.actor, via=())]


def _background(frames: list[Frame]) -> list[Frame]:
    """"2,000 North Korean soldiers fighting for Russia have been killed", "the elimination of 25
    North Korean soldiers in Kursk": the participle or the place only says who the fallen were;
    the sentence's fact is the casualties."""
    if not any(f.type == "casualties" for f in frames):
        return frames
    return [f for f in frames if not (f.type == "deployment" and (
        f.trigger.dep_ in ("acl", "relcl") and f.trigger.head.pos_ in ("NOUN", "PROPN")
        or f.trigger.pos_ == "NOUN" and lemma(f.trigger) in lexicon().personnel))]


def _keep(claim: Claim | None, frame: Frame, seen: set[tuple]) -> Claim | None:
    """The claim, unless the article already stated it; ``seen`` learns its keys."""
    if claim is None:
        return None
    key = (claim.type, frame.trigger.lemma_ if claim.type == "treaty" else None,
           claim.actor.label, claim.target.label if claim.target else None,
           (claim.item or "").lower(), claim.quantity.value if claim.quantity else None,
           tuple(sorted((k, q.value) for k, q in claim.counts.items())),
           claim.claimed_by.label if claim.claimed_by else None, claim.status)
    again = _restated(claim)
    if key in seen or again in seen:
        return None
    seen.add(key)
    if again is not None:
        seen.add(again)
    return claim


def _restated(claim: Claim) -> tuple | None:
    """The key under which a fact without a figure is the same fact stated again: a deployment
    or meeting between the same parties, with the same status and time, whatever the wording.
    ("Shoigu visited Pyongyang" and "Shoigu last visited Pyongyang in March" are two visits.)"""
    if claim.type not in ("deployment", "meeting") or claim.quantity is not None:
        return None
    parties = (claim.actor.label, claim.target.label if claim.target else None)
    if claim.type == "meeting":
        parties = tuple(sorted(p or "" for p in parties))
    source = claim.claimed_by.label if claim.claimed_by and claim.type == "deployment" else None
    when = claim.event_time.normalized if claim.event_time else None
    return ("again", claim.type, parties, claim.status, source, when)


def _claim(frame: Frame, span: Span, mentions: Mentions, carried, article: Article) -> Claim | None:
    if frame.actor is None:
        return None
    if frame.type != "statement" and _asked(frame.anchor if frame.anchor is not None else frame.trigger):
        return None
    attr = attribute(frame.trigger, span, mentions, carried)
    if frame.type == "statement":
        start, end = _trim(span.start, span.end, span.doc)
        claimed_by, via = None, attr.via
    else:
        start, end = _clause(frame, span)
        claimed_by, via = attr.claimed_by, attr.via
    doc = span.doc
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    quote = article.text[a:b]
    if not quote.strip():
        return None
    return Claim(
        type=frame.type, actor=frame.actor, target=frame.target, quote=quote, start=a, end=b,
        status=frame.status or _status(frame, attr), item=frame.item, quantity=frame.quantity,
        counts=frame.counts, event_time=_time(frame, doc, start, end, article), claimed_by=claimed_by,
        via=tuple(via), location=frame.location, treaty=frame.treaty,
    )


def _asked(tok: Token) -> bool:
    """"Shin did not say whether Russia has transferred the technology": a question, not a fact."""
    head = clause_head(tok)
    return any(c.dep_ == "mark" and c.lower_ == "whether" for c in head.children)


# -- quote ----------------------------------------------------------------------------------

def _clause(frame: Frame, span: Span) -> tuple[int, int]:
    """Token bounds of the clause that states the fact (never beyond the sentence)."""
    anchor = frame.anchor if frame.anchor is not None else frame.trigger
    head = clause_head(anchor)
    lex = lexicon()
    if head.pos_ == "VERB" and lemma(head) in lex.reporting_verbs and head.i != frame.trigger.i:
        head = anchor if anchor.pos_ in ("VERB", "AUX") else _below(anchor, head)
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    lo, hi = max(lo, span.start), min(hi, span.end)
    # a noun trigger's clause may not contain the frame's number: widen to the sentence then
    return _trim(lo, hi, span.doc)


def _below(tok: Token, top: Token) -> Token:
    t = tok
    while t.head.i != top.i and t.head.i != t.i:
        t = t.head
    return t


def _trim(lo: int, hi: int, doc: Doc) -> tuple[int, int]:
    while lo < hi - 1 and (doc[lo].dep_ in _SKIP_LEAD and doc[lo].pos_ in ("CCONJ", "SCONJ", "PUNCT")
                           or doc[lo].is_space or doc[lo].text in (",", ";", ":", "\u2014", "-")):
        lo += 1
    while hi - 1 > lo and (doc[hi - 1].is_punct and doc[hi - 1].text not in (")", "\u201d", '"')
                           or doc[hi - 1].is_space):
        hi -= 1
    return lo, hi


# -- status and time ------------------------------------------------------------------------

def _status(frame: Frame, attr: Attribution) -> str:
    lex = lexicon()
    t = frame.trigger
    chain = [t]
    while chain[-1].dep_ in ("xcomp", "ccomp", "acomp", "conj", "pcomp", "advcl") and len(chain) < 4 \
            and chain[-1].head.i != chain[-1].i and lemma(chain[-1].head) not in lex.reporting_verbs:
        chain.append(chain[-1].head)
    for tok in chain:
        for c in tok.children:
            w = lemma(c)
            if c.dep_ == "neg":
                return "denied"
            if c.dep_ in ("aux", "advmod", "auxpass") and w in lex.possible:
                return "possible"
            if c.dep_ in ("aux",) and w in ("will", "shall", "'ll"):
                return "planned"
        if tok.i != t.i:
            w = lemma(tok)
            if w in lex.possible:
                return "possible"
            if w in lex.planned:
                return "planned"
    if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN":
        # "further deliveries are likely", "a visit is expected": the predicate hedges the noun
        for c in t.head.children:
            if c.dep_ in ("acomp", "attr", "xcomp", "aux", "auxpass") and lemma(c) in lex.possible:
                return "possible"
            if c.dep_ in ("acomp", "xcomp", "aux") and lemma(c) in lex.planned | {"will", "shall"}:
                return "planned"
        if lemma(t.head) in lex.planned and t.head.tag_ == "VBN":
            return "planned"
    if attr.verb is not None:
        w = lemma(attr.verb)
        if negated(attr.verb):
            return "reported"  # "has not confirmed", "neither denied nor confirmed"
        if w in lex.confirm_verbs:
            return "confirmed"
        if w in lex.deny_verbs:
            return "denied"
        for c in attr.verb.children:
            if c.dep_ in ("aux", "advmod") and lemma(c) in ("may", "might", "could"):
                return "possible"
    return "reported"


def _time(frame: Frame, doc: Doc, start: int, end: int, article: Article) -> TimeSpec | None:
    if frame.type == "statement":
        return None
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    found = find_times(article.text[a:b], article.published)
    if not found:
        return None
    pos = frame.trigger.idx - a
    return min(found, key=lambda m: abs(m.start - pos)).time


# -- attribution across sentences -----------------------------------------------------------

def _sentence_source(span: Span, mentions: Mentions, carried: Attribution | None) -> Attribution | None:
    lex = lexicon()
    for tok in span:
        if tok.pos_ == "VERB" and lemma(tok) in lex.reporting_verbs and tok.dep_ in ("ROOT", "parataxis", "ccomp"):
            who = speaker(tok, mentions, carried.claimed_by if carried else None)
            if who is not None and who.kind != "NewsOutlet":
                return Attribution(claimed_by=who, verb=None)
    return None


_CREDIT = re.compile(r"\b(?:Photo|Source|Credit|Image)s?:|\bvia (?:AP|REUTERS|Reuters|AFP|Getty)|Getty Images|/Pool\b"
                     r"|\((?:Photo|Source):")
_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")


def _not_body(span: Span, article: Article) -> bool:
    """Headlines, captions, credits and page furniture: a line that repeats the title, carries
    a photo credit, or lacks final punctuation and is the first line or a short fragment."""
    text = article.text  # the parsed text itself; Doc.text is rebuilt on every read
    words = [t for t in span if not t.is_space]
    if not words:
        return True
    lo = text.rfind("\n", 0, words[0].idx) + 1
    hi = text.find("\n", words[-1].idx)
    line = text[lo: hi if hi >= 0 else len(text)].strip()
    if article.title and _fold(line) == _fold(article.title):
        return True
    if _CREDIT.search(line):
        return True
    if _TERMINAL.search(line):
        return False
    first = not text[:lo].strip()
    return first or len(line.split()) < 6   # the headline, or a fragment


def _fold(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


_OPEN, _CLOSE = "\u201c", "\u201d"


def _open_quote(text: str) -> bool:
    """Whether a sentence leaves a quotation open at its end."""
    curly = text.count(_OPEN) - text.count(_CLOSE)
    return curly > 0 or (curly == 0 and text.count('"') % 2 == 1)


def _quotations(doc: Doc, mentions: Mentions) -> dict[int, Attribution]:
    """Sentences inside a quotation that runs over several sentences, mapped to the speaker
    named where it closes ('"... . ... . ...," Rutte said.'). A paragraph that is all quotation
    and names no speaker goes on quoting the speaker of the quotation just before it."""
    out: dict[int, Attribution] = {}
    group: list[Span] = []
    speaker: Attribution | None = None  # who the last quotation was from, while quoting goes on
    for span in doc.sents:
        text = span.text.strip()
        if not text:
            continue
        if group and _new_paragraph(span):
            group = []
        if group:
            closes = text.count(_CLOSE) > text.count(_OPEN) or text.count('"') % 2 == 1
            if not closes:
                group.append(span)
                continue
            source = _sentence_source(span, mentions, None)
            if source is None and _new_paragraph(group[0]) and _ends_paragraph(span):
                source = speaker  # a paragraph of quotation with no speaker of its own
                group.append(span)
            for inner in group if source is not None else ():
                out[inner.start] = source
            speaker, group = source, []
            continue
        quoting = text[:1] in (_OPEN, '"')
        if quoting and _open_quote(text):
            group = [span]
            continue
        source = _sentence_source(span, mentions, None) if quoting or _CLOSE in text or '"' in text else None
        if source is None and quoting and speaker is not None and _new_paragraph(span) and _ends_paragraph(span):
            out[span.start] = source = speaker
        speaker = source
    return out


def _ends_paragraph(span: Span) -> bool:
    doc = span.doc
    last = doc[span.end - 1]
    if "\n" in last.text or "\n" in last.whitespace_ or span.end >= len(doc):
        return True
    return doc[span.end].is_space and "\n" in doc[span.end].text


def _has_reporting_verb(span: Span) -> bool:
    lex = lexicon()
    return any(t.pos_ == "VERB" and lemma(t) in lex.reporting_verbs for t in span)


def _new_paragraph(span: Span) -> bool:
    doc = span.doc
    return span.start == 0 or "\n" in doc[span.start - 1].text or "\n" in doc[span.start - 1].whitespace_
