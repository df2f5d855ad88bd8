"""Entity mentions in an article.

Three sources, merged with the longer span winning an overlap:
* reference entities from the gazetteer (``ontology/entities.ttl``);
* new people introduced by a title or role ("South Korean lawmaker Yoo Yong-won",
  "Chang Ho-jin, South Korean National Security Advisor,") and new anonymous sources
  ("a South Korean government official", "Ukrainian intelligence sources");
* short forms within the article: a surname after the full name ("Ryder", "Kim").
Pronouns and definite descriptions ("he", "the department") are resolved on demand by
``antecedent``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .claims import Entity
from .gazetteer import Gazetteer, Reference, gazetteer

AGENT_KINDS = {"State", "Person", "GovernmentBody", "ArmedForce", "MilitaryUnit", "IntelligenceAgency",
               "NewsOutlet", "AnonymousSource", "Organization", "PoliticalParty"}
PLACE_KINDS = {"Country", "Region", "City", "OccupiedTerritory", "Place"}

_ROLE_WORDS = (
    r"lawmakers?|legislators?|ministers?|Minister|spokes(?:person|man|woman)|press secretary|ambassador|"
    r"President|president|[Ll]eader|Supreme Leader|General|Gen\.|Lt\. Gen\.|Maj\. Gen\.|Colonel|Col\.|Admiral|"
    r"Commander-in-Chief|commander|[Cc]hief|Advis[eo]r|advis[eo]r|analyst|expert|senator|Senator|Sen\.|Rep\.|"
    r"Representative|Secretary|secretary|[Cc]hairman|[Cc]hairwoman|[Dd]irector|[Dd]eputy|[Hh]ead|MP|"
    r"member of parliament|researcher|professor|[Ee]nvoy|diplomat|[Pp]remier|Prime Minister|[Cc]hancellor|"
    r"[Cc]orrespondent|[Oo]fficer|fellow|scholar|[Ff]ellow|[Rr]esearch fellow|[Ss]enior fellow|[Ss]ergeant|[Ll]ieutenant|[Cc]aptain|[Mm]ajor|[Gg]overnor|[Mm]ayor|[Cc]ommissioner"
)
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]\.)"
_NAME = rf"{_NAME_TOKEN}(?: {_NAME_TOKEN}){{1,2}}"
# "<role words> Name": the role is a run of words ending in a role word
_TITLED = re.compile(
    rf"(?P<role>(?:(?:[A-Z][\w.'\u2019-]*|of|to|for|the|and|former|senior|deputy|first|vice|chief|defense|defence|"
    rf"foreign|national|security|intelligence|military|press|top|state|s)[ ]+){{0,6}}?(?:{_ROLE_WORDS})"
    rf"(?:[ ]+(?:to|of|for)[ ]+(?:the[ ]+)?[A-Z][\w'\u2019.-]*)?)[ ]+(?P<name>{_NAME})(?![\w])"
)
# "Name, (a|the) <role>," appositive
_APPOS = re.compile(
    rf"(?P<name>{_NAME}),\s+(?P<role>(?:(?:a|an|the|former|[Ff]ormer)\s+)?(?:[\w.'\u2019-]+\s+){{0,7}}?"
    rf"(?:{_ROLE_WORDS})(?:\s+(?:to|of|for|at|in)\s+(?:the\s+)?[A-Z][\w'\u2019.-]*"
    rf"(?:\s+(?:[A-Z][\w'\u2019.-]*|of|for|and|on))*)*)"
    rf"(?P<close>,|\s+(?=told|said|says|stated|added|noted|warned)|(?=\.(?:\s|$)))"
)
_ANON = re.compile(
    r"(?P<det>\b(?:a|an|one|two|three|several|some|other|many|multiple|unnamed|anonymous)\s+)?"
    r"(?P<mods>(?:(?:senior|unnamed|anonymous|high-ranking|top|former|current|military|government|"
    r"intelligence|defen[cs]e|security|diplomatic|[Ww]estern|administration|ministry|presidential|"
    r"(?:North |South )?Korean|U\.S\.|US|American|Ukrainian|Russian|Japanese|Chinese|European|"
    r"Seoul|Kyiv|Washington|Pentagon|Kremlin|[A-Z][a-z]+(?:'s|\u2019s))\s+){1,4})"
    r"(?P<head>officials?|sources?|authorities|diplomats?|spokes(?:person|man|woman)|officers?)(?![\w])"
)
_SKIP_NAME_START = {"The", "A", "An", "In", "On", "At", "But", "And", "However", "Meanwhile", "According",
                    "North", "South", "Russian", "Ukrainian", "American", "Korean", "Chinese", "This", "That"}
_KOREAN_SURNAMES = {"Kim", "Lee", "Park", "Pak", "Choe", "Choi", "Chang", "Jang", "Yoo", "Yu", "Yoon", "Cho",
                    "Jung", "Chung", "Kang", "Shin", "Han", "Oh", "Lim", "Ri", "Hong", "Moon", "Ko", "Song",
                    "Hwang", "Ahn", "Nam", "Jeon", "Kwon", "Seo", "Yang", "Son", "Bae", "Baek", "Ryu", "Heo",
                    "Noh", "No", "Ha", "Jo", "Shim", "Won", "Chun", "Ju", "Pyon", "So", "Jon", "Kye"}
PRONOUNS = re.compile(r"\b(?:he|she|He|She|his|her|His|Her|it|It|its|Its|they|They|their|Their)\b")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    entity: Entity
    how: str                 # gazetteer, titled, appositive, anonymous, short
    modifier: bool = False   # "Russia-occupied", "North Korean-made": part of a modifier

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


def state_entity(label: str, gaz: Gazetteer | None = None) -> Entity | None:
    """The reference entity with this label (entities are immutable, so built once)."""
    return _reference_entity(label, gaz or gazetteer())


@lru_cache(maxsize=512)
def _reference_entity(label: str, gaz: Gazetteer) -> Entity | None:
    ref = gaz.get(label)
    return entity_for(ref, gaz=gaz) if ref else None


def affiliation_from(text: str, gaz: Gazetteer | None = None) -> Entity | None:
    """The state (or body) named in a role or source description: "South Korean lawmaker"."""
    gaz = gaz or gazetteer()
    for hit in gaz.find(text):
        ref = hit.refs[0]
        if ref.kind in ("State", "GovernmentBody", "IntelligenceAgency", "ArmedForce", "PoliticalParty", "Organization"):
            return entity_for(ref, text=hit.text, gaz=gaz)
        state = gaz.state_of(ref.label)
        if state:
            return state_entity(state, gaz)
    return None


def find_mentions(text: str, *, gaz: Gazetteer | None = None) -> list[Mention]:
    """All mentions in an article, sorted by position, without overlaps."""
    gaz = gaz or gazetteer()
    found: list[Mention] = []
    for hit in gaz.find(text):
        ref = _choose(hit.refs, text, hit.start)
        mod = bool(re.match(r"-(?:occupied|controlled|held|annexed|backed|led)\b", text[hit.end:hit.end + 12]))
        found.append(Mention(hit.start, hit.end, hit.text, entity_for(ref, text=hit.text, gaz=gaz), "gazetteer", mod))
    found += _new_people(text, gaz)
    found += _inverted_speakers(text, gaz)
    found += _anonymous(text, gaz)
    found += _spokespeople(text, found)
    found += _placed_sources(text, gaz)
    found += _named_bodies(text, gaz)
    merged = _merge(found)
    return _short_forms(text, merged, gaz)


def _choose(refs: tuple[Reference, ...], text: str, start: int) -> Reference:
    """An ambiguous alias (Pyongyang: the state or the city) read from the words before it."""
    if len(refs) == 1:
        return refs[0]
    before = text[max(0, start - 25):start]
    if re.search(r"\baccording to\s+$", before, re.I):
        return next((r for r in refs if r.kind == "State"), refs[0])
    place = re.search(r"\b(?:in|at|to|near|from|into|outside|visit to|visited|arrived in|trip to|capital,?)\s+(?:the\s+)?$", before)
    for ref in refs:
        if place and ref.kind != "State":
            return ref
        if not place and ref.kind == "State":
            return ref
    return refs[0]


def _new_people(text: str, gaz: Gazetteer) -> list[Mention]:
    out = []
    for m in _APPOS.finditer(text):
        name = m.group("name")
        if name.split()[0] in _SKIP_NAME_START or gaz.find(name) and gaz.find(name)[0].text == name:
            continue
        role = m.group("role").strip()
        role = re.sub(r"^(?:a|an|the)\s+", "", role)
        ent = Entity(label=name, kind="Person", role=role, affiliation=affiliation_from(role, gaz), text=name)
        end = m.end() if m.group("close") == "," else m.end("role")
        out.append(Mention(m.start(), end, text[m.start():end], ent, "appositive"))
    for m in _titled_matches(text):
        name = m.group("name")
        if name.split()[0] in _SKIP_NAME_START:
            continue
        known = gaz.find(name)
        if known and known[0].start == 0 and known[0].end == len(name):
            continue
        role = m.group("role").strip()
        rank = re.match(r"(?:General|Gen\.|Colonel|Col\.|Admiral|Lieutenant|Major|Captain|Sergeant) ", name)
        if rank and len(name.split()) == 3:
            role, name = f"{role} {rank.group(0).strip()}", name[rank.end():]
        # drop a leading sentence word ("On Tuesday, Pentagon ...") or connective
        role = re.sub(r"^(?:(?:On|In|At|But|And|However|Meanwhile|The|the|Former)\s+)", "", role)
        ent = Entity(label=name, kind="Person", role=role, affiliation=affiliation_from(role, gaz), text=name)
        out.append(Mention(m.end("name") - len(name), m.end("name"), name, ent, "titled"))
    return out


_INVERTED = re.compile(rf"[,\u201d\"]\s*(?:said|says|added|wrote|noted)\s+(?P<name>{_NAME})(?![\w'-])"
                       rf"(?:,\s+(?P<role>(?:a|an|the)\s+[^,.;\u201c\"]{{3,90}}?)(?=[,.;]|$))?")


def _inverted_speakers(text: str, gaz: Gazetteer) -> list[Mention]:
    """ '..., said Joseph Dempsey, a research associate at ...': a new person after the verb."""
    out = []
    for m in _INVERTED.finditer(text):
        name = m.group("name")
        known = gaz.find(name)
        if name.split()[0] in _SKIP_NAME_START or (known and known[0].start == 0):
            continue
        role = re.sub(r"^(?:a|an|the)\s+", "", m.group("role")) if m.group("role") else None
        ent = Entity(label=name, kind="Person", role=role, affiliation=affiliation_from(role, gaz) if role else None,
                     text=name)
        out.append(Mention(m.start("name"), m.end("name"), name, ent, "inverted"))
    return out


_ROLE_CUE = re.compile(rf"(?:{_ROLE_WORDS})(?:[ ]+(?:to|of|for)[ ]+(?:the[ ]+)?[A-Z][\w'\u2019.-]*)?[ ]+[A-Z]")


def _titled_matches(text: str) -> list[re.Match]:
    """_TITLED matches, looked for only around role words followed by a capital (much faster)."""
    out, seen = [], set()
    for cue in _ROLE_CUE.finditer(text):
        a = max(0, cue.start() - 90)
        for m in _TITLED.finditer(text, a, min(len(text), cue.end() + 60)):
            if m.start("name") not in seen and m.start("name") >= cue.start():
                seen.add(m.start("name"))
                out.append(m)
    return out


def _anonymous(text: str, gaz: Gazetteer) -> list[Mention]:
    out = []
    for m in _ANON.finditer(text):
        mods = m.group("mods")
        head = m.group("head")
        words = (m.group("det") or "") + mods + head
        if head.startswith("officer") and "intelligence" not in mods and "military" not in mods:
            continue
        if head in ("official", "source", "officer", "diplomat") and not m.group("det"):
            continue  # "North Korea's official name": a singular source needs "a", "one" ...
        aff = affiliation_from(mods, gaz)
        label = re.sub(r"\s+", " ", words.strip())
        label = re.sub(r"^(?:one|some|other|many|multiple)\s+", "", label)
        ent = Entity(label=label, kind="AnonymousSource", affiliation=aff, text=m.group(0))
        out.append(Mention(m.start(), m.end(), m.group(0), ent, "anonymous"))
    return out


_SPOKES = re.compile(r"\b(?:[Aa]n?|[Tt]he|[Oo]ne)\s+(?:senior\s+)?(?:spokes(?:person|man|woman)|official|representative)\s+"
                     r"(?:for|of|at|from)\s+(?:the\s+)?")


def _spokespeople(text: str, found: list[Mention]) -> list[Mention]:
    """ "A spokesperson for the State Department": an unnamed source of a named body."""
    out = []
    by_start = {m.start: m for m in found}
    for m in _SPOKES.finditer(text):
        body = by_start.get(m.end()) or (by_start.get(m.end() - 4) if m.group(0).endswith("the ") else None)
        if body is None or body.kind not in ("GovernmentBody", "IntelligenceAgency", "ArmedForce", "State",
                                             "PoliticalParty", "Organization"):
            continue
        words = text[m.start():body.end]
        label = re.sub(r"\s+", " ", words[0].lower() + words[1:])
        ent = Entity(label=label, kind="AnonymousSource", affiliation=body.entity, text=words)
        out.append(Mention(m.start(), body.end, words, ent, "anonymous"))
    return out


_PLACED_SOURCE = re.compile(r"\b(?:[Oo]fficials|[Ss]ources|[Dd]iplomats|[Aa]uthorities)\s+in\s+(?P<place>[A-Z][a-z]+)\b")
_NAMED_BODY = re.compile(r"\b(?:according to|by|from)\s+(?:the\s+)?(?P<name>(?:[A-Z][\w'\u2019.-]*(?:\s+(?:of|for|on|and|the|"
                         r"[A-Z][\w'\u2019.-]*))*\s+)?(?:Institute|Centre|Center|Council|Foundation|Group|Agency|"
                         r"Office|Service|Network|Project|Initiative|Studies|Team|Monitor)(?:\s+(?:of|for|on)\s+(?:the\s+)?"
                         r"[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)*)*)")


def _placed_sources(text: str, gaz: Gazetteer) -> list[Mention]:
    """ "Officials in Seoul": anonymous sources of the state whose capital is named."""
    out = []
    for m in _PLACED_SOURCE.finditer(text):
        state = gaz.state_of(m.group("place"))
        if state is None:
            continue
        words = m.group(0)
        ent = Entity(label=words[0].lower() + words[1:], kind="AnonymousSource", affiliation=state_entity(state, gaz),
                     text=words)
        out.append(Mention(m.start(), m.end(), words, ent, "anonymous"))
    return out


def _named_bodies(text: str, gaz: Gazetteer) -> list[Mention]:
    """Research groups and agencies not in the reference data, named as a source:
    "according to the Institute for the Study of War"."""
    out = []
    for m in _NAMED_BODY.finditer(text):
        name = re.sub(r"(?<=[a-z])[.,]+$", "", m.group("name"))  # a full stop ends the sentence, not the name
        known = gaz.find(name)
        if known and known[0].start == 0 and known[0].end == len(name):
            continue
        ent = Entity(label=name, kind="Organization", text=name)
        out.append(Mention(m.start("name"), m.start("name") + len(name), name, ent, "named-body"))
    return out


def _merge(found: list[Mention]) -> list[Mention]:
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in found:
        if out and m.start < out[-1].end:
            prev = out[-1]
            if (m.end - m.start) > (prev.end - prev.start):
                out[-1] = m
            continue
        out.append(m)
    return out


def family_name(label: str) -> str:
    parts = label.split()
    if parts and parts[0] in _KOREAN_SURNAMES:
        return parts[0]
    return parts[-1]


def _short_forms(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Surnames standing alone after a full name: "Ryder said", "KCNA quoted Kim"."""
    people = [m for m in mentions if m.kind == "Person"]
    if not people:
        return mentions
    short = {family_name(m.entity.label): m for m in people}
    full = {m.entity.label: m for m in people}
    alts = sorted(set(short) | set(full), key=len, reverse=True)
    pat = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in alts) + r")(?![\w-])")
    extra = []
    taken = [(m.start, m.end) for m in mentions]
    for m in pat.finditer(text):
        word = m.group(1)
        if any(a <= m.start() < b for a, b in taken):
            continue
        if word not in full and re.match(r"\s+[A-Z][a-z]", text[m.end():]):
            continue  # "Kim Il-Sung": a different person with the same surname
        prior = [p for p in people if p.end <= m.start() and (p.entity.label == word or family_name(p.entity.label) == word)]
        if not prior:
            continue
        ent = prior[-1].entity
        extra.append(Mention(m.start(), m.end(), word, Entity(ent.label, ent.kind, ent.iri, ent.role,
                                                                 ent.affiliation, word), "short"))
        taken.append((m.start(), m.end()))
    return sorted(mentions + extra, key=lambda m: m.start)


def antecedent(mentions: list[Mention], pos: int, *, kinds: set[str], role_word: str | None = None) -> Mention | None:
    """The latest mention before ``pos`` of one of ``kinds`` (and with ``role_word`` in its role)."""
    for m in reversed(mentions):
        if m.end > pos or m.modifier:
            continue
        if m.kind in kinds and (role_word is None or role_word in (m.entity.role or "").lower()
                                or role_word in m.entity.label.lower()):
            return m
    return None
