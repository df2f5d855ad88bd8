"""Treaties: an agreement between the two sides signed, ratified, in force, or invoked.

A treaty mention is the reference treaty's name (the entity ruler knows it) or a treaty noun
qualified as a defence or partnership agreement ("mutual defence pact", "strategic
partnership treaty"). The event is the verb over it (sign, ratify, invoke, enter into force)
or the participle on it ("the treaty signed in June 2024"). The parties are the two states.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..entities import reference, state_of
from ..lexicon import lexicon
from .common import Frame, Sentence, lemma

_EVENTS = {"sign", "ratify", "invoke", "conclude", "approve", "enter", "take", "come", "implement", "cite",
           "under", "seal", "strike", "forge", "adopt", "activate", "trigger", "honor", "honour", "fulfil",
           "fulfill", "apply", "accordance", "pursuant", "endorse", "ratification", "signing", "agree", "reach"}
_MAKING = {"sign", "ratify", "conclude", "agree", "reach", "seal", "strike", "forge", "adopt"}


def find(sent: Sentence) -> list[Frame]:
    out = []
    for tok in sent.span:
        if not _treaty_mention(tok, sent) and not _signed_between_the_sides(tok, sent):
            continue
        event = _event(tok)
        if event is None:
            continue
        entity = sent.mentions.entity(tok)
        out.append(Frame("treaty", event, actor=reference("North Korea"), target=reference("Russia"),
                         item=_name(tok, sent), treaty=entity if entity is not None and entity.kind == "Treaty"
                         else None, anchor=tok))
        break  # one treaty fact per sentence
    return out


def _treaty_mention(tok: Token, sent: Sentence) -> bool:
    m = sent.mentions.of(tok)
    if m is not None and m.kind == "Treaty":
        return tok.i == m.end - 1
    lex = lexicon()
    if tok.pos_ not in ("NOUN", "PROPN") or lemma(tok) not in lex.treaty_nouns:
        return False
    words = {lemma(t) for t in tok.subtree} | {lemma(c) for c in tok.children}
    if words & lex.treaty_qualifiers or lemma(tok) in ("treaty", "pact"):
        return True
    # "the accord", "the agreement": the treaty the article has already named
    return sent.treaty_seen and any(c.lower_ in ("the", "this", "that", "our", "their", "its") for c in tok.children)


def _signed_between_the_sides(tok: Token, sent: Sentence) -> bool:
    """"an agreement signed by Putin and Kim": any agreement the two sides make."""
    if tok.pos_ != "NOUN" or lemma(tok) not in lexicon().treaty_nouns:
        return False
    event = _event(tok)
    if event is None or lemma(event) not in _MAKING:
        return False
    sides = {state_of(m.entity) for m in sent.mentions.in_span(sent.span.start, sent.span.end)}
    return {"North Korea", "Russia"} <= sides


def _event(tok: Token) -> Token | None:
    """The verb or participle that makes the mention an event, else None."""
    for c in tok.children:
        if c.dep_ in ("acl", "relcl", "amod") and lemma(c) in _EVENTS:
            return c
    t = tok
    for _ in range(4):
        head = t.head
        if head.i == t.i:
            break
        if lemma(head) in _EVENTS:
            return head
        if t.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "compound", "conj", "appos", "attr", "prep"):
            t = head
            continue
        break
    return None


def _name(tok: Token, sent: Sentence) -> str:
    m = sent.mentions.of(tok)
    if m is not None:
        return m.entity.label
    words = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "poss", "case", "punct")]
    return " ".join(t.text for t in words) or tok.text
