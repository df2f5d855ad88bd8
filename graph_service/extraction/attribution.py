"""Attribution: who asserts a fact, and through which outlet.

The reporting frame over a trigger decides it: the nearest reporting verb above it in the
parse ("the NIS said that troops had been sent") gives the speaker (its subject); "according
to X" gives X; "told TV Chosun", "citing Yonhap", "in an interview with CNN", "KCNA reported"
give the outlet. An attribution carries over to the next sentences of the same paragraph while
they go on reporting the same source (a quotation continued, "he added", "the agency also").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..claims import Entity
from .entities import Mentions, source_entity
from .frames.common import lemma, subject
from .lexicon import lexicon

_OUTLET = "NewsOutlet"


@dataclass(frozen=True)
class Attribution:
    claimed_by: Entity | None = None
    via: tuple[Entity, ...] = ()
    verb: Token | None = None        # the reporting verb, if any

    def __bool__(self) -> bool:
        return self.claimed_by is not None or bool(self.via)


def reporting_verb(tok: Token) -> Token | None:
    """The nearest reporting verb above ``tok`` (not ``tok`` itself)."""
    lex = lexicon()
    t = tok
    for _ in range(10):
        head = t.head
        if head.i == t.i:
            return None
        if head.pos_ == "VERB" and lemma(head) in lex.reporting_verbs and t.dep_ in (
                "ccomp", "xcomp", "parataxis", "advcl", "dobj", "conj", "pcomp", "prep", "npadvmod", "nsubj",
                "advmod", "oprd", "acomp", "pobj", "relcl", "attr", "dep"):
            if t.dep_ == "nsubj":
                return None
            return head
        t = head
    return None


def speaker(verb: Token, mentions: Mentions, previous: Entity | None = None) -> Entity | None:
    quoted = quoted_as(verb)
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not own and quoted is None and verb.dep_ in ("advcl", "xcomp", "conj", "acl"):
        # "..., noting that": the participle speaks with the reporting verb above it
        above = reporting_verb(verb)
        if above is not None:
            return speaker(above, mentions, previous)
    s = quoted if quoted is not None else subject(verb)
    if quoted is None and s is not None and s.dep_ == "nsubjpass" and s.head.i == verb.i:
        s = None  # "100 soldiers are believed to have been killed": what is said, not who says it
    if s is not None and s.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        s = verb.head
    if s is None:
        # passive "it was reported by Yonhap", "X was quoted as saying"
        for c in verb.children:
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return source_entity(p, mentions)
        return None
    if s.pos_ == "PRON":
        if s.lower_ in ("i", "we", "you", "it"):
            return previous if s.lower_ != "it" else None
        if s.lower_ in ("he", "she") and previous is not None and previous.kind == "Person":
            return previous
        if s.lower_ in ("he", "she"):
            m = _last_speaker(mentions, s.i)
            return m.entity if m is not None else previous
        m = mentions.before(s.i)
        return m.entity if m is not None else previous
    return source_entity(s, mentions)


def quoted_as(verb: Token) -> Token | None:
    """Who speaks in "X quoted the agency as saying ..." (the agency) or "Kim was quoted by
    KCNA as saying ..." (Kim): the one quoted, not the one quoting."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.lower_ != "as" or prep.head.i == prep.i:
        return None
    quoting = prep.head
    if lemma(quoting) not in ("quote", "cite", "describe"):
        return None
    for dep in ("dobj", "nsubjpass"):
        for c in quoting.children:
            if c.dep_ == dep:
                return c
    return None


def _last_speaker(mentions: Mentions, before: int):
    """Who "he" or "she" is: the nearest person, or a nearer name that spoke though the NER took
    it for a body ("Ilya Ponomarev told the Daily Express ...", then "..., he said")."""
    reporting = lexicon().reporting_verbs
    doc = mentions.doc
    for m in reversed(mentions.items):
        if m.end > before:
            continue
        if m.kind == "Person":
            return m
        last = doc[m.end - 1]
        if m.kind == "Organization" and m.end - m.start == 1 and last.dep_ == "nsubj" \
                and lemma(last.head) in reporting:
            return m
    return None


def channels(sent: Span, mentions: Mentions) -> list[Entity]:
    """Outlets the sentence cites: objects of tell/cite/quote, interviews with, reports by."""
    out = []
    for tok in sent:
        m = mentions.of(tok)
        if m is None or m.kind != _OUTLET:
            continue
        head = tok.head
        if tok.dep_ in ("dobj", "dative") and lemma(head) in lexicon().channel_verbs:
            out.append(m.entity)
        elif tok.dep_ == "pobj" and head.lower_ in ("with", "to", "by") and head.head.pos_ in ("NOUN", "VERB"):
            out.append(m.entity)
        elif tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
            out.append(m.entity)
        elif tok.dep_ in ("nsubj",) and lemma(head) in lexicon().reporting_verbs:
            out.append(m.entity)
        elif tok.dep_ == "poss" and lemma(head) in ("report", "interview", "broadcast"):
            out.append(m.entity)
    return list(dict.fromkeys(out))


def according_to(sent: Span, mentions: Mentions) -> Entity | None:
    for tok in sent:
        if tok.lower_ == "according":
            for to in tok.children:
                if to.lower_ == "to":
                    for p in to.children:
                        if p.dep_ == "pobj":
                            e = source_entity(p, mentions)
                            if e is not None:
                                return e
                            # "according to a report by the NIS", "according to the NIS's assessment"
                            for q in p.subtree:
                                m = mentions.of(q)
                                if m is not None:
                                    return m.entity
    return None


def attribute(trigger: Token, sent: Span, mentions: Mentions, carried: Attribution | None) -> Attribution:
    """The attribution of a fact whose trigger is ``trigger``."""
    via = channels(sent, mentions)
    verb = reporting_verb(trigger)
    who = speaker(verb, mentions, carried.claimed_by if carried else None) if verb is not None else None
    if who is None:
        who = according_to(sent, mentions)
    if who is not None and who.kind == _OUTLET:
        via = [who] + [v for v in via if v != who]
        who = None
    if who is None and not via and carried:
        return carried
    return Attribution(claimed_by=who, via=tuple(via), verb=verb)


def continues(sent: Span) -> bool:
    """Whether a sentence goes on reporting the previous sentence's source."""
    text = sent.text.lstrip()
    if text[:1] in ("\u201c", '"'):
        return True
    words = [t.lower_ for t in sent[:6]]
    return "also" in words or "added" in words or "further" in words
