"""Entities and mentions: the document's named entities resolved to ``Entity`` values.

A reference entity (matched by the entity ruler, ``ent_id_`` = its label) resolves to its IRI.
People, bodies and places the gazetteer does not know come from the trained NER and get a
label of their own; a later short form ("Belousov") resolves to the earlier full name. A
described source ("a South Korean official") is built from its noun phrase when it speaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..claims import Entity
from ..gazetteer import Gazetteer, Reference, gazetteer
from .lexicon import lexicon

_NER_KINDS = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place",
              "NORP": None, "FAC": None, "LAW": "Treaty"}
SIDES = ("North Korea", "Russia")
PRONOUNS = {"he", "she", "they", "it", "his", "her", "their", "its", "him", "them"}


@dataclass(frozen=True)
class Mention:
    start: int          # token offsets, end exclusive
    end: int
    entity: Entity
    modifier: bool      # used as a modifier: "North Korean troops", "Russia's Kursk region"

    @property
    def kind(self) -> str:
        return self.entity.kind


def entity_for(ref: Reference, *, text: str | None = None, gaz: Gazetteer | None = None) -> Entity:
    gaz = gaz or gazetteer()
    aff = None
    if ref.affiliation and gaz.get(ref.affiliation):
        a = gaz.get(ref.affiliation)
        aff = Entity(label=a.label, kind=a.kind, iri=a.iri)
    return Entity(label=ref.label, kind=ref.kind, iri=ref.iri, role=ref.role, affiliation=aff, text=text)


@lru_cache(maxsize=256)
def reference(label: str) -> Entity | None:
    """The reference entity with this label."""
    ref = gazetteer().get(label)
    return entity_for(ref) if ref else None


def state_of(entity: Entity | None) -> str | None:
    """The state an entity belongs to: itself, its reference chain, or its affiliation."""
    if entity is None:
        return None
    if entity.kind == "State":
        return entity.label
    state = gazetteer().state_of(entity.label)
    if state:
        return state
    if entity.affiliation is not None:
        return state_of(entity.affiliation)
    return None


def as_state(entity: Entity | None) -> Entity | None:
    label = state_of(entity)
    return reference(label) if label else entity


def other_side(label: str | None) -> Entity | None:
    if label == "North Korea":
        return reference("Russia")
    if label == "Russia":
        return reference("North Korea")
    return None


class Mentions:
    """The resolved mentions of one document, indexed by token."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.items: list[Mention] = []
        self.at: dict[int, Mention] = {}
        self.written: dict[str, str] = {}
        people: dict[str, Entity] = {}
        for ent in doc.ents:
            entity = self._resolve(ent, people)
            if entity is None:
                continue
            last = ent[-1]
            modifier = last.dep_ in ("amod", "compound", "poss", "nmod") or (
                last.i + 1 < len(doc) and doc[last.i + 1].text in ("-made", "-led", "-backed"))
            m = Mention(ent.start, ent.end, entity, modifier)
            self.items.append(m)
            for i in range(ent.start, ent.end):
                self.at[i] = m

    def _resolve(self, ent: Span, people: dict[str, Entity]) -> Entity | None:
        text = _strip_possessive(ent.text)
        if ent.ent_id_:
            ref = gazetteer().get(ent.ent_id_)
            if ref is not None:
                if ref.kind == "Person":
                    text = _without_honorific(text)
                    # the article's own spelling of the full name, for every later mention
                    if len(text.split()) >= 2:
                        self.written.setdefault(ref.label, text)
                    entity = entity_for(ref, text=self.written.get(ref.label, text))
                    # a later bare name is the person last named with it: "Putin",
                    # and "Kim" (Korean names put the family name first)
                    words = ref.label.split()
                    people[words[-1]] = entity
                    if len(words) > 1:
                        people[words[0]] = entity
                    return entity
                return entity_for(ref, text=text)
        kind = _NER_KINDS.get(ent.label_)
        if kind is None or not text or not any(c.isalpha() for c in text):
            return None
        if kind == "Place" and text == "North":
            # "the nuclear-armed North": the alias "the North" with words between
            return reference("North Korea")
        if kind == "Person":
            bare = _without_honorific(text)
            if bare != text:
                text = bare
                hits = gazetteer().find(text)
                if len(hits) == 1 and hits[0].text == text and hits[0].refs[0].kind == "Person":
                    return entity_for(hits[0].refs[0], text=self.written.get(hits[0].refs[0].label, text))
            words = text.split()
            if len(words) == 1 and words[0] in people:
                return people[words[0]]
            affiliation = _affiliation(ent)
            entity = Entity(label=text, kind="Person", affiliation=affiliation, text=text)
            if len(words) > 1:
                people.setdefault(words[-1], entity)
                people.setdefault(words[0], entity)  # Korean names: the family name comes first
            return entity
        return Entity(label=text, kind=kind, text=text)

    # -- lookups ----------------------------------------------------------------------------

    def of(self, tok: Token) -> Mention | None:
        return self.at.get(tok.i)

    def entity(self, tok: Token, *, depth: int = 1) -> Entity | None:
        """The entity a token names: its own mention, else a name inside its noun phrase
        ("the Kursk region", "Russia's Defence Ministry")."""
        m = self.at.get(tok.i)
        if m is not None:
            return m.entity
        if depth <= 0:
            return None
        for child in tok.children:
            if child.dep_ in ("compound", "poss", "nmod", "amod", "appos"):
                m = self.at.get(child.i)
                if m is not None and (child.dep_ != "amod" or m.kind in ("State",)):
                    return m.entity
        return None

    def owner(self, tok: Token) -> Entity | None:
        """Whose a noun is: a demonym or possessive in its phrase ("North Korean troops",
        "Pyongyang's missiles", "troops from North Korea"), as a state."""
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod"):
                m = self.at.get(child.i)
                if m is not None:
                    return as_state(m.entity)
                for g in child.children:  # "North Korean-made", "Russia-bound"
                    if g.dep_ in ("amod", "compound", "npadvmod", "poss") and self.at.get(g.i):
                        return as_state(self.at[g.i].entity)
            if child.dep_ == "prep" and child.lower_ == "from":
                for p in child.children:
                    if p.dep_ == "pobj" and self.at.get(p.i):
                        return as_state(self.at[p.i].entity)
        return None

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.items if m.start >= start and m.end <= end]

    def before(self, i: int, *, kinds: tuple[str, ...] | None = None) -> Mention | None:
        """The nearest mention that ends before token ``i``."""
        for m in reversed(self.items):
            if m.end <= i and (kinds is None or m.kind in kinds):
                return m
        return None


def _without_honorific(text: str) -> str:
    """"President Putin", "Comrade Kim Jong Un": the title is not part of the name."""
    words = text.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _strip_possessive(text: str) -> str:
    text = text.strip()
    for tail in ("'s", "\u2019s", "'", "\u2019"):
        if text.endswith(tail):
            return text[: -len(tail)].strip()
    return text


def _affiliation(ent: Span) -> Entity | None:
    """The state a newly named person serves, from the title before the name
    ("Russian Defence Minister Andrei Belousov", "North Korea's Pak Jong Chon")."""
    doc = ent.doc
    lo = max(ent.sent.start, ent.start - 6)
    for tok in reversed(doc[lo:ent.start]):
        if tok.ent_id_:
            ref = gazetteer().get(tok.ent_id_)
            if ref is not None:
                state = gazetteer().state_of(ref.label)
                return reference(state) if state else None
        if tok.is_punct and tok.text not in ("'s", "\u2019s"):
            break
    return None


def source_entity(tok: Token, mentions: Mentions) -> Entity | None:
    """The speaker a subject token names: a mention, or a described source built from its phrase."""
    own = mentions.of(tok)
    if own is not None:
        if own.kind == "City" and state_of(own.entity):  # "Seoul said": the government
            return reference(state_of(own.entity))
        return own.entity
    if tok.pos_ != "NOUN":
        entity = mentions.entity(tok)
        if entity is not None and not (entity.kind in ("Place", "City", "Region") and tok.dep_ == "poss"):
            return entity
        if tok.pos_ == "PROPN" and tok.text[:1].isupper():
            if tok.lower_ in _TITLES and any(c.lower_ == "the" for c in tok.children):
                # "the Secretary General added": the person last named
                person = last_person(mentions, tok.i, None, tok.lower_)
                if person is not None:
                    return person
            # a name the NER missed ("Kim added"): the proper-noun run ending here
            words = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i] + [tok]
            label = " ".join(w.text for w in words)
            for m in reversed(mentions.items):
                if m.end <= tok.i and m.kind == "Person" and label in m.entity.label.split():
                    return m.entity
            return Entity(label=label, kind="Person", text=label)
        return None
    if tok.pos_ == "NOUN" and _speaker_noun(tok, mentions):
        words = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl", "punct", "prep", "appos")
                 and t.i <= tok.i and t.i >= tok.left_edge.i]
        phrase = " ".join(t.text for t in words).replace(" 's", "'s").replace(" \u2019s", "\u2019s")
        affiliation = None
        for t in words:
            m = mentions.of(t)
            if m is not None:
                affiliation = as_state(m.entity) or m.entity
                break
        if tok.lemma_.lower() in ("government", "administration") and affiliation is not None \
                and affiliation.kind == "State":
            return affiliation  # "the Japanese government": Japan
        if tok.lemma_.lower() in _TITLES | _NAMED_TITLES and any(c.lower_ == "the" for c in tok.children):
            # "the DPRK leader", "the minister": the person last named with that side
            person = last_person(mentions, tok.i, state_of(affiliation) if affiliation else None,
                                 tok.lemma_.lower())
            if person is not None:
                return person
        return Entity(label=phrase, kind="AnonymousSource", affiliation=affiliation, text=phrase)
    return None


def _speaker_noun(tok: Token, mentions: Mentions) -> bool:
    """Nouns that can speak: officials, sources, soldiers, or anything a name modifies
    ("Ukrainian soldiers", "US officials")."""
    lem = tok.lemma_.lower()
    lex = lexicon()
    if lem in lex.source_nouns or tok.lower_ in lex.source_nouns or lem in lex.personnel or lem in _TITLES \
            or lem in _NAMED_TITLES:
        return True
    return any(c.dep_ in ("amod", "compound", "poss") and mentions.of(c) is not None for c in tok.children)


_HONORIFICS = {"president", "comrade", "mr", "mrs", "ms", "dr", "premier", "chairman", "general", "marshal",
               "minister", "secretary", "ambassador", "envoy", "leader", "spokesman", "spokeswoman"}
_TITLES = {"leader", "president", "dictator", "general", "secretary-general", "minister", "chairman", "spokesman", "spokeswoman", "spokesperson",
           "chief", "head", "envoy", "ambassador", "premier", "secretary", "commander"}
# Titles that stand for a person only when the article gave that person the title ("Andriy
# Kostin, Ukraine's prosecutor general, said ... the prosecutor said"), never for whoever was named last.
_NAMED_TITLES = {"prosecutor", "director", "lawmaker", "governor", "diplomat", "spokesman", "spokeswoman",
                 "spokesperson", "envoy", "ambassador"}


def last_person(mentions: Mentions, before: int, state: str | None, title: str | None = None) -> Entity | None:
    """The person of that side named last; with a title ("the minister"), the one named last
    whose known role carries it, if any."""
    found = [m for m in reversed(mentions.items)
             if m.end <= before and m.kind == "Person" and (state is None or state_of(m.entity) == state)]
    people = [m.entity for m in found]
    if title:
        for m in found:
            e = m.entity
            if e.role and title.lower() in e.role.lower().split():
                return e
            # "Andriy Kostin, Ukraine's prosecutor general, ...": the title in an appositive
            if any(c.dep_ == "appos" and any(t.lemma_.lower() == title.lower() for t in c.subtree)
                   for c in mentions.doc[m.end - 1].children):
                return e
        if title.lower() in _NAMED_TITLES:
            return None
    return people[0] if people else None
