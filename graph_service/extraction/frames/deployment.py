"""Deployments: North Korean personnel sent to, stationed in or fighting in a place.

* verbs ("Pyongyang sent 11,000 troops to Kursk", "troops were deployed to Russia",
  "North Korean soldiers are fighting in Kursk");
* nouns ("the deployment of North Korean troops to Russia", "North Korea's troop dispatch");
* presence ("North Korean troops in Russia's Kursk region").

The personnel must be North Korea's: a North Korean modifier, North Korea as the sender, or
"from North Korea". Coordinated personnel ("troops and workers") are separate deployments.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..entities import as_state, reference, state_of
from ..lexicon import lexicon
from ..quantities import parse_quantity
from .common import (Frame, Sentence, conjuncts, is_passive, lemma, noun_phrase, objects, pobjs, quantity_of,
                     quantity_of_phrase, subject)

_PLACE_KINDS = ("State", "Region", "City", "Place", "OccupiedTerritory", "Country")
_PLACE_PREPS = ("to", "into", "in", "at", "near", "inside", "on", "toward", "towards")
_WEAK = {"force", "man", "unit", "people", "military", "army", "staff", "crew", "fighter", "general", "commander",
         "operator", "specialist", "division", "corps", "rotation", "reinforcement", "contingent"}


def find(sent: Sentence) -> list[Frame]:
    lex = lexicon()
    out: list[Frame] = []
    seen: set[int] = set()
    sent.nk = any(state_of(m.entity) == "North Korea" and m.kind != "Person"
                  for m in sent.mentions.in_span(sent.span.start, sent.span.end))
    for tok in sent.span:
        lem = lemma(tok)
        if tok.pos_ == "VERB" and lem in lex.deployment_verbs:
            out += _verb(tok, sent, seen)
        elif tok.pos_ == "NOUN" and lem in lex.deployment_nouns:
            out += _noun(tok, sent, seen)
    for tok in sent.span:
        if tok.i not in seen and (tok.pos_ == "NOUN" and lemma(tok) in lex.personnel or _north_koreans(tok, sent)):
            out += _presence(tok, sent, seen)
    return out


def _personnel(heads: list[Token], sent: Sentence, sender=None) -> list[Token]:
    lex = lexicon()
    out = []
    for h in heads:
        for t in conjuncts(h) if h.dep_ != "conj" else [h]:
            lem = lemma(t)
            if _north_koreans(t, sent):
                out.append(t)
                continue
            if t.pos_ not in ("NOUN", "PROPN") or lem not in lex.personnel:
                # "thousands of troops", "8,000 out of the 10,000 servicemen": look through
                # the vague head
                inner = pobjs(t, "of") + [p for c in t.children if c.dep_ == "prep" and c.lower_ == "out"
                                          for p in pobjs(c, "of")]
                if inner and t.pos_ in ("NOUN", "NUM", "ADJ", "PRON", "DET"):
                    if any(_named_before(p, sent) is not None for p in inner):
                        out.append(t)  # "thousands of them": of the personnel just named
                    else:
                        out += _personnel(inner, sent, sender)
                continue
            owner = _owner(t, sent)
            if owner is not None and state_of(owner) != "North Korea":
                continue
            if owner is None and state_of(sender) not in (None, "North Korea"):
                continue
            if owner is None and sender is None and (lem in _WEAK or not (sent.nk or sent.context_nk)) \
                    and not (sent.context_nk and _these(t)):
                continue  # ("these forces", after the article has named North Korea's: those)
            out.append(t)
    return list(dict.fromkeys(out))


def _these(t: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("these", "those") for c in t.children)


def _named_before(pron: Token, sent: Sentence) -> Token | None:
    """The North Korean personnel named earlier in the sentence that "them" or "those"
    stands for."""
    if pron.pos_ != "PRON" or pron.lower_ not in ("them", "those"):
        return None
    lex = lexicon()
    for t in reversed(sent.span[:pron.i - sent.span.start]):
        if t.pos_ == "NOUN" and lemma(t) in lex.personnel or _north_koreans(t, sent):
            ok = state_of(_owner(t, sent)) == "North Korea" or _north_koreans(t, sent)
            return t if ok else None
    return None


_LEAVING = {"pull", "withdraw", "evacuate", "retreat"}
_MOTION = {"go", "return", "head", "travel", "fly", "move", "arrive", "enter", "bring", "train", "reach"}


def _homeward(verb: Token, sent: Sentence) -> bool:
    for p in pobjs(verb, "to", "into"):
        e = sent.mentions.entity(p, depth=1)
        if e is not None and state_of(e) == "North Korea":
            return True
    return any(c.lower_ == "back" and c.dep_ in ("advmod", "prt") for c in verb.children)  # not "to back Russia"


def _north_koreans(t: Token, sent: Sentence) -> bool:
    """"8,000 North Koreans": the demonym itself names the personnel."""
    m = sent.mentions.of(t)
    return (m is not None and t.i == m.end - 1 and m.entity.label == "North Korea"
            and t.text.endswith("s") and t.dep_ not in ("amod", "compound", "poss"))


def _owner(t: Token, sent: Sentence):
    owner = sent.mentions.owner(t)
    if owner is None:
        for c in t.children:  # "its troops", "their soldiers"
            if c.dep_ == "poss" and c.pos_ == "PRON":
                m = sent.mentions.before(c.i, kinds=("State", "GovernmentBody", "ArmedForce", "Person"))
                return as_state(m.entity) if m else None
    return owner


def _place(tok: Token, sent: Sentence):
    """The destination: a place in a to/into/in phrase of the trigger or the personnel noun
    (for a withdrawal, where they were: "pulled off the front lines in Kursk")."""
    leaving = lemma(tok) in _LEAVING
    places = pobjs(tok, *_PLACE_PREPS + (("from", "off") if leaving else ()))
    if lemma(tok) in ("reach", "enter", "defend", "liberate", "recapture", "retake"):
        # "troops had reached the Kursk region", "soldiers who defended Russia's Kursk region"
        places += [c for c in tok.children if c.dep_ == "dobj"]
    if leaving:  # "pulled off the front lines", with "off" parsed as a particle
        places += [p for c in tok.children if c.dep_ == "prt" for p in c.children if p.dep_ == "pobj"]
    for p in places:
        if lemma(p) in ("border", "frontier") and any(
                (m := sent.mentions.of(c)) is not None and state_of(m.entity) == "Russia" for c in p.subtree):
            return reference("Russia")  # "near the Russian-Ukrainian border": on Russia's side of it
        e = sent.mentions.entity(p, depth=1)
        if e is not None and e.kind in _PLACE_KINDS and state_of(e) != "North Korea":
            return e
        # "to the front lines in Kursk"
        for q in pobjs(p, "in", "inside", "of", "within"):
            e = sent.mentions.entity(q, depth=1)
            if e is not None and e.kind in _PLACE_KINDS:
                return e
    return None


def _frame(trigger, noun, place, sent) -> Frame:
    target = place or _sentence_place(sent) or reference("Russia")
    # "thousands of them": the pronoun and the personnel named before that it stands for
    pron, named = next(((p, a) for p in pobjs(noun, "of") if (a := _named_before(p, sent)) is not None),
                       (None, None))
    shown = named if named is not None else noun
    item = "North Koreans" if _north_koreans(shown, sent) else noun_phrase(shown, mentions=sent.mentions)
    quantity = quantity_of(noun) if pron is None else quantity_of_phrase(noun, pron)
    if quantity is None and noun.dep_ == "nsubj" and lemma(noun.head) in ("number", "total"):
        # "the contingent numbers about 12,000"
        for c in noun.head.children:
            if c.dep_ in ("dobj", "npadvmod", "attr") and c.like_num:
                quantity = parse_quantity(noun.doc[c.left_edge.i:c.i + 1].text)
    # personnel the parser hung outside the trigger's phrase ("send A to X and B to Y") are
    # quoted from their own clause
    anchor = noun if not (trigger.left_edge.i <= noun.i <= trigger.right_edge.i) else None
    return Frame("deployment", trigger, actor=reference("North Korea"), target=target,
                 item=item, quantity=quantity, anchor=anchor)


def _sentence_place(sent: Sentence):
    """A region the sentence names (before a state it names), else an occupied region the
    article named just before ("... to the territories": the ones it was talking about)."""
    here = [m for m in sent.mentions.in_span(sent.span.start, sent.span.end)
            if m.kind in _PLACE_KINDS and state_of(m.entity) in ("Russia", "Ukraine")
            and m.entity.label != "Ukraine" and not m.modifier and not _occupier(m, sent)]
    for m in sorted(here, key=lambda m: m.kind == "State"):
        return m.entity
    doc = sent.span.doc
    for m in reversed(sent.mentions.items):
        if m.end <= sent.span.start and doc[sent.span.start].idx - doc[m.end - 1].idx < 400 \
                and m.kind in ("OccupiedTerritory", "Region") and state_of(m.entity) == "Ukraine":
            return m.entity
    return None


def _occupier(m, sent: Sentence) -> bool:
    """"Russia-occupied": the name is part of a modifier."""
    doc = sent.span.doc
    nxt = doc[m.end] if m.end < len(doc) else None
    return nxt is not None and nxt.text in ("-", "\u2013") and m.end + 1 < len(doc) \
        and doc[m.end + 1].lower_ in ("occupied", "controlled", "held", "annexed", "backed", "led", "made")


def _sender(verb: Token, sent: Sentence):
    s = subject(verb)
    if s is None or s.dep_ == "nsubjpass" and s.head.i == verb.i:
        return None
    if s.pos_ == "PRON":
        m = sent.mentions.before(s.i, kinds=("State", "Person", "GovernmentBody", "ArmedForce"))
        return as_state(m.entity) if m else None
    e = sent.mentions.entity(s)
    return as_state(e) if e is not None else None


def _verb(verb: Token, sent: Sentence, seen: set[int]) -> list[Frame]:
    sender = _sender(verb, sent)
    if is_passive(verb):
        heads = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if verb.dep_ == "relcl" and any(h.lower_ in ("who", "which", "that") for h in heads):
            heads = [verb.head]
        if verb.dep_ == "acl":
            heads.append(verb.head)
    elif lemma(verb) in ("send", "deploy", "dispatch", "station", "move", "transfer", "bring", "redeploy",
                         "mobilize", "mobilise", "assign", "post", "rotate", "use", "replenish", "involve",
                         "commit", "throw", "pull", "withdraw", "supply", "provide"):
        heads = objects(verb)
        if lemma(verb) in ("supply", "provide") and pobjs(verb, "with"):
            heads = pobjs(verb, "with")  # the object of "supply X with Y" receives
        # "supplied Russia with aid, including shells and 11,000 troops"
        heads += [i for h in list(heads) for i in pobjs(h, "including")]
        if heads:
            # "send 1,000 sappers to Kursk and 5,000 builders to ...": with the verb left out of
            # the second half, the parser joins its object to the verb (or the verb above)
            heads += [c for t in (verb, verb.head) for c in t.children
                      if c.dep_ == "conj" and c.pos_ == "NOUN" and c.i > verb.i]
        if not heads and verb.dep_ in ("acl", "relcl"):
            heads = [verb.head]
        elif not heads and subject(verb) is not None:
            # "with 3,000 troops already deployed to Kursk", "troops deployed to Kursk": with no
            # object, personnel as the subject are the ones moved
            heads = [subject(verb)]
    else:  # intransitive: "troops arrived", "soldiers are fighting"
        s = subject(verb)
        heads = [s] if s is not None else []
        if verb.dep_ in ("acl", "relcl"):
            heads.append(verb.head)
    found = _personnel(heads, sent, sender)
    if sender is not None and state_of(sender) not in (None, "North Korea"):
        found = [t for t in found if state_of(sent.mentions.owner(t)) == "North Korea"]
    out = []
    place = _place(verb, sent)
    if place is None and lemma(verb) in _MOTION:
        return []  # "went missing", "where the troops will go": a move needs its destination
    if lemma(verb) == "take" and any(lemma(c) in ("prisoner", "captive") for c in verb.children):
        return []  # "taken prisoner"
    if _homeward(verb, sent):
        return []  # "sending the soldiers back to the North": not a deployment
    for noun in found:
        seen.add(noun.i)
        out.append(_frame(verb, noun, place or _place(noun, sent), sent))
    return out


def _noun(noun: Token, sent: Sentence, seen: set[int]) -> list[Frame]:
    if noun.dep_ == "pobj" and noun.head.lower_ in ("since", "after", "before", "until") and any(
            c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children):
        return []  # "wounded since their deployment": the deployment is taken as known
    heads = pobjs(noun, "of")
    heads += [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod") and lemma(c) in lexicon().personnel]
    owner = _owner(noun, sent)
    found = _personnel(heads, sent, owner)
    if not found and state_of(owner) == "North Korea" and lemma(noun) in ("deployment", "dispatch"):
        found = [noun]
    out = []
    place = _place(noun, sent)
    for t in found:
        if t.i in seen:
            continue
        seen.add(t.i)
        out.append(_frame(noun, t, place or (_place(t, sent) if t.i != noun.i else None), sent))
    return out


_SIGHTED = {"spot", "see", "sight", "observe", "locate", "detect", "identify", "film", "photograph", "find"}


def _presence(noun: Token, sent: Sentence, seen: set[int]) -> list[Frame]:
    """"North Korean troops in Kursk": personnel with a North Korean owner and a place phrase."""
    if state_of(_owner(noun, sent)) != "North Korea" and not _north_koreans(noun, sent):
        return []
    place = _place(noun, sent)
    if place is None and noun.dep_ == "nsubj" and lemma(noun.head) in ("be", "remain", "stay"):
        place = _place(noun.head, sent)  # "troops may already be in Ukraine"
    if place is None and noun.dep_ == "nsubjpass" and lemma(noun.head) in _SIGHTED:
        place = _place(noun.head, sent)  # "soldiers have been spotted in Kursk"
    if place is None:
        # "warned North Korean troops in Kursk could ...": the parser hangs the place phrase
        # that follows the noun on the verb above it
        for prep in noun.head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "inside") and prep.i == noun.right_edge.i + 1:
                e = next((sent.mentions.entity(p, depth=1) for p in prep.children if p.dep_ == "pobj"), None)
                if e is not None and e.kind in _PLACE_KINDS:
                    place = e
    if place is None or state_of(place) not in ("Russia", "Ukraine"):
        return []
    seen.add(noun.i)
    return [_frame(noun, noun, place, sent)]
