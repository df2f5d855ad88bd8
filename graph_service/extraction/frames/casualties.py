"""Casualties: North Korean soldiers killed, wounded, captured or missing.

Every casualty word in a sentence ("killed", "wounded", "casualties", "captured") is read with
the number the parse ties to it:
* its own number modifier ("3,000 casualties", "300 killed");
* the number on the soldiers it governs ("killed 300 soldiers", "100 soldiers were killed");
* the figure it rises to ("casualties have reached 4,000").

The words of one sentence make one record with several counts ("300 killed and 2,700
wounded"). The soldiers must be North Korea's, by the sentence or the paragraph before it.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ...claims import Quantity
from ..entities import reference, state_of
from ..lexicon import lexicon
from ..quantities import parse_quantity
from .common import Frame, Sentence, lemma, pobjs, quantity_of

_PLACE_KINDS = ("Region", "City", "Place", "OccupiedTerritory")
_RISE = {"reach", "rise", "exceed", "top", "number", "total", "stand", "climb", "surpass", "hit", "be", "near",
         "estimate", "put", "increase", "grow", "jump", "surge"}


def find(sent: Sentence, *, context_nk: bool) -> list[Frame]:
    lex = lexicon()
    words = [t for t in sent.span if (lemma(t) in lex.casualty_words or t.lower_ in lex.casualty_words)
             and t.pos_ in ("VERB", "NOUN", "ADJ", "PROPN")]
    if not words:
        return []
    if not (_north_korean(sent) or context_nk and (_soldiers(sent) or _counted(words))):
        return []
    counts: dict[str, Quantity] = {}
    first = None
    joined: set[int] = set()
    for w in words:
        if w.i in joined:
            continue
        kind = lex.casualty_words.get(lemma(w)) or lex.casualty_words.get(w.lower_)
        if not _is_casualty(w, kind):
            continue
        first = first or w
        partner = _or_partner(w, kind)
        if partner is not None:  # "killed or wounded": one count of both
            joined.add(partner.i)
            kind = "killed_or_wounded"
        qty = _number(w) or (_number(partner) if partner is not None else None)
        if qty is not None and kind not in counts:
            counts[kind] = qty
    if first is None:
        return []
    if not counts and first.pos_ == "NOUN" and lemma(first) in ("casualty", "loss", "death") \
            and not _north_korean(sent):
        return []  # "suffering heavy casualties": losses without a figure, and whose is not said
    place = _place(sent)
    quantity = counts.get("killed_or_wounded") or next(iter(counts.values()), None)
    return [Frame("casualties", first, actor=reference("North Korea"), target=place, item="soldiers",
                  quantity=quantity, counts=counts)]


_NOT_SOLDIERS = {"civilian", "people", "person", "resident", "child", "woman", "passenger", "citizen", "man"}


def _victims(w: Token) -> list[Token]:
    out = [c for c in w.children if c.dep_ in ("nsubjpass", "dobj", "nsubj")]
    if w.dep_ == "conj" and w.head.i != w.i and (not out or all(lemma(v) == "other" for v in out)):
        # "killed or wounded", "three people were killed and 64 others injured": the head's victims
        out = [c for c in w.head.children if c.dep_ in ("nsubjpass", "dobj", "nsubj")]
    if w.dep_ in ("amod", "acl", "relcl") and w.head.pos_ in ("NOUN", "PROPN"):
        out.append(w.head)
    return out


def _place(sent: Sentence):
    """Where: a region named in the sentence, else the region the article last named (the
    fighting it goes on describing), else Russia or Ukraine where the sentence names them."""
    here = [m for m in sent.mentions.in_span(sent.span.start, sent.span.end) if not m.modifier]
    for m in here:
        if m.kind in _PLACE_KINDS and state_of(m.entity) in ("Russia", "Ukraine"):
            return m.entity
    for m in reversed(sent.mentions.items):
        if m.end <= sent.span.start and m.kind == "Region" and state_of(m.entity) in ("Russia", "Ukraine"):
            return m.entity
    for m in here:
        if m.kind == "State" and m.entity.label in ("Russia", "Ukraine") and sent.span.doc[m.end - 1].dep_ == "pobj":
            return m.entity
    return None


_WITHHOLD = {"detail", "disclose", "give", "reveal", "provide", "mention", "specify", "release", "confirm",
             "say", "elaborate", "report"}


_UNREAL = {"than", "whether", "if", "unless"}
_DEMONSTRATIVE = {"this", "that", "these", "those"}


def _unreal(w: Token) -> bool:
    """A casualty that is supposed, not reported: "would rather die than be captured", "not
    known whether they died", "any troops captured", "this casualty rate" (one already given)."""
    clause = w.head if w.dep_ == "conj" else w
    if any(c.dep_ in ("mark", "cc") and c.lower_ in _UNREAL for c in [*clause.children, *w.children]
           if c.i < w.i):
        return True
    if w.dep_ in ("advcl", "xcomp", "ccomp") and any(
            c.dep_ == "acomp" and c.lower_ in ("impossible", "unable", "difficult", "hard") for c in w.head.children):
        return True  # "it is impossible for us to capture them"
    noun = w.head if w.dep_ in ("acl", "amod", "compound") and w.head.pos_ == "NOUN" else w
    return any(c.dep_ == "det" and (c.lower_ == "any" or c.lower_ in _DEMONSTRATIVE and noun.i != w.i)
               for c in noun.children)


def _is_casualty(w: Token, kind: str) -> bool:
    lem = lemma(w)
    if _unreal(w):
        return False
    for v in _victims(w):
        if lemma(v) in _NOT_SOLDIERS and not v.like_num:
            return False
        owner = None
        for c in v.children:
            if c.dep_ in ("amod", "compound", "poss") and c.ent_id_:
                owner = c.ent_id_
        if owner in ("Russia", "Ukraine", "United States", "South Korea"):
            return False
    if lem == "miss" and w.lower_ != "missing":
        return False  # "missed their targets"
    if w.dep_ == "dobj" and lemma(w.head) in _WITHHOLD and any(c.dep_ == "neg" for c in w.head.children):
        return False  # "he did not detail casualties": no figure is claimed
    if lem == "take":
        return any(c.lower_ == "prisoner" for c in w.children) or False
    if lem == "lose":
        return any(lemma(c) in lexicon().personnel or lemma(c) in ("life", "man") or c.dep_ == "dobj" and c.like_num
                   for c in w.children)
    if lem == "fall":
        return False
    if lem == "capture" and any(v.dep_ in ("dobj", "nsubjpass") and v.pos_ in ("NOUN", "PROPN")
                                and lemma(v) not in lexicon().personnel for v in _victims(w)):
        return False  # "captured the moment", "captured the village": not people
    if lem in ("seize", "detain"):
        return any(lemma(c) in lexicon().personnel for c in w.children)
    if kind == "killed_or_wounded" and lem == "loss":
        return any(lemma(c) in ("heavy", "significant", "huge", "massive", "personnel") or c.like_num
                   for c in w.children) or _number(w) is not None
    return True


def _or_partner(w: Token, kind: str) -> Token | None:
    """The other casualty word in "killed or wounded", "died or been injured", and in "3,000
    soldiers have been killed and wounded" (one figure for both)."""
    lex = lexicon()
    for c in w.children:
        if c.dep_ != "conj":
            continue
        other = lex.casualty_words.get(lemma(c)) or lex.casualty_words.get(c.lower_)
        if not other or other == kind:
            continue
        cc = {x.lower_ for x in w.children if x.dep_ == "cc"}
        if "or" in cc:
            return c
        if "and" in cc and not any(x.dep_ in ("nsubj", "nsubjpass", "dobj") or x.like_num for x in c.children):
            return c  # "killed and wounded" sharing one subject and one figure
    return None


def _number(w: Token | None) -> Quantity | None:
    if w is None:
        return None
    q = quantity_of(w)
    if q is not None and q.value is not None:
        return q
    doc = w.doc
    # "killed 300 soldiers", "some 300 North Korean soldiers have been killed", "lost 4,700"
    for c in w.children:
        if c.dep_ in ("dobj", "nsubjpass", "nsubj", "npadvmod", "attr", "nummod", "advmod") and c.i < w.i + 8:
            if c.pos_ == "PRON" and c.lower_ not in ("whom",):
                continue
            q = parse_quantity(doc[c.left_edge.i:c.i + 1].text)
            if (q is None or q.value is None) and c.like_num and pobjs(c, "of"):
                q = parse_quantity(doc[c.left_edge.i:c.right_edge.i + 1].text)  # "a thousand of their troops"
            if q is not None and q.value is not None and not _in_time(c):
                return q
            if c.tag_ == "NN" and lemma(c) in lexicon().personnel \
                    and any(d.dep_ == "det" and d.lower_ in ("a", "an", "one") for d in c.children):
                return replace(parse_quantity("1"), text=doc[c.left_edge.i:c.i + 1].text)  # "a soldier was killed"
    # "4,000 of those troops were reported killed": the number is on the reporting verb's subject
    if w.dep_ in ("xcomp", "oprd", "acomp", "ccomp", "conj"):
        for c in w.head.children:
            if c.dep_ in ("nsubjpass", "nsubj") and c.i < w.i:
                q = parse_quantity(doc[c.left_edge.i:c.i + 1].text)
                if q is not None and q.value is not None:
                    return q
    # "300 killed": the participle hangs under the number's noun
    if w.head.like_num and w.head.i != w.i:
        q = parse_quantity(w.doc[w.head.left_edge.i:w.head.i + 1].text)
        if q is not None:
            return q
    if w.dep_ in ("amod", "relcl", "acl") and w.head.pos_ == "NOUN":
        # "captured soldiers", "two soldiers who were captured", "soldiers killed in Kursk"
        q = quantity_of(w.head)
        if q is not None:
            return q
    # "casualties have reached 4,000", "the death toll stands at 300"
    head = w.head
    if w.dep_ in ("nsubj", "nsubjpass") and lemma(head) in _RISE:
        for c in head.children:
            if c.dep_ in ("dobj", "attr", "npadvmod") and c.like_num:
                return parse_quantity(w.doc[c.left_edge.i:c.right_edge.i + 1].text)
            if c.dep_ in ("dobj", "attr") and c.pos_ in ("NOUN",):
                q = quantity_of(c)
                if q is not None:
                    return q
            if c.dep_ == "prep" and c.lower_ in ("to", "at", "about", "around"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.like_num:
                        return parse_quantity(w.doc[c.i:p.right_edge.i + 1].text.split(" ", 1)[-1])
    return None


def _in_time(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME")


def _counted(words: list[Token]) -> bool:
    """"about 4,700 are believed to have been killed": a casualty word with a figure."""
    return any(_number(w) is not None for w in words)


def _north_korean(sent: Sentence) -> bool:
    return any(state_of(m.entity) == "North Korea" for m in sent.mentions.in_span(sent.span.start, sent.span.end))


def _soldiers(sent: Sentence) -> bool:
    lex = lexicon()
    return any(t.pos_ == "NOUN" and lemma(t) in lex.personnel for t in sent.span) or any(
        t.lower_ in ("they", "their", "them") for t in sent.span)
