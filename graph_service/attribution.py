"""Who says so, and through whom.

Attribution frames recognised in a sentence (the claimer first, then the outlets the claim
passed through, nearest the claimer first):
  "X told OUTLET" / "X told reporters"          -> X, (OUTLET,)
  "OUTLET cited X" / "..., citing X"             -> X, (OUTLET,)
  "OUTLET quoted X as saying"                    -> X, (OUTLET,)
  "according to X" / "according to OUTLET, which cited X"
  "X said|stated|reported|added|..."  and "..., said X"
  "OUTLET reported" / "as reported by OUTLET"    -> via OUTLET only
Pronouns and definite descriptions ("he said", "the department added", "told the outlet")
are resolved to the latest fitting mention before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .claims import Entity
from .mentions import AGENT_KINDS, Mention, antecedent

SPEECH_VERBS = (
    r"said|says|say|told|tells|stated|states|added|adds|noted|notes|warned|warns|claimed|claims|"
    r"announced|announces|reported|reports|indicated|indicates|confirmed|confirms|believes|believe|"
    r"estimated|estimates|criticized|criticised|criticizes|condemned|condemns|called for|calls for|urged|urges|"
    r"characterized|characterised|described|remarked|argued|insisted|accused|denied|denies|acknowledged|"
    r"revealed|disclosed|asserted|alleged|wrote|posted|explained|stressed|emphasized|emphasised|vowed|"
    r"pledged|maintained|assessed|briefed|informed|testified|echoed|suggested|"
    r"concluded|declared|cautioned|mentioned|observed|highlighted|underscored|commented|continued|quoted|"
    r"dismissed|rejected|denounced|slammed|wrote|praised|hailed|lauded|called(?! for)|labell?ed|thanked|saying|"
    r"adding|estimate|assess|assessed|assesses|replied|replies|responded|responds|answered|pledges|vows|"
    r"promised|promises|assured|assures"
)
_VERB = re.compile(rf"\b(?P<verb>{SPEECH_VERBS})\b")
_GAP = re.compile(r"^\)?(?:\s+(?:agency|service|ministry)|['\u2019]s\s+(?:[\w-]+\s+){0,2}?(?:ministry|Ministry|government|"
                  r"military|office|Office|presidency|embassy|Embassy|mission|intelligence|agency|service|"
                  r"General Staff|administration))?(?:\s*\([A-Z]{2,6}\))?[\s,\u201d\"']*(?:(?:has|have|had|also|repeatedly|previously|earlier|later|recently|"
                  r"further|again|officially|publicly|separately|then|now|is|was|were|are|would|will|"
                  r"on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|\w+ly)\s+)*$")
_PRONOUN = re.compile(r"(?P<p>\b(?:he|she|He|She|they|They|it|It)|\b(?:the|The) (?P<noun>department|ministry|minister|"
                      r"official|spokesperson|spokesman|spokeswoman|agency|outlet|newspaper|lawmaker|president|leader|"
                      r"ambassador|military|government|report|broadcaster|secretary|commander|general))\b")
_RELATIVE = re.compile(r"^,\s+(?:who|which)\b[^,;\u201c\"]{0,120},\s*(?:\w+ly\s+)?$")
_APPOSITIVE = re.compile(r"^,\s+(?:the|a|an|his|her|its|their)\s+[^;\u201c\"]{3,120},\s*(?:\w+ly\s+)?$")
_OUTLETISH = {"outlet", "newspaper", "broadcaster", "report"}


@dataclass(frozen=True)
class Attribution:
    """The claimer and the outlets of one sentence (either may be missing)."""

    claimer: Entity | None = None
    via: tuple[Entity, ...] = ()
    verb: str | None = None
    anaphoric: bool = False          # the claimer was named by a pronoun or "the department"
    speaker_start: int | None = None  # article offsets of the words naming the claimer
    speaker_end: int | None = None

    @property
    def found(self) -> bool:
        return self.claimer is not None or bool(self.via)


def _agent_at(local: list[Mention], at: int, text: str) -> Mention | None:
    """The agent mention starting at ``at``, or at ``at`` minus a "the " just skipped."""
    for x in local:
        if x.kind in AGENT_KINDS and (x.start == at or (x.start == at - 4 and text[x.start:at].lower() == "the ")):
            return x
    return None


@dataclass
class _Frame:
    """One sentence being read, and what has been found in it so far."""

    text: str
    start: int
    end: int
    mentions: list[Mention]
    recent: tuple[Mention, ...]
    local: list[Mention] = field(default_factory=list)
    claimer: Mention | None = None
    via: list[Entity] = field(default_factory=list)
    verb: str | None = None
    anaphoric: bool = False

    @property
    def sentence(self) -> str:
        return self.text[self.start:self.end]

    @property
    def outlets(self) -> list[Mention]:
        return [m for m in self.local if m.kind == "NewsOutlet"]

    def add_via(self, outlet: Mention | Entity) -> None:
        ent = outlet.entity if isinstance(outlet, Mention) else outlet
        if ent not in self.via:
            self.via.append(ent)

    def agent_after(self, pos: int, pattern: str) -> Mention | None:
        """The agent mention starting right after ``pos`` once ``pattern`` is skipped."""
        m = re.match(pattern, self.text[pos:self.end])
        return _agent_at(self.local, pos + m.end(), self.text) if m else None


def attribute(text: str, start: int, end: int, mentions: list[Mention], *,
              recent_speakers: tuple[Mention, ...] = ()) -> Attribution:
    """The attribution frame of the sentence at ``text[start:end]``.

    ``recent_speakers`` (latest last) resolve "he said" to the person last quoted, before
    falling back on the person last mentioned.
    """
    f = _Frame(text, start, end, mentions, recent_speakers,
               local=[m for m in mentions if m.start >= start and m.end <= end])
    for step in (_quoting_outlet, _citing, _speech_verbs, _according_to, _reported_by, _inverted):
        step(f)
    ent = f.claimer.entity if f.claimer else None
    if ent is not None and ent.kind == "NewsOutlet":
        f.via.insert(0, ent)
        ent = None
    return Attribution(ent, tuple(dict.fromkeys(f.via)), f.verb, f.anaphoric,
                       f.claimer.start if f.claimer else None, f.claimer.end if f.claimer else None)


def _quoting_outlet(f: _Frame) -> None:
    """ "OUTLET quoted X as", "OUTLET cited X", "OUTLET quoted him as saying"."""
    for o in f.outlets:
        who = f.agent_after(o.end, r"\s+(?:also\s+)?(?:quoted|cited|citing|quoting)\s+(?:the\s+)?")
        if who is None and re.match(r"\s+(?:also\s+)?quoted\s+(?:him|her)\s+as\b", f.text[o.end:f.end]):
            here = [x for x in f.local if x.kind == "Person" and x.end <= o.start]
            people = [x for x in f.recent if x.kind == "Person"]
            who = here[0] if here else people[-1] if people else antecedent(f.mentions, o.start, kinds={"Person"})
            f.anaphoric = who is not None
        if who:
            f.claimer, f.verb = who, "quoted"
            f.add_via(o)


def _citing(f: _Frame) -> None:
    """ "..., citing X": X claims, through the sentence's outlet if it names one."""
    m = re.search(r"\b(?:citing|quoting)\s+(?:the\s+)?", f.sentence)
    if f.claimer is not None or not m:
        return
    who = _agent_at(f.local, f.start + m.end(), f.text)
    if who:
        f.claimer, f.verb = who, "citing"
        if f.outlets:
            f.add_via(f.outlets[0])


def _speech_verbs(f: _Frame) -> None:
    """ "X said", "X told OUTLET", "he added", "the outlet reported"."""
    for vm in _VERB.finditer(f.sentence):
        vpos = f.start + vm.start()
        who = _speaker_before(f.text, f.start, vpos, f.local, f.mentions, f.recent)
        if who is None:
            continue
        m, pron = who
        if m.kind == "NewsOutlet":
            f.add_via(m)
            continue
        if f.claimer is not None:
            continue  # keep looking only for outlets ("..., CNN reported")
        f.claimer, f.verb, f.anaphoric = m, vm.group("verb"), pron
        if vm.group("verb") == "told":
            _told(f, f.start + vm.end())


def _told(f: _Frame, pos: int) -> None:
    """ "told Rossiyskaya Gazeta", "told the outlet": the outlet is the channel."""
    tgt = f.agent_after(pos, r"\s+(?:Russian\s+state-owned\s+|state-run\s+|the\s+)?")
    if tgt is None and re.match(r"\s+the (outlet|newspaper|agency|broadcaster)\b", f.text[pos:f.end]):
        tgt = antecedent(f.mentions, pos, kinds={"NewsOutlet"})
    if tgt is not None and tgt.kind == "NewsOutlet":
        f.add_via(tgt)


def _according_to(f: _Frame) -> None:
    """ "according to X (, which cited Y)"; an outlet named in the phrase is the channel."""
    m = re.search(r"\b[Aa]ccording to\s+(?:the\s+)?", f.sentence)
    if not m:
        return
    at = f.start + m.end()
    first = _agent_at(f.local, at, f.text)
    phrase_end = at + re.search(r"[,;.]|$", f.sentence[m.end():]).start()
    outlet = next((x for x in f.outlets if at <= x.start < phrase_end), None)
    if outlet is not None and (first is None or first.kind != "NewsOutlet"):
        first = outlet
    if first is None:
        return
    if first.kind == "NewsOutlet":
        f.add_via(first)
        second = f.agent_after(first.end, r"(?:\s+[\w-]+){0,4}?,?\s*(?:which|who)\s+(?:cited|quoted)\s+(?:the\s+)?")
        if second is not None and f.claimer is None:
            f.claimer = second
        f.verb = f.verb or "according to"
    elif f.claimer is None:
        f.claimer, f.verb = first, "according to"


def _reported_by(f: _Frame) -> None:
    """ "as reported by OUTLET", "cited by OUTLET"."""
    for o in f.outlets:
        if re.search(r"(?:reported by|published by|carried by|released by|told|quoted by|cited by|according to)\s+"
                     r"(?:the\s+)?(?:state\s+news\s+agency\s+|state\s+media\s+)?$",
                     f.text[max(f.start, o.start - 30):o.start]):
            f.add_via(o)


def _inverted(f: _Frame) -> None:
    """ '..., said X' with the speaker after the verb."""
    if f.claimer is not None:
        return
    for vm in re.finditer(r"[,\u201d\"]\s*(?:said|says|added|according to)\s+(?:the\s+)?", f.sentence):
        at = f.start + vm.end()
        titled = next((x for x in f.local if x.kind == "Person" and at <= x.start <= at + 60
                       and re.fullmatch(r"(?:[A-Z][\w.'\u2019-]*\s+|[a-z]+\s+){0,6}", f.text[at:x.start])), None)
        who = titled or _agent_at(f.local, at, f.text)
        if who:
            f.claimer, f.verb = who, "said"
            return


def _speaker_before(text: str, sstart: int, vpos: int, local: list[Mention],
                    mentions: list[Mention], recent: tuple[Mention, ...] = ()) -> tuple[Mention, bool] | None:
    """The mention (or resolved pronoun) that is the subject of the verb at ``vpos``."""
    before = [m for m in local if m.end <= vpos and m.kind in AGENT_KINDS and not m.modifier]
    participle = bool(re.search(r",\s+$", text[sstart:vpos]) and re.match(r"saying|adding", text[vpos:vpos + 7]))
    if before and not (participle and len(before) > 1):
        m = before[-1]
        if _GAP.match(text[m.end:vpos]):
            # "Kim Yo Jong, the sister of leader Kim Jong Un, said": the head of the appositive speaks
            for e in reversed(before[:-1]):
                if e.kind in ("Person", "AnonymousSource") and _APPOSITIVE.match(text[e.end:vpos]):
                    return e, False
            return m, False
        # "Kim, who travelled to Russia by train, pledged ...": skip a relative clause
        for m in reversed(before):
            if _RELATIVE.match(text[m.end:vpos]):
                return m, False
    # "Putin expressed thanks for ..., and said that ...": the subject of the first verb
    before_verb = text[sstart:vpos]
    if re.search(r",?\s+and\s+(?:\w+ly\s+)?$", before_verb) or participle:
        agents = [m for m in local if m.kind in AGENT_KINDS and not m.modifier]
        first = agents[0] if agents else None
        if first is not None and re.fullmatch(r"\s*(?:(?:On|In|At|Meanwhile|However|But)\b[^,]*,\s*)?(?:the\s+|The\s+)?",
                                              text[sstart:first.start]):
            if len(agents) > 1 and agents[1].kind == "Person" and re.fullmatch(r",?\s*", text[first.end:agents[1].start]):
                return agents[1], False  # "Kremlin spokesman Dmitry Peskov": the named person speaks
            return first, False
    window = max(sstart, vpos - 40)
    pms = list(_PRONOUN.finditer(text[window:vpos]))
    pm = pms[-1] if pms else None
    if not pm or not _GAP.match(text[window + pm.end():vpos]):
        return None
    at = window + pm.start()
    noun = pm.group("noun")
    word = pm.group("p").lower()
    if noun in _OUTLETISH:
        found = antecedent(mentions, at, kinds={"NewsOutlet"})
    elif noun in ("department", "ministry", "agency", "government", "military"):
        # "the agency" is a spy agency or a ministry more often than a news agency
        found = antecedent(mentions, at, kinds={"GovernmentBody", "IntelligenceAgency", "ArmedForce"}, role_word=noun) \
            or antecedent(mentions, at, kinds={"GovernmentBody", "IntelligenceAgency", "ArmedForce"}) \
            or (antecedent(mentions, at, kinds={"NewsOutlet"}) if noun == "agency" else None)
    elif noun:
        found = antecedent(mentions, at, kinds={"Person"}, role_word=noun) or \
            antecedent(mentions, at, kinds={"Person", "AnonymousSource"})
    elif word in ("he", "she"):
        people = [m for m in recent if m.kind == "Person"]
        found = people[-1] if people else antecedent(mentions, at, kinds={"Person"})
    elif word == "they":
        found = antecedent(mentions, at, kinds={"AnonymousSource", "GovernmentBody", "State"})
    else:  # "it said": the body last quoted, else the last one named
        bodies = [m for m in recent if m.kind in ("State", "GovernmentBody", "IntelligenceAgency", "ArmedForce")]
        found = bodies[-1] if bodies else antecedent(
            mentions, at, kinds={"State", "GovernmentBody", "NewsOutlet", "IntelligenceAgency"})
    return (found, True) if found else None
