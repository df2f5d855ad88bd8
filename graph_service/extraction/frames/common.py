"""What every frame module shares: the frame a trigger opens, and walks over dependency arcs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from ...claims import Entity, Quantity
from ..entities import Mentions
from ..quantities import parse_quantity

SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
CLAUSE_DEPS = ("ROOT", "ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "parataxis", "pcomp", "csubj")


@dataclass
class Frame:
    """One event as the parse states it, before attribution, status and time are added."""

    type: str
    trigger: Token
    actor: Entity
    target: Entity | None = None
    item: str | None = None
    quantity: Quantity | None = None
    counts: dict[str, Quantity] = field(default_factory=dict)
    status: str | None = None          # set by the frame when its own words decide it
    location: Entity | None = None
    anchor: Token | None = None        # the token whose clause the quote covers (default: trigger)
    treaty: Entity | None = None


@dataclass
class Sentence:
    """A sentence with the document's mentions, handed to every frame module."""

    span: Span
    mentions: Mentions
    index: int
    context_nk: bool = False     # an earlier sentence of the article names North Korea
    nk: bool = False             # this sentence names North Korea
    treaty_seen: bool = False    # an earlier sentence states a treaty fact


def conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the tokens coordinated with it ("missiles and launchers")."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop(0)
        out.append(t)
        todo += [c for c in t.children if c.dep_ == "conj" and c.pos_ == tok.pos_ or
                 c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and tok.pos_ in ("NOUN", "PROPN")]
    return out


def children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def subject(verb: Token) -> Token | None:
    """The subject of a verb; a coordinated or controlled verb borrows its head's subject."""
    t = verb
    for _ in range(4):
        subs = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subs:
            return subs[0]
        if t.dep_ == "advcl" and t.tag_ == "VBG" and _subordinate(t.head) and t.head.head.i != t.head.i:
            # "X has become an ally since Moscow invaded Ukraine, sending troops": the trailing
            # participle belongs to the main clause, not to the "since" clause it hangs from
            t = t.head.head
            continue
        if t.dep_ in ("conj", "xcomp", "advcl") and t.head.i != t.i:
            t = t.head
            continue
        if t.dep_ in ("relcl", "acl") and t.head.i != t.i:
            return t.head
        break
    return None


def _subordinate(verb: Token) -> bool:
    """A clause opened by a subordinator ("since ...", "after ...", "when ...")."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children)


def is_passive(verb: Token) -> bool:
    if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.i != verb.i \
            and not any(c.dep_ in ("nsubj", "aux") for c in verb.children):
        return is_passive(verb.head)  # "were outfitted with uniforms and provided with equipment"
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.tag_ == "VBN" and verb.dep_ == "acl"


def negated(verb: Token) -> bool:
    """"did not say", "has not denied", "neither denied nor confirmed"."""
    return any(c.dep_ == "neg" or c.lower_ in ("neither", "nor") for c in verb.children) or (
        verb.dep_ == "conj" and any(c.lower_ in ("neither", "nor") for c in verb.head.children))


def agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def pobjs(tok: Token, *preps: str) -> list[Token]:
    """Objects of ``tok``'s prepositions ("to Russia", "into Kursk"), coordination included."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative", "agent") and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    out += conjuncts(p)
    return out


def datives(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN", "PRON")]


def objects(verb: Token) -> list[Token]:
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "attr", "oprd"):
            out += conjuncts(c)
    return out


def quantity_of(noun: Token) -> Quantity | None:
    """The number that modifies a noun ("about 11,000 troops"), read by the hedge normaliser."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ == "out" and head.head.head.like_num:
        part = head.head.head  # "8,000 out of the 10,000 servicemen": the part is the figure
        return parse_quantity(noun.doc[part.left_edge.i:part.i + 1].text)
    left = [c for c in noun.children if c.i < noun.i and c.dep_ in ("nummod", "quantmod", "amod", "advmod", "det",
                                                                         "compound", "nmod")]
    nums = [c for c in left if c.dep_ == "nummod" or c.like_num or c.lower_ == "dozen"
            or any(g.like_num for g in c.subtree)]
    if not nums:
        # "hundreds of thousands of shells", "dozens of soldiers": the head is the vague word
        head = noun.head
        if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "NUM", "ADJ", "PRON"):
            return quantity_of_phrase(head.head, noun)
        return None
    start = min(t.left_edge.i for t in nums)
    if start > 0 and noun.doc[start - 1].lower_ in ("a", "an") and noun.doc[start - 1].head.i == noun.i:
        start -= 1  # "a dozen shipments"
    calibre = next((t.i for t in noun.doc[start:noun.i] if _caliber(t)), None)
    if calibre is not None:
        # "20 240mm rocket launchers", "6 million 152 mm shells": the count ends where the calibre begins
        return parse_quantity(noun.doc[start:calibre].text) if calibre > start else None
    if noun.lower_ in ("percent", "%"):
        # "as much as 40 percent of Russia's ammunition": a share, kept with its unit
        q = parse_quantity(noun.doc[start:noun.i].text)
        return replace(q, text=noun.doc[start:noun.i + 1].text, unit="percent") if q is not None else None
    return parse_quantity(noun.doc[start:noun.i + 1].text)


def quantity_of_phrase(head: Token, noun: Token) -> Quantity | None:
    start = head.left_edge.i
    return parse_quantity(noun.doc[start:noun.i + 1].text)




def noun_phrase(noun: Token, *, drop_states: bool = True, mentions: Mentions | None = None) -> str:
    """The item's words without numbers, determiners and owners: "152mm artillery shells"."""
    keep = []
    for t in noun.subtree:
        if t.i > noun.i:
            break
        if t.i < noun.i and t.head.i > noun.i:
            continue
        hyphen = t.text == "-" and not t.whitespace_ and t.i > 0 and not t.doc[t.i - 1].whitespace_
        if t.dep_ in ("det", "nummod", "quantmod", "poss", "case", "punct", "predet", "cc", "advmod", "prep") \
                and not hyphen and not _calibre_part(t):  # "long-range": the hyphen joins a word
            continue
        if t.like_num and not _caliber(t):
            continue
        if drop_states and mentions is not None and mentions.of(t) is not None and t.i != noun.i:
            continue
        keep.append(t)
    # only the contiguous run that ends with the noun
    run = []
    for t in reversed(keep):
        if run and t.i != run[-1].i - 1:
            break
        run.append(t)
    words = [t.text for t in reversed(run)]
    while words and words[0] == "-":  # "North Korean-made missiles": the maker was dropped
        words = words[2:] if len(words) > 2 and words[1] in ("made", "built", "produced", "supplied") else words[1:]
    text = " ".join(words).replace(" - ", "-").replace(" -", "-")
    if run and any(_caliber(t) and not t.whitespace_ for t in run):
        text = re.sub(r"\b(\d+(?:\.\d+)?) mm\b", r"\1mm", text)  # "152mm" as written
    return text or noun.text


def _calibre_part(t: Token) -> bool:
    """A word of "152mm" or "122-mm": the number, the hyphen or the unit."""
    doc = t.doc
    if _caliber(t):
        return True
    if t.lower_ in ("mm", "-", "millimetre", "millimeter", "inch") and t.i > 0:
        return _caliber(doc[t.i - 1]) or t.i > 1 and doc[t.i - 1].text == "-" and _caliber(doc[t.i - 2])
    return False


def _caliber(t: Token) -> bool:
    """"152mm", "122-mm": the number names the calibre, it does not count anything."""
    doc = t.doc
    if not t.like_num or t.i + 1 >= len(doc):
        return False
    nxt = doc[t.i + 1]
    if nxt.text == "-" and t.i + 2 < len(doc):
        nxt = doc[t.i + 2]
    return nxt.lower_ in ("mm", "millimetre", "millimeter", "caliber", "calibre", "inch")


def clause_head(tok: Token) -> Token:
    """The verb whose clause a token belongs to."""
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") and t.dep_ in CLAUSE_DEPS or t.dep_ == "ROOT" or t.head.i == t.i:
            return t
        t = t.head
    return t


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()
