"""Meetings: people of the two sides meeting, holding talks, visiting or calling each other.

Participants come from the arcs: the subject (and its conjuncts) against the object, the
with-phrase, or the place visited; "a summit between Putin and Kim"; "Kim's visit to Russia";
"Putin-Kim talks". Each pair is one meeting ("Shoigu met Kim and Choe" is two). A pair from the
same side is not a meeting between the two sides; an unnamed counterpart is the other side.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...claims import Entity
from ..entities import last_person, other_side, reference, state_of
from ..lexicon import lexicon
from .common import Frame, Sentence, conjuncts, lemma, objects, pobjs, subject

_AGENTS = ("Person", "State", "GovernmentBody", "ArmedForce", "IntelligenceAgency", "PoliticalParty", "Organization")
_PLACES = ("City", "Region", "State", "Place", "Country")
_KIND = {"visit": "visit", "trip": "visit", "travel": "visit", "summit": "summit", "talk": "talks",
         "call": "phone call", "meet": "meeting", "meeting": "meeting", "host": "visit", "receive": "meeting",
         "greet": "meeting", "welcome": "visit", "invite": "visit", "negotiation": "talks", "hold": "talks"}


def find(sent: Sentence) -> list[Frame]:
    lex = lexicon()
    out: list[Frame] = []
    for tok in sent.span:
        lem = lemma(tok)
        if tok.pos_ == "VERB" and lem in lex.meeting_verbs:
            out += _verb(tok, sent)
        elif tok.pos_ in ("NOUN", "PROPN") and lem in lex.meeting_nouns and not _under_meeting_verb(tok):
            out += _noun(tok, sent)
    return _unique(out)


def _agents(toks: list[Token], sent: Sentence, *, places: bool = False) -> list[Entity]:
    out = []
    for t in toks:
        for c in conjuncts(t):
            e = _entity(c, sent)
            if e is None and places and lemma(c) in ("capital", "country"):
                e = sent.mentions.owner(c)  # "visited the North Korean capital": the country
            if e is None:
                continue
            if e.kind in _AGENTS or places and e.kind in _PLACES:
                if places and e.kind in ("City", "Region", "Place") and state_of(e):
                    e = reference(state_of(e)) or e
                out.append(e)
    return out


_PEOPLE = {"delegation", "counterpart", "official", "leader", "minister", "team", "envoy", "diplomat", "president",
           "chief", "head", "commander", "secretary", "ambassador", "general", "officer", "representative"}


def _entity(tok: Token, sent: Sentence) -> Entity | None:
    if tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "him", "her", "his"):
        m = sent.mentions.before(tok.i, kinds=("Person",))
        return m.entity if m else None
    own = sent.mentions.of(tok)
    if own is not None:
        return own.entity
    # "her Russian counterpart, Sergey Lavrov": the name is the appositive or compound
    for c in tok.children:
        if c.dep_ in ("appos", "compound") and sent.mentions.of(c) and sent.mentions.of(c).kind == "Person":
            return sent.mentions.of(c).entity
    if tok.pos_ == "NOUN" and lemma(tok) not in _PEOPLE:
        return None
    if tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children):
        # "the North Korean minister": the person of that side the article last named
        owner = sent.mentions.owner(tok)
        person = last_person(sent.mentions, tok.i, state_of(owner) if owner else None, lemma(tok))
        if person is not None:
            return person
    e = sent.mentions.entity(tok)
    if e is None:
        # "a Russian delegation", "North Korean officials": the owner state
        owner = sent.mentions.owner(tok)
        if owner is not None and tok.pos_ == "NOUN":
            return owner
    return e


def _pairs(left: list[Entity], right: list[Entity], trigger: Token, kind: str, sent: Sentence,
           status: str | None = None) -> list[Frame]:
    out = []
    if left and not right:
        right = [_counterpart(left[0], sent)]
    if right and not left:
        left = [_counterpart(right[0], sent)]
    if lemma(trigger) not in ("arrive", "travel", "fly"):  # an arrival is at the place
        left = [_person_for(e, sent) for e in left]
        if lemma(trigger) not in ("visit", "trip"):
            # "Putin visited Pyongyang (and met Kim)": the visit is to the country; meeting Kim is
            # a fact of its own, read from its own verb
            right = [_person_for(e, sent) for e in right]
    for a in left:
        for b in right:
            if a is None or b is None or a.label == b.label:
                continue
            sa, sb = state_of(a), state_of(b)
            if sa and sb and sa == sb or _same_person(a, b):
                continue
            known = {sa, sb} - {None}
            if not known <= {"North Korea", "Russia"}:
                continue  # a meeting between the two sides, not with a third
            out.append(Frame("meeting", trigger, actor=a, target=b, item=kind, status=status))
    return out


def _same_person(a: Entity, b: Entity) -> bool:
    """"Kim" and "Kim Jong Un": one person named twice."""
    if a.kind != "Person" or b.kind != "Person":
        return False
    wa, wb = set(a.label.split()), set(b.label.split())
    return wa <= wb or wb <= wa


def _person_for(e: Entity | None, sent: Sentence) -> Entity | None:
    """A state stands for the one person of that side the sentence names ("Putin visited
    Pyongyang and met Kim": Kim), else stays the state."""
    if e is None or e.kind != "State":
        return e
    people = {m.entity.label: m.entity for m in sent.mentions.in_span(sent.span.start, sent.span.end)
              if m.kind == "Person" and state_of(m.entity) == e.label}
    return next(iter(people.values())) if len(people) == 1 else e


def _counterpart(e: Entity, sent: Sentence) -> Entity | None:
    """The unnamed other participant: a person of the other side named in the sentence, else
    the other side itself."""
    side = state_of(e)
    want = "Russia" if side == "North Korea" else "North Korea" if side == "Russia" else None
    if want is None:
        return None
    for m in sent.mentions.in_span(sent.span.start, sent.span.end):
        if m.kind == "Person" and state_of(m.entity) == want:
            return m.entity
    if any(t.lower_ in ("his", "her") and t.dep_ == "poss" for t in sent.span):
        # "a meeting with his North Korean counterpart": "his" is the person of that side named last
        person = last_person(sent.mentions, sent.span.start, want)
        if person is not None:
            return person
    return other_side(side)


def _verb(verb: Token, sent: Sentence) -> list[Frame]:
    lem = lemma(verb)
    if verb.dep_ == "xcomp" and lemma(verb.head) == "invite":
        return []  # "invited Putin to visit": the invitation is the meeting
    subj = subject(verb)
    if verb.dep_ == "xcomp" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "Kim invited Putin to visit Pyongyang": the one invited visits
        subj = next((c for c in verb.head.children if c.dep_ == "dobj"), subj)
    left = _agents([subj], sent) if subj is not None else []
    status = "planned" if lem == "invite" else None
    if lem in ("hold", "have", "sit"):
        held = [o for o in objects(verb) if lemma(o) in lexicon().held_nouns]
        if not held:
            return []
        right = _agents(pobjs(verb, "with") + pobjs(held[0], "with", "between"), sent)
        if not left and pobjs(held[0], "between"):
            both = _agents(pobjs(held[0], "between"), sent)
            left, right = both[:1], both[1:]
        return _pairs(left, right, verb, _KIND.get(lemma(held[0]), "talks"), sent)
    if lem == "visit" and verb.dep_ == "amod":
        return []  # "visiting Russian Defense Minister Belousov": a description, not the visit
    if lem in ("visit", "travel", "arrive", "fly"):
        right = _agents(objects(verb) + pobjs(verb, "to", "in"), sent, places=True)
        if lem != "visit" and (not right or not left or left[0].kind != "Person"):
            return []
        return _pairs(left, right, verb, "visit", sent, status)
    if lem == "exchange":
        # "Kim and Putin exchanged views": those who exchange them talked
        if not any(lemma(o) in ("view", "opinion", "greeting", "idea") for o in objects(verb)):
            return []
        both = _agents([subj], sent) if subj is not None else []
        right = _agents(pobjs(verb, "with") + [p for o in objects(verb) for p in pobjs(o, "with")], sent)
        if not right and len(both) >= 2:
            return _pairs(both[:1], both[1:], verb, "talks", sent)
        return _pairs(both[:1], right, verb, "talks", sent) if right else []
    if lem in ("talk", "confer", "discuss"):
        right = _agents(pobjs(verb, "with"), sent)
        if not right:
            return []
        return _pairs(left, right, verb, "talks", sent)
    if lem in ("speak", "talk") and any(lemma(c) in ("phone", "telephone") for c in verb.subtree):
        # "Putin spoke by phone with Kim"
        return _pairs(left, _agents(pobjs(verb, "with", "to"), sent), verb, "phone call", sent)
    if lem == "speak":
        return []
    if lem == "call":
        right = _agents(objects(verb), sent)
        if not any(lemma(c) in ("phone", "telephone") or c.lower_ in ("phone", "telephone")
                   for c in verb.subtree):
            return []
        return _pairs(left, right, verb, "phone call", sent)
    right = _agents(objects(verb) + pobjs(verb, "with"), sent)
    if verb.dep_ in ("nsubjpass",) or any(c.dep_ == "nsubjpass" for c in verb.children):
        s = [c for c in verb.children if c.dep_ == "nsubjpass"]
        right = _agents(s, sent)
        ag = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        left = _agents(ag, sent)
    if lem in ("receive", "greet", "welcome", "host", "invite") and not right:
        return []
    if not right and (objects(verb) or pobjs(verb, "with")) and lem not in ("meet", "convene") or \
            lem in ("meet", "convene") and not right and any(
                c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
        return []  # "met youth volunteers": someone named, but not a side of the two
    if lem in ("meet", "convene") and not right and subj is not None:
        # "Putin and Kim met": the subject's conjuncts meet each other
        both = _agents([subj], sent)
        if len(both) >= 2:
            left, right = both[:1], both[1:]
    return _pairs(left, right, verb, _KIND.get(lem, "meeting"), sent, status)


def _noun(noun: Token, sent: Sentence) -> list[Frame]:
    lem = lemma(noun)
    kind = _KIND.get(lem, "talks" if lem in ("negotiation", "consultation", "dialogue") else "meeting")
    for t in pobjs(noun, "of"):
        names = [x for x in t.subtree if x.ent_type_ in ("ORG", "GPE", "NORP")]
        sides = {state_of(sent.mentions.entity(x, depth=0)) for x in names}
        if names and not sides & {"North Korea", "Russia"}:
            return []  # "a ministerial meeting of the SCO member states": a third party's gathering
    between = _agents(pobjs(noun, "between", "among"), sent)
    if len(between) >= 2:
        return _pairs(between[:1], between[1:], noun, kind, sent)
    mods = [c for c in noun.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in mods):
        # "During her meeting with Lavrov, Choe said": the pronoun looks ahead to the subject
        subj = _clause_subject(noun)
        ahead = _agents([subj], sent) if subj is not None and subj.i > noun.i else []
        if ahead and ahead[0].kind == "Person":
            mods = [c for c in mods if c.pos_ != "PRON"]
            left = ahead
        else:
            left = _agents(mods, sent)
    else:
        left = _agents(mods, sent)
    if not left:  # "a rare visit by Putin to the North"
        left = _agents(pobjs(noun, "by"), sent)
    visit = lem in ("visit", "trip")
    right = _agents(pobjs(noun, "with") + (pobjs(noun, "to", "in") if visit else []), sent, places=visit)
    if len(left) >= 2 and not right:
        left, right = left[:1], left[1:]
    if not left:
        # "during talks with Kim, Lavrov said": the clause's subject
        subj = _clause_subject(noun)
        left = _agents([subj], sent) if subj is not None else []
        if len(left) >= 2 and not right:  # "Putin and Kim went on to the talks"
            left, right = left[:1], left[1:]
    if not left and not right:
        if lem not in ("summit", "meeting", "talk"):
            return []
        if _anaphoric(noun):
            return []  # "following the meeting", "confirming the meeting": one already told
        if lem != "summit" and not _placed(noun, sent):
            return []  # "in a closed-door meeting": a meeting, but not one said to be of the two sides
        # "a summit in Pyongyang", "their June meeting": the last named leaders of the two sides
        left, right = _sides(noun, sent)
        if not left:
            return []
    return _pairs(left, right, noun, kind, sent)


def _placed(noun: Token, sent: Sentence) -> bool:
    """"their June meeting", "talks in Pyongyang": a meeting the words tie to the two sides."""
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ == "their" or c.ent_type_ in ("DATE", "TIME"):
            return True
        if c.dep_ == "prep" and c.lower_ in ("in", "at"):
            for p in c.children:
                e = sent.mentions.entity(p, depth=1)
                if e is not None and state_of(e) in ("North Korea", "Russia"):
                    return True
    return False


def _anaphoric(noun: Token) -> bool:
    """"the meeting", "this summit" with nothing else to tell which: a meeting the article
    has already named (or one that is not between the two sides at all)."""
    dets = [c for c in noun.children if c.dep_ == "det"]
    others = [c for c in noun.children if c.dep_ in ("amod", "compound", "poss", "nmod", "nummod", "prep", "acl",
                                                     "relcl", "npadvmod")]
    return bool(dets) and dets[0].lower_ in ("the", "this", "that") and not others


def _sides(noun: Token, sent: Sentence) -> tuple[list[Entity], list[Entity]]:
    """"A summit in Pyongyang": the leaders the sentence names (or "their summit": the two
    last named), else the two states (people named earlier need not be the ones who met)."""
    nk = last_person(sent.mentions, sent.span.end, "North Korea")
    ru = last_person(sent.mentions, sent.span.end, "Russia")
    here = {m.entity.label for m in sent.mentions.in_span(sent.span.start, sent.span.end)}
    theirs = any(c.dep_ == "poss" and c.lower_ == "their" for c in noun.children)
    if nk is not None and ru is not None and (nk.label in here or ru.label in here or theirs):
        return [ru], [nk]
    states = {state_of(m.entity) for m in sent.mentions.in_span(sent.span.start, sent.span.end)}
    if {"North Korea", "Russia"} & states or sent.nk:
        return [reference("Russia")], [reference("North Korea")]
    return [], []


def _clause_subject(noun: Token) -> Token | None:
    head = noun.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return subject(head) if head.pos_ in ("VERB", "AUX") else None


def _under_meeting_verb(noun: Token) -> bool:
    head = noun.head
    return head.i != noun.i and head.pos_ == "VERB" and lemma(head) in lexicon().meeting_verbs | {"have"} \
        and noun.dep_ in ("dobj", "attr")


def _unique(frames: list[Frame]) -> list[Frame]:
    seen, out = set(), []
    for f in frames:
        key = (frozenset((f.actor.label, f.target.label if f.target else None)), f.item == "visit")
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
