"""Extraction: article text and metadata -> claims (``claims.Claim``), one per fact.

Rules are general patterns of news English about North Korea-Russia military cooperation:
verbs of sending, supplying and deploying with their objects and destinations; casualty
words with the numbers next to them; treaty signing; summits; and attributed statements.
Each sentence is read on its own, with mentions, quantities, times and attribution found
by the modules before this one; claims that repeat a fact already extracted from the same
article are merged, keeping the most informative mention.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from .articles import Article
from .attribution import Attribution, attribute
from .claims import Claim, Entity, Quantity, TimeSpec
from .gazetteer import Gazetteer, gazetteer
from .mentions import AGENT_KINDS, PLACE_KINDS, Mention, find_mentions, state_entity
from .nlp import Sentence, sentences
from .quantities import QuantityMatch, find_quantities
from .timex import TimeMatch, find_times

NK, RU = "North Korea", "Russia"
PARTNER = {NK: RU, RU: NK}

PERSONNEL = (r"troops|soldiers|forces|force|personnel|servicemen|service members|workers|labou?rers|engineers|"
             r"sappers|deminers|reinforcements|units|officers|commandos|fighters|specialists|instructors|builders|medics|"
             r"technicians|advis[eo]rs|pilots|crews|drone operators|military police|"
             r"army|brigades?|battalions?|regiments?|divisions?|contingent|mercenaries")
_PERS_NOUN = re.compile(rf"\b(?:{PERSONNEL})\b")
_NOT_OBJ = r"(?!(?:to|in|into|that|which|who|for|from|with|by|on|as|and\s+then|said|says)\b|at\s+(?!least))"
DEPLOY_ACTIVE = re.compile(
    rf"\b(?P<verb>send|sends|sent|deploy|deploys|deployed|dispatch|dispatches|dispatched|station|stations|commits|committed|"
    rf"stationed|(?:(?:is|are|was|were|been|be|began|begun|started|continues|continued|keeps?|kept|denied|denies|"
    rf"deny|denying|admitted|admits|acknowledged|acknowledges|confirmed|considering|considered|resumed|stopped|"
    rf"(?:accus\w+|suspect\w+|blam\w+|condemn\w+|criticiz\w+|criticis\w+)\s+(?:[\w'\u2019.-]+\s+){{0,3}}?of|"
    rf"(?:thank\w*|prais\w+|commend\w+|condemn\w+|criticiz\w+|criticis\w+)\s+(?:[\w'\u2019.-]+\s+){{0,3}}?for)\s+)"
    rf"(?:sending|deploying|dispatching))\s+(?P<obj>(?:{_NOT_OBJ}[\w,'\u2019\u201c\u201d.-]+\s+){{0,8}}?"
    rf"(?:{PERSONNEL})\b|(?:(?:as many as|up to|about|some|around|another|at least|over|more than|nearly)\s+)?"
    rf"\d[\d,.]*(?:\s+(?:thousand|million))?\s+(?:more|additional|others)\b(?!\s+\w+\s+(?:of|than)\b)|"
    rf"more\b(?=\s+(?:in|to|by|soon|next|this|later|over|if)\b|\s*[.,;]))")
DEPLOY_PASSIVE = re.compile(
    rf"\b(?P<obj>{PERSONNEL}|of them)\b(?P<gap>[^.;]{{0,60}}?)\b(?:(?:were|was|have been|has been|had been|are being|"
    rf"is being|been|be|being)\s+(?:\w+ly\s+)?(?:also\s+)?(?P<verb>sent|deployed|dispatched|stationed|redeployed|moved|"
    rf"relocated|transferred|rotated|transported|flown|ferried|shipped|airlifted|prepared to join|trained to join|trained|"
    rf"based|positioned|massed|amassed|gathered|concentrated|spotted|seen|sighted|observed|detected|identified)|(?:have|has|had)\s+(?:\w+ly\s+|already\s+)?"
    rf"(?P<verb2>moved|arrived|relocated|redeployed|advanced)\s+(?=to|in|into|at|toward|towards)|(?P<verb3>were|are|is|was|have been|had been|remain|remained)\s+(?:now\s+|already\s+|"
    rf"currently\s+|still\s+|reportedly\s+)?(?=in\s+|inside\s+)(?!in\s+(?:combat|action|the\s+fight)))\b")
DEPLOY_REDUCED = re.compile(
    rf"\b(?P<obj>{PERSONNEL})\s+(?:\w+ly\s+)?(?:have\s+|has\s+|had\s+)?(?P<verb>dispatched|deployed|sent|stationed|"
    rf"arrived|landed|crossed|moved)\s+(?=to\b|in\b|into\b|at\b)")
DEPLOY_NOMINAL = re.compile(
    rf"\b(?P<verb>deployment|dispatch)\s+of\s+(?P<obj>(?:[\w'\u2019-]+\s+){{0,5}}?(?:{PERSONNEL}))\b")
DEPLOY_COMBAT = re.compile(
    rf"\b(?P<obj>{PERSONNEL}|they)(?:\s+(?:dispatched|deployed|sent|stationed)\s+(?:to|in)\s+[\w'\u2019 -]{{1,30}}?)?"
    rf"\s+(?:have|has|had|are|were|is|was)?\s*(?:been\s+)?(?:also\s+)?"
    rf"(?:\w+ly\s+)?(?:started\s+|begun\s+|began\s+)?(?P<verb>engaged in combat|fighting|fought|in combat|operating|"
    rf"stationed|(?:tak(?:ing|en|e|es)|took) part in (?:the )?(?:combat|fighting|battles?|operations|combat operations|"
    rf"assaults?|offensive|counteroffensive|counter-offensive)|"
    rf"participat(?:ing|ed|e) in (?:the )?(?:combat|fighting|battles?|operations|combat operations|offensive)|"
    rf"join(?:ed|ing)? (?:the )?(?:fighting|combat|battles?|assaults?)|"
    rf"(?:launch|resum|conduct|mount|stag)(?:e|es|ed|ing)? (?:new |fresh |renewed |repeated |several )?"
    rf"(?:assaults?|attacks?|offensives?|raids?|counterattacks?))\b")
_REL_VERB = r"(?:has|have|had)?\s*(?:already\s+)?(?P<verb>sent|supplied|provided|delivered|shipped|deployed|dispatched|transferred)"
DEPLOY_RELATIVE = re.compile(
    rf"\b(?P<obj>{PERSONNEL})\s+(?:that|which)\s+(?P<subj>North Korea|Pyongyang|the North|DPRK)\s+{_REL_VERB}\b")
_COUNT_NP = (r"(?:(?:about|around|some|roughly|approximately|at least|more than|over|nearly|almost|up to|as many as|"
             r"an estimated)\s+)?\d[\d,.]*(?:\s+(?:thousand|million))?")
# "intelligence counted 11,000 North Korean soldiers in Kursk": a head count locates a deployment
DEPLOY_COUNT = re.compile(
    rf"\b(?P<verb>counted|tallied|identified|spotted|detected|located|observed|recorded)\s+"
    rf"(?P<obj>{_COUNT_NP}\s+(?:North Korean|DPRK)\s+(?:[\w-]+\s+)?(?:{PERSONNEL}))\b(?=\s+(?:in|inside|near|at|on)\b)")
# "the deployment, which officials estimate at about 11,000 troops": the size put on a deployment
DEPLOY_ESTIMATE = re.compile(
    rf"\b(?P<verb>deployment|dispatch|contingent|force)\b[^.;:]{{0,60}}?\b(?:estimated?|estimates|put|puts|numbered|"
    rf"numbers|totals?|totalled|totaled)\s+(?:it\s+)?(?:at\s+)?(?P<obj>{_COUNT_NP}\s+(?:[\w-]+\s+){{0,2}}?(?:{PERSONNEL}))\b")
# "reinforced its contingent in Kursk with another 3,000 soldiers"
DEPLOY_REINFORCE = re.compile(
    rf"\b(?P<verb>reinforc(?:e|es|ed|ing)|bolster(?:s|ed|ing)?|augment(?:s|ed|ing)?|replenish(?:es|ed|ing)?)\s+"
    rf"(?:its|their|the)\s+[^.;]{{0,60}}?\bwith\s+(?P<obj>(?:(?:another|an additional|some|about|around|up to|at least|"
    rf"more than|over|nearly|roughly)\s+)?\d[\d,.]*(?:\s+(?:thousand|million))?\s+(?:(?:more|additional|fresh|new)\s+)?"
    rf"(?:[\w-]+\s+)?(?:{PERSONNEL}))\b")
INCLUDED = re.compile(rf"\b(?:which included|including|among them|of whom|of which)\s+(?P<obj>(?:[\w,'-]+\s+){{0,4}}?"
                      rf"(?:{PERSONNEL}))\b")

TRANSFER_VERB = re.compile(
    r"\b(?P<verb>suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|sen(?:d|ds|t|ding)|ship(?:s|ped|ping)?(?!\s+containers)|"
    r"deliver(?:s|ed|ing)?|transfer(?:s|red|ring)?|export(?:s|ed|ing)?|dispatch(?:es|ed|ing)?|sell(?:s|ing)?|sold|"
    r"g(?:ive|ives|ave|iving|iven)|hand(?:s|ed)? over|shar(?:e|es|ed|ing)|offer(?:s|ed|ing)?|furnish(?:es|ed|ing)?|"
    r"smuggl(?:e|es|ed|ing)|funnel(?:s|ed|led|ing)?|help(?:s|ed|ing)?|assist(?:s|ed|ing)?|pa(?:y|ys|id|ying)|"
    r"arm(?:ed|ing)(?=\s+(?:the\s+)?(?:Russia|Moscow|North Korea|Pyongyang|the North)\b))\b")
RECEIVE_VERB = re.compile(r"\b(?P<verb>receiv(?:e|es|ed|ing)|obtain(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|sourc(?:e|es|ed|ing)|"
                          r"import(?:s|ed|ing)?|purchas(?:e|es|ed|ing)|bought|buy(?:s|ing)?)\b")
WEAPONS = (r"shells|rounds|ammunition|munitions|missiles|rockets|launchers|artillery|howitzers|guns|weapons|weaponry|"
           r"arms|containers|drones|tanks|vehicles|systems|pieces|mortars|grenades|rifles|bombs|warheads|jets|"
           r"aircraft|helicopters|armaments|materiel|shipments|cargo|gear")
GOODS = (r"oil|petroleum|crude|fuel|diesel|gasoline|food|foodstuffs|rice|wheat|grain|flour|coal|medicine|medicines|"
         r"supplies|technology|technologies|know-how|expertise|equipment|training|fertilizer|fertiliser|sugar|goods|"
         r"cash|money|currency|components|parts|electricity|livestock|technical assistance|technological assistance|"
         r"technical support|technical help|military-technical assistance|know how|data|hard currency|"
         r"(?:missile|satellite|space|nuclear|submarine|weapons?|drone|military)\s+programm?e?s?")
_WEAPON = re.compile(rf"\b(?:{WEAPONS})\b", re.I)
_GOOD = re.compile(rf"\b(?:{GOODS})\b", re.I)
_ITEM_STOP = re.compile(
    r"(?<!\bup)(?<!\bclose)\s(?:to|for|in|into|since|through|via|from|under|at|during|after|before|because|amid|which|that|who|while|"
    r"when|used|despite|in exchange|in return|as part|so that|over the|between)\b|[;:()\[\]]|,\s+(?:(?:which|while|with|who|"
    r"according|as|the|a|an|in|to|it|he|she|they|but)\b|[A-Z])|\s[\u2014\u2013-]\s|\.\s*$|\.$|"
    r"\s+and\s+(?=(?:may|might|could|will|would|is|are|was|were|has|have|had|also)\s)|"
    r"\swith\s+(?=(?:North Korea|Pyongyang|the North|Russia|Moscow|the DPRK)\b)")
_MEASURE = re.compile(r"\b(?:containers|rounds|shipments|tons|tonnes|barrels|cargoes|batches|crates|boxes|wagons|"
                      r"carloads|loads|trainloads|amounts?|quantities|kinds|types|units|sets|batteries)\s+of\b", re.I)
_USED_BY = re.compile(
    r"(?P<nk>North Korean|North Korea's|North Korea\u2019s|DPRK|Pyongyang's|Pyongyang\u2019s)(?:-made|-supplied|-produced|"
    r"-manufactured)?\s+(?P<item>(?:[\w-]+\s+){0,3}?(?:" + WEAPONS + r"))\s+(?:\w+\s+)?(?:used|fired|launched)\s+"
    r"(?:by|against)\s+(?P<by>Russia|Russian|Moscow|Ukraine)")

_FIRED = re.compile(
    r"(?P<by>\b(?:Russia|Russian forces|Russian troops|Moscow|the Russian military))\s+(?:has|have|had|is|are|was|were)?\s*(?:also\s+)?"
    r"(?:used|fired|launched|(?:begun |began |started |been )?using|uses|firing|deployed)\s+(?:[\w,]+\s+){0,3}?(?P<nk>North Korean|North Korea's|North Korea\u2019s|DPRK)"
    r"(?:-made|-supplied|-produced|-manufactured)?\s+(?P<item>(?:[\w-]+\s+){0,3}?(?:" + WEAPONS + r"))")

# cheap first pass: a sentence without any of these words states no transfer
_ANY_TRANSFER_CUE = re.compile(r"\b(?:receiv|obtain|acquir|sourc|import|purchas|bought|buy|come|came|originat|used|fired|"
                               r"launched|using|uses|firing|deployed|that|which)", re.I)
_COME_FROM = re.compile(
    r"(?P<item>(?:[\w-]+\s+){0,3}?(?:" + WEAPONS + r"))\s+(?:used|fired|launched)\s+by\s+(?:the\s+)?Russian?\b[^.;]{0,60}?"
    r"\b(?:now\s+|still\s+)?(?:come|comes|came|originate|originates|originated)\s+from\s+(?:North Korea|Pyongyang)")

CASUALTY = re.compile(
    r"\b(?P<w>killed or wounded|killed and wounded|dead or wounded|killed or injured|killed and injured|dead or injured|"
    r"killed in action|death toll|fatalities|killed|dead|"
    r"died|deaths|wounded|injured|captured|"
    r"taken prisoner|prisoners of war|POWs|missing in action|missing|eliminated|elimination|casualties|losses|lost)\b")
CASUALTY_KIND = {"killed in action": "killed", "death toll": "killed", "fatalities": "killed", "killed": "killed", "dead": "killed", "died": "killed", "deaths": "killed", "eliminated": "killed",
                 "elimination": "killed", "wounded": "wounded", "injured": "wounded", "captured": "captured",
                 "taken prisoner": "captured", "prisoners of war": "captured", "POWs": "captured",
                 "missing": "missing", "missing in action": "missing", "casualties": "killed_or_wounded",
                 "losses": "killed_or_wounded", "lost": "killed_or_wounded", "killed or wounded": "killed_or_wounded",
                 "killed and wounded": "killed_or_wounded", "dead or wounded": "killed_or_wounded",
                 "killed or injured": "killed_or_wounded", "killed and injured": "killed_or_wounded",
                 "dead or injured": "killed_or_wounded"}
TREATY_WORD = re.compile(r"\b(?:treaty|agreement|pact|accord)\b", re.I)
SIGN_VERB = re.compile(r"\b(?:signed|sign|signs|signing|inked|concluded)\b")
MEET_VERB = re.compile(r"\b(?:met|meet|meets|meeting|held talks|hold talks|holding talks|talks|discussed|arrive|arrives|"
                       r"arrived|summit with|hosted|hosts|welcomed|greeted|shook hands|received|receives|toured|visited|"
                       r"inspected|attended|watched|visit)\b")

STATUS_RULES = [
    ("denied", re.compile(r"\b(?:denied|denies|deny|denying|dismissed|rejected|refuted|no evidence|never sent)\b", re.I)),
    ("planned", re.compile(r"\b(?:plans? to|planning to|planned|scheduled|will send|will deploy|will supply|to be deployed|"
                           r"decided to|agreed to send|being prepared to|preparing to join|prepared to join|"
                           r"to be sent|intends? to|intending to|preparing to|prepares to|is set to|are set to|"
                           r"expected to (?:send|deploy|dispatch|supply))\b", re.I)),
    ("possible", re.compile(r"\b(?:may|might|could|likely|possibly|possible|potentially|probably|suspected|"
                            r"expected to|poised to|considering)\b", re.I)),
    # "has not publicly acknowledged sending troops": an unconfirmed report, not a confirmation
    ("reported", re.compile(r"\b(?:not|never|yet to|neither|nor|no)\s+(?:\w+ly\s+|been\s+)*(?:confirmed|confirm|"
                            r"acknowledged|acknowledge|admitted|admit)\b", re.I)),
    ("confirmed", re.compile(r"\b(?:confirmed|confirms|confirm|acknowledged|acknowledges|admitted|admits|officially)\b", re.I)),
]
_TOPIC = re.compile(r"\bNorth Korea|\bDPRK\b|\bPyongyang\b|\bN\. Korea|\bKim Jong", re.I)
# direct quotations: curly or straight double quotes (a quotation may run on past the sentence), or
# single curly quotes; straight quotes are paired left to right
_QUOTES = re.compile(r"\u201c(?P<a>[^\u201c\u201d]{15,})(?:\u201d|$)|^\"(?P<c>[^\"]{15,})(?:\"|$)|\"(?P<d>[^\"]{15,})\""
                     r"|(?:(?<=\s)|^)\u2018(?P<b>[^\u2018\u2019]{15,}?)\u2019(?![a-z])")


@dataclass
class _Context:
    """What one article's extraction carries from sentence to sentence."""

    article: Article
    gaz: Gazetteer
    mentions: list[Mention]
    last_target: Entity | None = None
    last_actor: str | None = None
    last_front: Entity | None = None
    nk_seen_at: int = -10
    speakers: list[Mention] = field(default_factory=list)
    casualty_context: bool = False
    sent_index: int = 0   # the previous sentence counted North Korean casualties


@dataclass
class _Found:
    claim: Claim
    order: int
    caption: bool = False
    in_quote: bool = False
    named_speaker: bool = True
    speaker_key: str | None = None
    score: float = 0.0


def extract(article: Article) -> list[Claim]:
    """Claims of one article, in text order."""
    text = article.text
    if not text or not text.strip() or not _TOPIC.search(text) or not _looks_english(text):
        return []
    gaz = gazetteer()
    ctx = _Context(article=article, gaz=gaz, mentions=find_mentions(text, gaz=gaz))
    found: list[_Found] = []
    seen: set[str] = set()
    sents = sentences(text)
    all_times = find_times(text, article.published)
    all_qs = find_quantities(text)
    skip_until = -1
    starts = [m.start for m in ctx.mentions]
    for i, sent in enumerate(sents):
        lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
        local = [m for m in ctx.mentions[lo:hi] if m.end <= sent.end]
        ctx.sent_index = i
        _track(ctx, i, sent, local)
        if not sent.complete or sent.text in seen or sent.start < skip_until:
            continue
        seen.add(sent.text)
        attr = attribute(text, sent.start, sent.end, ctx.mentions, recent_speakers=tuple(ctx.speakers))
        quote_end, attr = _quotation(text, sents, i, attr, ctx)
        times = _local(all_times, sent)
        qs = [q for q in _local(all_qs, sent) if not any(t.start <= q.start < t.end for t in times)]
        status = _status(sent.text)
        cas = _casualties(ctx, sent, local, qs, times, attr)
        events = (_deployments(ctx, sent, local, qs, times, status, attr)
                  + _transfers(ctx, sent, local, qs, times, status, attr) + cas)
        if events and attr.claimer is not None and _CONDEMN.search(sent.text):
            events = []  # the act is the ground of a condemnation: the claim is the statement
        if events:
            found += _coordinated_statement(ctx, sent, attr, times)
        ctx.casualty_context = bool(cas)
        for c in events:
            found.append(_Found(c, len(found), caption=sent.caption, score=_info(c)))
        treaty = _treaty(ctx, sent, local, times)
        if treaty is not None:
            found.append(treaty)
        found += _ratification(ctx, sent, local, times)
        meeting = _meeting(ctx, sent, local, times) if treaty is None else None
        if meeting is not None:
            found.append(_Found(meeting, len(found), caption=sent.caption))
        if not events:
            # "held talks ..., during which Kim pledged ...": a statement made at the meeting
            if meeting is None or _spoken_after(sent.text, attr, sent.start, MEET_VERB):
                st = _statement(ctx, sent, local, attr, quote_end, times)
                if st is not None:
                    found.append(st)
                    if quote_end > sent.end:
                        skip_until = quote_end
        if attr.claimer is not None and attr.speaker_start is not None:
            sp = next((m for m in ctx.mentions if m.start == attr.speaker_start), None)
            if sp is not None:
                ctx.speakers.append(sp)
    return _distinct([f.claim for f in sorted(_merge(found), key=lambda f: (f.claim.start, f.order))])


_FUNCTION_WORDS = re.compile(r"\b(?:the|of|and|to|in|a|that|has|have|was|were|is|are|with|for|on|said|by)\b", re.I)


def _looks_english(text: str) -> bool:
    """English news prose is about a quarter function words; other languages have almost none."""
    words = len(re.findall(r"\w+", text))
    return words > 0 and len(_FUNCTION_WORDS.findall(text)) / words >= 0.08


def _distinct(claims: list[Claim]) -> list[Claim]:
    """Claims quoted from one sentence must differ in what their IRI is made of (type, span,
    actor, target, item): a repeated item is told apart by its number or its status."""
    seen: set[tuple] = set()
    out = []
    for c in claims:
        key = lambda x: (x.type, x.start, x.end, x.actor.label, x.target.label if x.target else None, x.item)
        if key(c) in seen:
            extra = c.quantity.text if c.quantity else c.status
            c = replace(c, item=f"{c.item} ({extra})")
            n = 2
            while key(c) in seen:
                c = replace(c, item=f"{c.item.rsplit(' #', 1)[0]} #{n}")
                n += 1
        seen.add(key(c))
        out.append(c)
    return out


def facts(article: Article) -> list[dict]:
    """The article's claims as FORMAT.md fact records."""
    return [c.fact_record(article_id=article.id) for c in extract(article)]


def _local(matches: list, sent: Sentence) -> list:
    """Matches inside a sentence, with offsets relative to it."""
    return [replace(m, start=m.start - sent.start, end=m.end - sent.start) for m in matches
            if m.start >= sent.start and m.end <= sent.end]


# --- context -------------------------------------------------------------------------------

def _track(ctx: _Context, i: int, sent: Sentence, local: list[Mention]) -> None:
    if any(_state(ctx, m) == NK for m in local) or re.search(r"\bNorth Korean", sent.text):
        ctx.nk_seen_at = i
    fronts = [m for m in local if m.kind in ("Region", "OccupiedTerritory") and not m.modifier]
    if fronts:
        ctx.last_front = fronts[-1].entity


def _state(ctx: _Context, m: Mention) -> str | None:
    """The state an agent or place mention stands for."""
    if m.kind == "State":
        return m.entity.label
    if m.kind == "Person" or m.kind == "AnonymousSource":
        aff = m.entity.affiliation
        return ctx.gaz.state_of(aff.label) or (aff.label if aff and aff.kind == "State" else None) if aff else None
    return ctx.gaz.state_of(m.entity.label)


_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:and|but|while|with|adding|a move|which|raising|saying|calling|according|"
                           r"though|although|whereas)\b|\s+and\s+(?=(?:may|might|could|will|would|is|are|was|"
                           r"were|has|have|had)\b)")
_RISK = re.compile(r"\b(?:risk|danger|fears?|concerns?|worries|worried|feared) that\b", re.I)


def _status(text: str, at: int | None = None) -> str:
    """The claim's status from its wording: the whole sentence, or only the clause around ``at``."""
    if at is not None:
        cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
        lo = max(c for c in cuts if c <= at)
        hi = min(c for c in cuts if c > at) if any(c > at for c in cuts) else len(text)
        clause = text[lo:hi]
        # a risk or a fear voiced in the sentence governs what follows it
        if _RISK.search(text[:hi]):
            return "denied" if STATUS_RULES[0][1].search(clause) else "possible"
        text = clause
    for name, pat in STATUS_RULES:
        if pat.search(text):
            return name
    return "reported"


def _quotation(text: str, sents: list[Sentence], i: int, attr: Attribution,
               ctx: _Context) -> tuple[int, Attribution]:
    """A quotation that runs on into later sentences takes its attribution from where it ends."""
    sent = sents[i]
    if attr.found or not re.match(r"^[\u201c\"\u2018']", sent.text):
        return sent.end, attr
    for later in sents[i + 1:i + 4]:
        if later.paragraph != sent.paragraph:
            break
        a = attribute(text, later.start, later.end, ctx.mentions, recent_speakers=tuple(ctx.speakers))
        if a.found:
            return later.end, a
    return sent.end, attr


_THE_NORTH = re.compile(r"\b[Tt]he North\b(?!\s+(?:Atlantic|Sea|Caucasus|American|African|Pole)\b)(?![-'\u2019])")


def _subject(ctx: _Context, sent: Sentence, local: list[Mention], pos: int) -> str | None:
    """The state doing what the verb at ``pos`` says: the nearest agent before it."""
    before = [m for m in local if m.end <= pos and not m.modifier and
              (m.kind in AGENT_KINDS - {"NewsOutlet"} or (m.kind == "City" and _state(ctx, m) in (NK, RU)))]
    pron = list(re.finditer(r"\b(?:it|It|they|They)\b", ctx.article.text[sent.start:pos]))
    last = before[-1] if before else None
    # "the North" is North Korea in Korean news; it is not a gazetteer name (too ambiguous elsewhere)
    north = list(_THE_NORTH.finditer(ctx.article.text[sent.start:pos]))
    if north and (last is None or sent.start + north[-1].start() >= last.end) and \
            (not pron or north[-1].start() > pron[-1].start()):
        return NK
    if pron and (last is None or sent.start + pron[-1].start() > last.end):
        same = [m for m in before if _state(ctx, m) in (NK, RU) and m.kind == "State"]
        if same:
            return _state(ctx, same[-1])
        return ctx.last_actor
    if last is None:
        return None
    if last.kind == "AnonymousSource" or (last.kind not in ("State", "City") and re.search(
            r"\b(?:said|says|told|reported|indicated|believes|stated|claimed)\b",
            ctx.article.text[last.end:pos])):
        # "officials said (that) X ...": the speaker is not the subject
        inner = [m for m in before if m.kind == "State" and m.start > last.end]
        return _state(ctx, inner[-1]) if inner else None
    return _state(ctx, last)


def _target_after(ctx: _Context, sent: Sentence, local: list[Mention], pos: int, *, limit: int = 110,
                  exclude: tuple[str, ...] = (NK, "South Korea", "United States", "China"),
                  locative: bool = False) -> Entity | None:
    window_end = min(sent.end, pos + limit)
    stop = re.search(r"according to|reported by|\b(?:said|says|told)\b", ctx.article.text[pos:window_end])
    if stop:
        window_end = pos + stop.start()
    cands = [m for m in local if pos <= m.start < window_end and not m.modifier
             and (m.kind in PLACE_KINDS or m.kind == "State") and not _demonym(ctx.article.text, m)]
    text = ctx.article.text
    cands = [m for m in cands if m.entity.label not in exclude and _state(ctx, m) not in exclude
             and not re.search(r"\bfrom\s+(?:the\s+)?$", text[max(0, m.start - 10):m.start])
             and not (m.kind == "State" and re.match(r"['\u2019]s\s+(?:[a-z-]+\s+)*?(?:minister|president|leader|"
                                                     r"intelligence|military|army|forces|government|officials?|"
                                                     r"spokes\w+|chief|head|commander)", text[m.end:m.end + 40]))
             and (not locative or re.search(r"\b(?:in|near|around|at|inside|into|on|to|toward|towards|for|across|"
                                            r"within)\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,2}$",
                                            text[max(0, m.start - 30):m.start]))]
    if not cands:
        return None
    first = cands[0]
    if first.kind == "State" and len(cands) > 1:
        nxt = cands[1]
        gap = ctx.article.text[first.end:nxt.start]
        if re.fullmatch(r"['\u2019]s\s+(?:\w+\s+)?", gap) and nxt.kind in PLACE_KINDS:
            return nxt.entity
    return first.entity


def _demonym(text: str, m: Mention) -> bool:
    """ "Ukrainian positions", "Russian forces": an adjective, not a destination."""
    return m.kind == "State" and bool(re.search(r"(?:ian|ean|ese|can|ish)$", m.text)) \
        and bool(re.match(r"\s+[a-z]", text[m.end:m.end + 3]))


def _time_for(times: list[TimeMatch], sent: Sentence, local_pos: int, clause_end: int | None = None) -> TimeSpec | None:
    after = [t for t in times if t.start >= local_pos and (clause_end is None or t.start < clause_end)]
    if after:
        return after[0].time
    before = [t for t in times if t.end <= local_pos]
    return before[-1].time if before else None


def _quantity_in(qs: list[QuantityMatch], a: int, b: int) -> Quantity | None:
    inside = [q for q in qs if a <= q.start and q.end <= b]
    return inside[-1].quantity if inside else None


def _clean_item(words: str) -> str:
    words = re.sub(r"[\u201c\u201d\"]", "", words)
    words = re.sub(r"^(?:(?:a|an|the|its|their|his|some|various|more|also|additional|extra|new|of|other|"
                   r"further|another)\s+)+", "", words.strip(), flags=re.I)
    return re.sub(r"\s+", " ", words).strip(" ,.")


def _claim(ctx: _Context, sent: Sentence, *, type: str, actor: Entity, status: str = "reported",
           attr: Attribution | None = None, at: int | None = None, **kw) -> Claim:
    if at is not None:
        status = _status(sent.text, at)  # the hedges of the trigger's own clause
    return Claim(type=type, actor=actor, quote=sent.text, start=sent.start, end=sent.end, status=status,
                 claimed_by=attr.claimer if attr else None, via=attr.via if attr else (), **kw)


def _ent(ctx: _Context, label: str) -> Entity:
    return state_entity(label, ctx.gaz) or Entity(label=label, kind="State")


# --- deployments ---------------------------------------------------------------------------

def _deployments(ctx, sent, local, qs, times, status, attr) -> list[Claim]:
    s = sent.text
    out = []
    spans = []
    for kind, pat in (("active", DEPLOY_ACTIVE), ("passive", DEPLOY_PASSIVE), ("combat", DEPLOY_COMBAT),
                      ("reduced", DEPLOY_REDUCED), ("nominal", DEPLOY_NOMINAL), ("relative", DEPLOY_RELATIVE),
                      ("count", DEPLOY_COUNT), ("estimate", DEPLOY_ESTIMATE), ("reinforce", DEPLOY_REINFORCE)):
        for m in pat.finditer(s):
            v = _verb_group(m)
            if any(a <= m.start(v) < b or a <= m.start("obj") < b for a, b in spans):
                continue
            cs = _deployment(ctx, sent, local, qs, times, status, attr, m, kind)
            if cs:
                spans.append((m.start(), m.end()))
                out += cs
    if out:
        for m in INCLUDED.finditer(s):
            q = _quantity_in(qs, m.start("obj"), m.end("obj"))
            if q is None or q.qualifier == "vague":
                continue
            item = _clean_item(s[m.start("obj"):m.end("obj")].replace(q.text, ""))
            out.append(replace(out[-1], item=item, quantity=q))
    return out


def _verb_group(m: re.Match) -> str:
    return next(g for g in ("verb", "verb2", "verb3") if g in m.re.groupindex and m.group(g) is not None)


_NK_WORDS = re.compile(r"North Korean|North Korea's|North Korea\u2019s|Pyongyang's|Pyongyang\u2019s|DPRK")
_OTHER_TROOPS = re.compile(r"\b(?:Russian|Ukrainian|U\.S\.|American|South Korean)\s+(?:[\w-]+\s+)?(?:" + PERSONNEL + r")\b")


def _deployment(ctx, sent, local, qs, times, status, attr, m, kind) -> list[Claim]:
    """The deployments one trigger match states (several where the object lists numbers)."""
    s = sent.text
    vg = _verb_group(m)
    verb_end = m.end(vg)
    if kind == "relative":
        actor_m = next((x for x in local if x.start - sent.start == m.start("subj")), None)
        if actor_m is None or _state(ctx, actor_m) != NK:
            return []
    if kind in ("nominal", "estimate") and not re.search(r"\b(?:North Korea|N\. Korea|DPRK|Pyongyang)", s) and ctx.nk_seen_at < 0:
        return []
    obj_a, obj_b = _object_span(s, m, kind)
    np_text = s[obj_a:obj_b]
    reach = 110 if np_text == "they" else 60
    if (kind in ("combat", "reduced") or vg == "verb3") and not _NK_WORDS.search(s[max(0, obj_a - reach):obj_b]):
        return []  # presence and combat are only North Korea's when the troops are said to be North Korean
    if _OTHER_TROOPS.search(np_text) or _deployment_actor(ctx, sent, local, m, kind, np_text) != NK:
        return []
    target = _deployment_target(ctx, sent, local, m, kind)
    if target is None:
        return []
    ctx.last_target = target
    ctx.last_actor = NK
    when = _time_for(times, sent, verb_end)
    return [_claim(ctx, sent, type="deployment", actor=_ent(ctx, NK), target=target, item=item,
                   quantity=q, status=status, attr=attr, event_time=when, at=m.start(vg))
            for q, item in _personnel(s, qs, obj_a, obj_b)]


def _object_span(s: str, m: re.Match, kind: str) -> tuple[int, int]:
    """Where the troops are named: the object, or the noun phrase before a passive verb."""
    obj_a, obj_b = m.start("obj"), m.end("obj")
    if kind in ("passive", "reduced"):
        # the noun phrase before the head ("the 3,000 additional troops")
        comma = s.rfind(", ", 0, obj_a)
        obj_a = max(comma + 2 if comma >= 0 else 0, _np_start(s, obj_a))
    if kind == "active":
        alt = re.match(rf",?\s+or\s+(?:[\w,.'-]+\s+){{1,4}}?(?:{PERSONNEL})\b", s[obj_b:])
        if alt and re.search(r"\d", alt.group(0)):
            obj_a, obj_b = obj_b, obj_b + alt.end()  # "four brigades, or about 12,000 troops": the number
        # "1,000 deminers and 5,000 military builders": the object runs on over the conjunction
        more = re.match(rf",?\s+and\s+(?:(?!which|who|that|including)[\w,.'-]+\s+){{0,4}}?(?:{PERSONNEL})\b",
                        s[obj_b:])
        if more and re.search(r"\d", more.group(0)):
            obj_b += more.end()
    return obj_a, obj_b


def _deployment_actor(ctx, sent, local, m, kind, np_text) -> str | None:
    abs_verb = sent.start + m.start(_verb_group(m))
    actor = _subject(ctx, sent, local, abs_verb) if kind in ("active", "reinforce") else None
    if kind == "active" and re.match(r"(?:accus|suspect|blam|condemn|critici|thank|prais|commend)", m.group("verb")):
        # "accused Pyongyang of sending troops": the accused is the actor
        accused = [x for x in local if abs_verb <= x.start < sent.start + m.end("verb")]
        actor = _state(ctx, accused[0]) if accused else None
    if _NK_WORDS.search(np_text):
        actor = NK  # "Russian commanders deployed North Korean units": North Korea's troops
    if actor is None and (ctx.nk_seen_at >= 0 or "North Korea" in sent.text):
        actor = NK
    return actor


def _deployment_target(ctx, sent, local, m, kind) -> Entity | None:
    """Where the troops go: named after the verb, else Russia when they join Russian forces,
    else the destination named before in the article ("to the territories")."""
    s = sent.text
    vg = _verb_group(m)
    verb_end = m.end(vg)
    target = _target_after(ctx, sent, local, sent.start + (verb_end if kind not in ("nominal", "estimate") else m.end()),
                           locative=True, limit=60 if kind == "combat" else 110)
    if target is not None:
        return target
    if kind == "combat" or vg == "verb3":
        return None
    if re.search(r"\b(?:join|joined|joining|alongside|fight for|fighting for)\s+(?:the\s+)?Russian",
                 s[max(0, verb_end - 8):verb_end + 60]):
        return _ent(ctx, RU)
    return ctx.last_target or _ent(ctx, RU)


def _personnel(s: str, qs: list[QuantityMatch], obj_a: int, obj_b: int) -> list[tuple[Quantity | None, str]]:
    """(number, which troops) pairs: one per number in "1,000 deminers and 5,000 builders"."""
    np_text = s[obj_a:obj_b]
    numbers = [x for x in qs if obj_a <= x.start and x.end <= obj_b and x.quantity.qualifier != "vague"]
    if len(numbers) > 1 and re.search(r"\band\b", np_text):
        out = []
        for j, x in enumerate(numbers):
            b = numbers[j + 1].start if j + 1 < len(numbers) else obj_b
            words = _clean_item(re.sub(r"\s+and\s*$", "", s[x.end:b].strip(" ,")))
            out.append((x.quantity, words if _PERS_NOUN.search(words) else "troops"))
        return out
    q = _quantity_in(qs, obj_a, obj_b)
    if q is not None and q.qualifier == "vague" and q.value is None:
        q = None
    item = np_text.replace(q.text, " ") if q is not None else np_text
    item = re.sub(r"^.*?\bof\s+(?:its|their|the)\s+", "", item) if re.search(r"\bmore of\b", item) else item
    item = _clean_item(item)
    return [(q, item if _PERS_NOUN.search(item) else "troops")]


def _np_start(s: str, head: int) -> int:
    """Where the noun phrase ending in the word at ``head`` begins (a few words back)."""
    words = list(re.finditer(r"[\w,.'\u2019-]+", s[:head]))
    start = head
    for w in reversed(words[-8:]):
        if w.group(0).lower().rstrip(",") in ("the", "a", "an", "of", "these", "those", "its", "their") \
                or re.match(r"^[\d,.]+$|^[a-z-]+$|^[A-Z][a-z]+$", w.group(0)):
            if w.group(0).lower() in ("that", "which", "were", "was", "have", "has", "said", "top", "on", "while"):
                break
            start = w.start()
            if w.group(0).lower() in ("the", "a", "an"):
                break
        else:
            break
    return start


# --- transfers -----------------------------------------------------------------------------

def _transfers(ctx, sent, local, qs, times, status, attr) -> list[Claim]:
    s = sent.text
    out: list[Claim] = []
    taken_until = -1
    for m in TRANSFER_VERB.finditer(s):
        if m.start() < taken_until:
            continue
        verb = m.group("verb")
        if verb.endswith("ing") and not re.search(
                r"(?:\bto|\bof|\bby|\bis|\bare|\bwas|\bwere|\bbeen|\bbe|\bstarted|\bbegan|\bcontinues|\bcontinued|"
                r"\bkept|\bkeep|\bclose to|\bfor)\s+(?:\w+\s+)?$", s[:m.start()]) and not _GERUND_SUBJECT.search(
                s[:m.start()]):
            continue
        prev = re.search(r"([\w'\u2019-]+)\s*$", s[:m.start()])
        if re.match(r"\s+of\b", s[m.end():]) or (prev and prev.group(1).lower() in _NOUN_CUES
                                                  and not verb.endswith("ing")):
            continue  # "the unlawful transfer of arms": a noun, not a verb
        # "has given X and may be helping with Y": the second verb shares the first one's subject
        shared = out[-1].actor.label if out and _COORDINATED_VP.search(s[:m.start()]) else None
        res = _transfer_from(ctx, sent, local, qs, times, status, attr, m, actor=shared)
        if res:
            claims, region_end = res
            out += claims
            taken_until = region_end
    out += _capacity(ctx, sent, qs, times, attr, out) if out and _CAPACITY.search(s) else []
    out += _denied_trade(ctx, sent, local, times, attr) if _DENY_TRADE.search(s) else []
    out += _recovered(ctx, sent, times, attr) if not out and _RECOVERED.search(s) else []
    out += _share_of_fire(ctx, sent, times, attr) if "%" in s or "percent" in s or "per cent" in s else []
    out += _shipments_arrived(ctx, sent, local, qs, times, attr) if _ARRIVED.search(s) else []
    if not _ANY_TRANSFER_CUE.search(s):
        return out
    for m in RECEIVE_VERB.finditer(s):
        if m.start() < taken_until:
            continue
        out += _receive(ctx, sent, local, qs, times, status, attr, m)
    for m in (TRANSFER_RELATIVE.finditer(s) if re.search(r"\b(?:that|which)\b", s) else ()):
        actor_m = next((x for x in local if x.start - sent.start == m.start("subj")), None)
        actor = _state(ctx, actor_m) if actor_m else None
        if actor not in (NK, RU):
            continue
        head = s[:m.start("rel")]
        obj = re.search(rf"((?:[\w-]+\s+){{0,3}}(?:{WEAPONS}|{GOODS}))(?:\s+and\s+[\w\s-]+?)?\s*$", head, re.I)
        if not obj:
            continue
        out.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, actor), target=_ent(ctx, PARTNER[actor]),
                          item=_clean_item(obj.group(1)), status=status, at=m.start(), attr=attr,
                          event_time=_time_for(times, sent, m.end())))
    for m in (_FIRED.finditer(s) if _NK_WORDS.search(s) else ()):
        pre_q = [q for q in qs if m.start("nk") > q.start >= m.end("by")]
        out.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, NK), target=_ent(ctx, RU),
                          item=_clean_item(m.group("item")), quantity=pre_q[-1].quantity if pre_q else None,
                          status=status, at=m.start(), attr=attr, event_time=_time_for(times, sent, 0)))
    for m in (_COME_FROM.finditer(s) if re.search(r"\b(?:come|comes|came|originat\w*)\s+from\b", s) else ()):
        q = _quantity_in(qs, m.start(), m.end("item"))
        out.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, NK), target=_ent(ctx, RU),
                          item=_clean_item(m.group("item")), quantity=q, status=status, at=m.start(), attr=attr,
                          event_time=_time_for(times, sent, 0)))
    for m in (_USED_BY.finditer(s) if re.search(r"\b(?:used|fired|launched)\s+(?:by|against)\b", s) else ()):
        if m.group("by") == "Ukraine":
            continue
        pre_q = [q for q in qs if q.end <= m.start() and s[q.end:m.start()].strip() == ""]
        q = pre_q[-1].quantity if pre_q else None
        out.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, NK), target=_ent(ctx, RU),
                          item=_clean_item(m.group("item")), quantity=q, status=status, at=m.start(), attr=attr,
                          event_time=_time_for(times, sent, 0)))
    return out


# "13,000 containers, which could hold over 8 million shells": what the shipped containers may hold
_CAPACITY = re.compile(r"\b(?:which|that)\b[^.;]{0,40}?\b(?:could|can|would|may|might)\s+(?:have\s+)?"
                       r"(?:hold|held|contain|contained|carry|carried|amount\s+to|equal)\s+")


def _capacity(ctx, sent, qs, times, attr, found: list[Claim]) -> list[Claim]:
    s = sent.text
    m = _CAPACITY.search(s)
    q = next((x for x in qs if x.start == m.end()), None)
    if q is None:
        return []
    stop = _ITEM_STOP.search(s[q.end:])
    words = s[q.end:q.end + (stop.start() if stop else len(s) - q.end)]
    if not _WEAPON.search(words):
        return []
    base = found[0]
    return [_claim(ctx, sent, type="transfer", actor=base.actor, target=base.target, item=_clean_item(words),
                   quantity=q.quantity, status="possible", attr=attr, event_time=base.event_time)]


# "fragments of a North Korean KN-23 missile were found in Kharkiv": weapons recovered on Ukrainian soil
_RECOVERED = re.compile(
    r"\b(?:debris|fragments?|remnants|remains|wreckage|parts|pieces)\s+of\s+(?:an?\s+|the\s+)?(?:North Korean|North Korea's|DPRK)"
    r"(?:-made|-produced|-manufactured)?\s+(?P<item>(?:[\w-]+\s+){0,3}?(?:" + WEAPONS + r"|missile|rocket|shell))\b"
    r"[^.;]{0,40}?\b(?:found|recovered|discovered|identified|retrieved)\b|\b(?:found|recovered|discovered|identified|"
    r"retrieved)\s+(?:the\s+)?(?:debris|fragments?|remnants|remains|wreckage|parts|pieces)\s+of\s+(?:an?\s+|the\s+)?"
    r"(?:North Korean|North Korea's|DPRK)(?:-made|-produced|-manufactured)?\s+(?P<item2>(?:[\w-]+\s+){0,3}?(?:"
    + WEAPONS + r"|missile|rocket|shell))\b", re.I)


def _recovered(ctx, sent, times, attr) -> list[Claim]:
    m = _RECOVERED.search(sent.text)
    item = _clean_item(m.group("item") or m.group("item2"))
    item = re.sub(r"\b(missile|rocket|shell)$", r"\1s", item)
    return [_claim(ctx, sent, type="transfer", actor=_ent(ctx, NK), target=_ent(ctx, RU), item=item, attr=attr,
                   at=m.start(), event_time=_time_for(times, sent, 0))]


# "Moscow and Pyongyang deny any arms trade": the denied fact is the arms transfer itself
_DENY_TRADE = re.compile(
    r"\b(?:deny|denies|denied|denying|dismissed|rejected|refuted)\s+(?:(?:any|all|the|reports|claims|allegations|"
    r"accusations)\s+(?:of\s+|about\s+)?){0,2}(?:any\s+)?(?P<item>arms|weapons|munitions|ammunition|missile|"
    r"shell)s?\s+(?:trade|trading|deals?|dealings|transfers?|supplies|shipments|sales|exports|deliveries)\b")


def _denied_trade(ctx, sent, local, times, attr) -> list[Claim]:
    m = _DENY_TRADE.search(sent.text)
    deniers = {_state(ctx, x) for x in local if x.end - sent.start <= m.start() and not x.modifier}
    if not deniers & {NK, RU}:
        return []
    item = {"missile": "missiles", "shell": "shells"}.get(m.group("item"), m.group("item"))
    return [_claim(ctx, sent, type="transfer", actor=_ent(ctx, NK), target=_ent(ctx, RU), item=item,
                   status="denied", attr=attr, event_time=_time_for(times, sent, 0))]


# "North Korean shells make up as much as 60% of the ammunition Russian forces fire": a share of use
_SHARE = re.compile(
    r"(?:North Korean|North Korea's|North Korea\u2019s|DPRK)(?:-made|-supplied|-produced)?\s+(?P<item>(?:[\w-]+\s+){0,3}?"
    r"(?:" + WEAPONS + r"))\s+(?:now\s+|already\s+|reportedly\s+)?(?:(?:make|makes|made|making)\s+up|account(?:s|ed)?\s+for|"
    r"represent(?:s|ed)?|comprise[sd]?)\s+(?P<hedge>as much as|up to|about|around|roughly|nearly|almost|more than|over|"
    r"at least|some)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)\s+of\b(?P<rest>[^.;]{0,100})")
_SHARE_HEDGE = {"as much as": "up_to", "up to": "up_to", "about": "approximately", "around": "approximately",
                "roughly": "approximately", "nearly": "approximately", "almost": "approximately", "some": "approximately",
                "more than": "over", "over": "over", "at least": "at_least"}


def _share_of_fire(ctx, sent, times, attr) -> list[Claim]:
    out = []
    for m in _SHARE.finditer(sent.text):
        if not re.search(r"\b(?:Russia|Russian|Russia's|Moscow)\b", m.group("rest")):
            continue
        words = sent.text[m.start("hedge") if m.group("hedge") else m.start("n"):m.end("n") + 1].strip()
        q = Quantity(text=words, qualifier=_SHARE_HEDGE.get((m.group("hedge") or "").lower(), "exact"),
                     value=float(m.group("n")), unit="percent")
        out.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, NK), target=_ent(ctx, RU),
                          item=_clean_item(m.group("item")), quantity=q, attr=attr, at=m.start(),
                          event_time=_time_for(times, sent, 0)))
    return out


# "the first shipments of North Korean shells crossed into Russia": goods arriving name their source
_ARRIVED = re.compile(
    r"\b(?P<head>shipments?|deliveries|delivery|consignments?|cargoe?s?|batch(?:es)?|trainloads?)\s+of\s+"
    r"(?P<item>(?:[\w-]+\s+){0,4}?(?:" + WEAPONS + "|" + GOODS + r"))\s+(?:(?:had|have|has)\s+(?:already\s+)?|"
    r"(?:were|was)\s+)?(?:crossed\s+into|arrived\s+in|reached|entered|delivered\s+to|sent\s+to|shipped\s+to|"
    r"transported\s+to)\s+(?:the\s+)?", re.I)


def _shipments_arrived(ctx, sent, local, qs, times, attr) -> list[Claim]:
    s = sent.text
    out = []
    for m in _ARRIVED.finditer(s):
        dest = next((x for x in local if x.start - sent.start == m.end()), None)
        to = _state(ctx, dest) if dest is not None else None
        words = m.group("item")
        src = NK if _NK_WORDS.search(words) else RU if re.search(r"\bRussian\b", words) else None
        if to not in (NK, RU) or src != PARTNER[to]:
            continue
        q = _quantity_in(qs, m.start(), m.end("item"))
        item = _clean_item(re.sub(r"\b(?:North Korean|North Korea's|DPRK|Russian)\s+", "", words))
        out.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, src), target=_ent(ctx, to), item=item,
                          quantity=q, attr=attr, at=m.start(), event_time=_time_for(times, sent, m.end())))
    return out


TRANSFER_RELATIVE = re.compile(
    r"(?P<rel>\s+(?:that|which))\s+(?P<subj>North Korea|Pyongyang|the North|DPRK|Russia|Moscow)\s+"
    r"(?:has|have|had)?\s*(?:already\s+)?(?:sent|supplied|provided|delivered|shipped|transferred|exported)\b")


def _receive(ctx, sent, local, qs, times, status, attr, m) -> list[Claim]:
    """ "Moscow has received X from Pyongyang": the source is the actor, the subject the target."""
    s = sent.text
    recipient = _subject(ctx, sent, local, sent.start + m.start())
    region = s[m.end():]
    if recipient not in (NK, RU):
        return []
    frm = re.search(r"\sfrom\s+(?:the\s+)?", region)
    if frm:
        src_at = sent.start + m.end() + frm.end()
        src = next((x for x in local if x.start == src_at), None)
        if src is None or _state(ctx, src) != PARTNER[recipient]:
            return []
        items_end = m.end() + frm.start()
    else:
        back = re.search(r"\s+(?:in return|in exchange|as payment|as compensation)\b", region)
        if not back:
            return []
        items_end = m.end() + back.start()
    if not (_WEAPON.search(s[m.end():items_end]) or _GOOD.search(s[m.end():items_end])):
        return []
    out = []
    for a, b in _split_items(s, m.end(), items_end):
        q = _quantity_in(qs, a, b)
        words = s[a:b].replace(q.text, " ") if q else s[a:b]
        item = _clean_item(words)
        if item:
            out.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, PARTNER[recipient]),
                              target=_ent(ctx, recipient), item=item, quantity=q, status=status, at=m.start(), attr=attr,
                              event_time=_time_for(times, sent, m.end())))
    return out


_NOUN_CUES = {"the", "a", "an", "any", "unlawful", "illegal", "such", "further", "these", "those", "weapons", "arms",
              "military", "its", "their", "his", "her", "our", "future", "possible", "technology", "oil", "food",
              "ammunition", "missile", "shell", "energy", "for", "of", "in"}


# "signs of North Korea potentially supplying ...": a gerund clause with its own subject
_GERUND_SUBJECT = re.compile(r"\b(?:North Korea|Pyongyang|the North|DPRK|Russia|Moscow)(?:'s|\u2019s)?\s+(?:\w+ly\s+)?$")


_COORDINATED_VP = re.compile(r"\band\s+(?:(?:may|might|could|will|would|also|is|are|was|were|has|have|had|be|been|"
                             r"reportedly|now|even)\s+){1,3}$")


def _transfer_from(ctx, sent, local, qs, times, status, attr, m, *, actor: str | None = None):
    s = sent.text
    base = sent.start
    pos = m.end()
    if m.group("verb").startswith(("help", "assist", "pa")):
        # "helping with satellite technology", "paying in hard currency": the item follows the preposition
        prep = re.match(r"\s+(?:with|in)\s+", s[pos:])
        if prep is not None:
            pos += prep.end()
    rest = s[pos:]
    target: Entity | None = None
    # "supplied Russia with X" / "provided North Korea with X"
    lead = re.match(r"\s+(?:the\s+)?", rest)
    at = pos + (lead.end() if lead else 0)
    first = next((x for x in local if x.start - base == at and (x.kind == "State" or x.kind == "City")), None)
    if first is not None:
        w = re.match(r"\s+(?:also\s+)?with\s+", s[first.end - base:]) or \
            (re.match(r"\s+in\s+", s[first.end - base:]) if m.group("verb").startswith("pa") else None)
        if w:
            pos = first.end - base + w.end()
        elif m.group("verb").startswith(("g", "s", "o", "h")) and re.match(r"\s+(?:[\w-]+\s+){0,3}?(?:" + WEAPONS + "|"
                                                                           + GOODS + r")\b", s[first.end - base:], re.I):
            pos = first.end - base  # "gave North Korea air defence systems", "sold Russia shells"
        else:
            return None
        target = _ent(ctx, _state(ctx, first) or first.entity.label)
    region = s[pos:]
    stop = _ITEM_STOP.search(region)
    region_end = pos + (stop.start() if stop else len(region))
    region = s[pos:region_end]
    if not (_WEAPON.search(region) or _GOOD.search(region)):
        return None
    if target is None:
        after = s[region_end:]
        tm = re.match(r"\s+(?:to|with)\s+(?:the\s+)?", after)
        if tm:
            t_at = base + region_end + tm.end()
            tgt = next((x for x in local if x.start in (t_at, t_at - 4) and x.kind in ("State", "City")), None)
            if tgt is not None:
                target = _ent(ctx, _state(ctx, tgt) or tgt.entity.label)
    actor = actor or _subject(ctx, sent, local, base + m.start())
    if actor not in (NK, RU):
        return None
    if target is None:
        target = _ent(ctx, PARTNER[actor])
    if target.label == actor or target.label not in (NK, RU):
        return None
    items = _split_items(s, pos, region_end)
    more = re.search(r",\s+(?:along with|as well as|together with|plus|in addition to)\s+", s[region_end:])
    if more and not re.search(r"\b(?:said|says|told|according)\b", s[region_end:region_end + more.start()]):
        a2 = region_end + more.end()
        stop2 = _ITEM_STOP.search(s[a2:])
        b2 = a2 + (stop2.start() if stop2 else len(s) - a2)
        if _WEAPON.search(s[a2:b2]) or _GOOD.search(s[a2:b2]):
            items += _split_items(s, a2, b2)
    claims = []
    for a, b in items:
        q = _quantity_in(qs, a, b)
        words = s[a:b]
        if q is not None:
            words = words.replace(q.text, " ")
        item = _clean_item(words)
        if not item:
            continue
        for one in _designations(item):
            claims.append(_claim(ctx, sent, type="transfer", actor=_ent(ctx, actor), target=target, item=one,
                                 quantity=q, status=status, at=m.start(), attr=attr,
                                 event_time=_time_for(times, sent, m.end(), None)))
    if claims:
        ctx.last_actor = actor
    return claims, region_end


_DESIGNATIONS = re.compile(r"^(?P<a>[A-Z][\w]*-?\d+\w*)(?:,\s+|\s+and\s+|\s+or\s+|/)(?P<b>[A-Z][\w]*-?\d+\w*)\s+(?P<head>.+)$")


def _designations(item: str) -> list[str]:
    """ "KN-23 and KN-24 ballistic missiles": two weapon models sharing a head noun, one item each."""
    m = _DESIGNATIONS.match(item)
    if m is None:
        return [item]
    return [f"{m.group('a')} {m.group('head')}", f"{m.group('b')} {m.group('head')}"]


def _split_items(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Conjoined objects: weapons one by one, goods ("coal, food and medicine") together."""
    region = s[a:b]
    such = re.search(r",?\s+(?:such as|including|like|notably)\s+", region)
    if such and (_WEAPON.search(region[such.end():]) or _GOOD.search(region[such.end():])):
        a, region = a + such.end(), region[such.end():]
    parts: list[tuple[int, int]] = []
    last = 0
    for sep in re.finditer(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+as well as\s+|\s+along with\s+", region):
        parts.append((last, sep.start()))
        last = sep.end()
    parts.append((last, len(region)))
    qty_start = re.compile(r"^(?:[\d,.]+|dozens|hundreds|thousands|millions|tens|scores|several|a|an|some|over|more|"
                           r"at least|about|around|nearly|approximately|up to|as many as)\b", re.I)
    merged: list[list[int]] = []
    for pa, pb in parts:
        text = region[pa:pb]
        if merged:
            prev = region[merged[-1][0]:merged[-1][1]]
            if _MEASURE.search(prev) and not qty_start.match(text):
                merged[-1][1] = pb
                continue
        merged.append([pa, pb])
    groups: list[list[int]] = []
    pending: int | None = None
    goods_open = False
    for pa, pb in merged:
        text = region[pa:pb]
        start = pending if pending is not None else pa
        if _PERS_NOUN.search(text) and not (_WEAPON.search(text) or _GOOD.search(text)):
            pending = None  # "additional soldiers and military equipment": the soldiers are a deployment
            continue
        if _WEAPON.search(text):
            groups.append([start, pb])
            goods_open = False
            pending = None
        elif _GOOD.search(text):
            if goods_open and pending is None:
                groups[-1][1] = pb
            else:
                groups.append([start, pb])
            goods_open = True
            pending = None
        else:
            pending = start
    return [(a + x, a + y) for x, y in groups]


# --- casualties ----------------------------------------------------------------------------

def _casualties(ctx, sent, local, qs, times, attr) -> list[Claim]:
    s = sent.text
    words = list(CASUALTY.finditer(s))
    if not words:
        return []
    nk_here = bool(_NK_WORDS.search(s)) or any(_state(ctx, m) == NK for m in local if m.kind == "State")
    troops_ref = re.search(r"\b(?:the|these|those)\s+(?:troops|soldiers)\b|\bthey\b", s)
    if not nk_here and not (troops_ref and ctx.nk_seen_at >= 0) and not ctx.casualty_context:
        return []
    numbers = [q for q in qs if q.quantity.value is not None
               and (q.quantity.qualifier != "vague" or re.match(r"(?:dozens|hundreds|thousands|scores)", q.quantity.text, re.I))]
    if not numbers:
        return []
    counts: dict[str, Quantity] = {}
    used: set[int] = set()
    for w in words:
        kind = CASUALTY_KIND[w.group("w")]
        if kind in counts:
            continue
        best = None
        for qi, q in enumerate(numbers):
            if qi in used:
                continue
            if q.end <= w.start() and w.start() - q.end <= 60 and not CASUALTY.search(s[q.end:w.start()]):
                d = w.start() - q.end
            elif q.start >= w.end() and q.start - w.end() <= 60 and not CASUALTY.search(s[w.end():q.start]):
                d = q.start - w.end() + 30
            else:
                continue
            if not _north_korean_victims(s, q):
                continue
            if w.group("w") in ("losses", "casualties") and not _counted_loss(s, q, w):
                continue
            # "lost about 4,700 troops": the verb's object counts the men lost
            if w.group("w") == "lost" and not (q.start >= w.end() and not s[w.end():q.start].strip()
                                               and re.match(rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{PERSONNEL})\b", s[q.end:])
                                               and not _OTHER_LOSER.search(s[:w.start()])):
                continue
            if best is None or d < best[0]:
                best = (d, qi)
        if best is None:
            continue
        used.add(best[1])
        q = numbers[best[1]].quantity
        # "dozens killed": the words are kept, the count stays open
        counts[kind] = replace(q, value=None) if q.qualifier == "vague" else q
    inc = re.search(r"\bincluding\s+(?P<n>[\w,]+)\s+(?:North Korean|DPRK)\s+(?:soldiers|troops|officers|servicemen)", s)
    if inc:
        q = next((x for x in numbers if x.start == inc.start("n")), None)
        if q is not None and counts:
            kind = next(iter(counts))
            counts = {kind: q.quantity}
    if not counts:
        return []
    places = [m for m in local if m.kind in ("Region", "OccupiedTerritory", "Place") and not m.modifier]
    target = places[0].entity if places else ctx.last_front
    item = "North Korean soldiers " + ", ".join(k.replace("_", " ") for k in counts)
    return [_claim(ctx, sent, type="casualties", actor=_ent(ctx, NK), target=target, item=item, counts=counts,
                   status=_status(s), attr=attr, event_time=_time_for(times, sent, 0))]


_OTHER_LOSER = re.compile(r"\b(?:Russia|Ukraine|Kyiv|Moscow|Russian|Ukrainian|Russia's|Ukraine's)(?:\s+(?:forces|troops|army|"
                          r"military|side))?\s+(?:\w+ly\s+)?(?:has\s+|have\s+|had\s+)?(?:\w+ly\s+)?$")


def _counted_loss(s: str, q: QuantityMatch, w: re.Match) -> bool:
    """ "4,000 casualties", "casualties of about 4,000": the number counts the losses themselves
    (not "3,000 reinforcements to compensate for their losses")."""
    if q.end <= w.start():
        return bool(re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}", s[q.end:w.start()]))
    return bool(re.fullmatch(r"\s+(?:of|at|to|reaching|totall?ing|numbering)\s+(?:about\s+|around\s+|some\s+)?",
                             s[w.end():q.start] + " ") or re.fullmatch(r"\s+(?:of|at)\s+", s[w.end():q.start]))


def _north_korean_victims(s: str, q: QuantityMatch) -> bool:
    """Whether a number counts North Korean losses, not Russian, Ukrainian or civilian ones."""
    after = s[q.end:q.end + 40]
    if re.match(r"\s+(?:[\w-]+\s+){0,3}?(?:North Korean|DPRK)", after):
        return True
    if re.match(r"\s+(?:of\s+the\s+|of\s+its\s+)?(?:[\w-]+\s+)?(?:Russian|Ukrainian|civilians?|people)\b", after):
        return False
    before = s[max(0, q.start - 45):q.start]
    return not re.search(r"\b(?:Russia|Ukraine|Kyiv|Moscow)(?:'s|\u2019s)?\s+(?:has\s+|have\s+|had\s+)?"
                         r"(?:lost|suffered|losses)\b|\b(?:Russian|Ukrainian)\s+(?:losses|casualties)\b", before)


# --- treaty and meetings -------------------------------------------------------------------

def _leaders(ctx, local) -> list[Mention]:
    out = []
    for m in local:
        if m.kind == "Person" and _state(ctx, m) in (NK, RU) and all(o.entity.label != m.entity.label for o in out):
            out.append(m)
    return out


def _treaty(ctx, sent, local, times) -> _Found | None:
    s = sent.text
    named = [m for m in local if m.kind == "Treaty"]
    tw = TREATY_WORD.search(s)
    if not (named or tw):
        return None
    sv = next((v for v in SIGN_VERB.finditer(s) if not _NOT_TREATY_SIGNING.match(s[v.end():])), None)
    if not sv:
        return None
    anchor = named[0].start - sent.start if named else tw.start()
    if abs(sv.start() - anchor) > 120:
        return None
    signers = _leaders(ctx, local)
    if re.search(r"\bhe signed\b", s) and not any(_state(ctx, m) == NK for m in signers):
        kim = next((m for m in reversed(ctx.mentions) if m.end <= sent.start and m.kind == "Person"
                    and _state(ctx, m) == NK), None)
        if kim is not None:
            signers.insert(0, kim)
    states = [_state(ctx, m) for m in local if m.kind in ("State", "City", "Person")]
    if not ({NK, RU} & set(s for s in states if s)) and not named:
        return None
    parties = [x for x in dict.fromkeys(_state(ctx, m) for m in signers) if x in (NK, RU)]
    for st in states:
        if st in (NK, RU) and st not in parties:
            parties.append(st)
    for st in (RU, NK):
        if st not in parties:
            parties.append(st)
    loc = next((m.entity for m in local if m.kind == "City" and re.search(
        r"\b(?:in|at)\s+$", ctx.article.text[max(sent.start, m.start - 4):m.start])), None)
    item = named[0].entity.label if named else _treaty_phrase(s, tw)
    in_quote = bool(re.match(r"^[\u201c\"\u2018']", s))
    c = Claim(type="treaty", actor=_ent(ctx, parties[0]), target=_ent(ctx, parties[1]), item=item,
              quote=s, start=sent.start, end=sent.end, event_time=_time_for(times, sent, 0),
              signatories=tuple(m.entity for m in signers), location=loc,
              treaty=named[0].entity if named else _ent_treaty(ctx))
    score = bool(named and named[0].text[:1].isupper()) + len(signers) + bool(c.event_time) - 3 * in_quote
    return _Found(c, sent.start, caption=sent.caption, in_quote=in_quote, score=score)


_NOT_TREATY_SIGNING = re.compile(r"\s+(?:a|an|the)\s+(?:\w+\s+)?(?:decree|law|bill|legislation|ratification|order)\b")
RATIFY = re.compile(r"\b(?:ratif(?:y|ies|ied|ying|ication)|approved|approves)\b")


_FOLLOW = re.compile(r"\b(?:the\s+)?(?:(?:upper|lower)\s+(?:house|chamber)|Federation Council|(?:State\s+)?Duma|parliament|"
                     r"Supreme People's Assembly|legislature)\s+(?:is|are|was|were)\s+(?:also\s+)?"
                     r"(?:expected|set|due|scheduled|likely)\s+to\s+(?:follow|vote|approve|ratify|endorse)\b", re.I)
_LEGISLATURE = re.compile(r"\b(?:parliament|Duma|lawmakers|assembly|Assembly|house|Council|legislature|legislators)\b")


def _ratification(ctx, sent, local, times) -> list[_Found]:
    """ "Russia's parliament ratified the treaty", "Kim signed a decree ratifying the treaty",
    "the upper house is expected to follow": each step of a state's ratification is a fact,
    told apart by its time and status."""
    s = sent.text
    rv = RATIFY.search(s)
    if not rv:
        return []
    treaty_here = TREATY_WORD.search(s) or any(m.kind == "Treaty" for m in local)
    # "ratification" names a treaty's step by itself once the article has spoken of a treaty
    if not treaty_here and not (re.search(r"\bratif", s) and TREATY_WORD.search(ctx.article.text)):
        return []
    if rv.group(0).startswith("approv") and not (_LEGISLATURE.search(s) and re.search(r"\bratif", s)) \
            and not (_LEGISLATURE.search(s) and treaty_here):
        return []
    by = [m for m in local if m.end - sent.start <= rv.start() and _state(ctx, m) in (NK, RU) and not m.modifier
          and m.kind != "NewsOutlet"]
    if not by:
        return []
    actor = _state(ctx, by[-1])
    named = next((m for m in local if m.kind == "Treaty"), None)
    label = named.entity.label if named else (_ent_treaty(ctx).label if _ent_treaty(ctx) else "treaty")
    treaty = named.entity if named else _ent_treaty(ctx)
    when = _time_for(times, sent, rv.start())
    c = Claim(type="treaty", actor=_ent(ctx, actor), target=_ent(ctx, PARTNER[actor]),
              item=f"ratification of the {label}", quote=s, start=sent.start, end=sent.end,
              event_time=when, treaty=treaty)
    out = [_Found(c, sent.start, caption=sent.caption, score=bool(c.event_time),
                  speaker_key=f"ratification:{actor}:{when.normalized if when else ''}")]
    out += _later_steps(ctx, sent, local, times, c, rv.end(), when)
    nxt = _FOLLOW.search(s, rv.end())
    if nxt is not None:
        later = _time_for(times, sent, nxt.end())
        out.append(_Found(replace(c, item=f"ratification of the {label} (next step)", status="planned",
                                  event_time=later if later is not when else None),
                          sent.start, caption=sent.caption, speaker_key=f"ratification:{actor}:planned"))
    return out


def _later_steps(ctx, sent, local, times, first: Claim, pos: int, first_time) -> list[_Found]:
    """ "The Duma approved ratification on 24 October, the Federation Council on 6 November, and
    Putin signed the law on 9 November": each listed body or person with its own date is a step."""
    s = sent.text
    out = []
    cuts = [pos] + [pos + m.end() for m in re.finditer(r",\s+(?:and\s+)?|;\s+|\s+and\s+", s[pos:])] + [len(s)]
    for a, b in zip(cuts, cuts[1:]):
        clause = s[a:b].rstrip(" ,;.")
        who = [m for m in local if a <= m.start - sent.start < b and not m.modifier and m.kind != "NewsOutlet"
               and m.kind in AGENT_KINDS and _state(ctx, m) in (NK, RU)]
        when = [t for t in times if a <= t.start < b]
        if not who or not when or (first_time is not None and when[0].time == first_time):
            continue
        if _FOLLOW.search(clause) or _status(clause) != "reported":
            continue  # a step still to come is the planned one, not a done one
        actor = _state(ctx, who[0])
        c = replace(first, actor=_ent(ctx, actor), target=_ent(ctx, PARTNER[actor]), quote=clause,
                    start=sent.start + a, end=sent.start + a + len(clause), event_time=when[0].time)
        out.append(_Found(c, sent.start + a, caption=sent.caption,
                          speaker_key=f"ratification:{actor}:{when[0].time.normalized}"))
    return out


def _ent_treaty(ctx) -> Entity | None:
    ref = next((r for r in ctx.gaz.by_label.values() if r.kind == "Treaty"), None)
    return Entity(label=ref.label, kind="Treaty", iri=ref.iri) if ref else None


def _treaty_phrase(s: str, tw: re.Match) -> str:
    m = re.search(r"(?:[\w'\u2019\u201c\u201d\"-]+\s+){0,4}" + re.escape(tw.group(0)) + r"(?:\s+on\s+[\u201c\"][^\u201d\"]+[\u201d\"])?",
                  s[max(0, tw.start() - 60):tw.end() + 40])
    return _clean_item(m.group(0)) if m else tw.group(0)


_VISIT = re.compile(r"^(?:['\u2019]s\s+(?:[\w-]+\s+){0,3}?(?:visit|trip)\s+to|\s+(?:\w+ly\s+)?(?:visited|arrived\s+in|"
                    r"travell?ed\s+to|flew\s+to|landed\s+in))\s+(?:the\s+)?")


def _head_of_state(ctx, state: str) -> Entity | None:
    ref = next((r for r in ctx.gaz.by_label.values() if r.kind == "Person" and r.affiliation == state
                and (r.role or "").startswith(("leader of", "President of"))), None)
    return state_entity(ref.label, ctx.gaz) if ref else None


def _visit(ctx, sent, local, times) -> Claim | None:
    """ "Putin's visit to Pyongyang", "Kim arrived in Vladivostok": a head of state in the partner's
    country meets its head of state."""
    for m in local:
        if m.kind != "Person" or _state(ctx, m) not in (NK, RU):
            continue
        own = _head_of_state(ctx, _state(ctx, m))
        if own is None or own.label != m.entity.label:
            continue
        v = _VISIT.match(ctx.article.text[m.end:sent.end])
        if v is None:
            continue
        place = next((x for x in local if x.start == m.end + v.end()), None)
        host = _head_of_state(ctx, PARTNER[_state(ctx, m)])
        if place is None or host is None or _state(ctx, place) != PARTNER[_state(ctx, m)]:
            continue
        return Claim(type="meeting", actor=m.entity, target=host, item="summit", quote=sent.text, start=sent.start,
                     end=sent.end, location=place.entity if place.kind == "City" else None,
                     event_time=_time_for(times, sent, m.end - sent.start))
    return None


def _meeting(ctx, sent, local, times) -> Claim | None:
    s = sent.text
    people = _leaders(ctx, local)
    states = {_state(ctx, m) for m in people}
    if len(people) < 2 or not {NK, RU} <= states:
        return _visit(ctx, sent, local, times) if people else None
    mv = MEET_VERB.search(s)
    if not mv:
        return None
    a, b = people[0], people[1]
    between = s[a.end - sent.start:b.start - sent.start]
    after_b = s[b.end - sent.start:]
    coordinated = re.search(r"\band\b", between) and mv.start() > b.end - sent.start
    direct = re.search(r"\b(?:met|meets|meet|meeting|held talks|holds talks|holding talks|talks|hosted|hosts|welcomed|"
                       r"greeted|received|summit)\b(?:\s+with)?\s+(?:(?:his|her|their)\s+)?(?:(?:North Korean|Russian)\s+)?"
                       r"(?:(?:counterpart|opposite number|host|guest)\s*,?\s+)?(?:[A-Z][\w.-]*\s+){0,4}$",
                       between)
    # "visited Pyongyang and toured an arms exhibition with Kim": a joint outing is a meeting
    joint = re.search(r"\b(?:toured|inspected|attended|watched|observed|visited|reviewed|viewed|rode|dined)\b[^.;]{0,80}?"
                      r"\b(?:with|alongside)\s+(?:(?:North Korean|Russian)\s+)?(?:leader\s+|President\s+)?"
                      r"(?:[A-Z][\w.-]*\s+){0,4}$", between)
    if not (coordinated or direct or joint):
        return None
    del after_b
    loc = next((m.entity for m in local if m.kind in ("City", "Place") and m.start > b.end), None) or \
        next((m.entity for m in local if m.kind in ("City", "Place")), None)
    return Claim(type="meeting", actor=a.entity, target=b.entity, item=_meeting_item(s, mv),
                 quote=s, start=sent.start, end=sent.end, location=loc,
                 event_time=_time_for(times, sent, 0))


def _meeting_item(s: str, mv: re.Match) -> str:
    m = re.search(r"\b(?:for|at)\s+(?:a|an|the)\s+([\w\s-]{3,40}?)(?=\s+(?:in|at|on)\b|[,.])", s[mv.start():])
    return f"summit ({m.group(1)})" if m else "summit"


# --- statements ----------------------------------------------------------------------------

_CONDEMN = re.compile(r"\b(?:condemn|condemns|condemned|denounce|denounces|denounced|criticized|criticize|criticised|"
                      r"criticise|blame|blamed|blames|slammed|rebuked)\s+(?:[\w'\u2019.-]+\s+){0,4}?(?:for|over)\s", re.I)
_MILITARY = re.compile(r"(?<!Russian )(?<!Ukrainian )(?<!U\.S\. )\b(?:troops|soldiers|casualties|weapons|shells|missiles|"
                       r"captured|deployment|acknowledg\w+|admission|alliance|partnership|cooperation)\b|"
                       r"\bthe (?:report|reports|allegations|claims|accusations)\b")


_STATEMENT_TOPIC = re.compile(r"North Korea|DPRK|Pyongyang|\bthe North\b|Kim Jong|treaty|agreement|North Korean", re.I)


# verbs that attribute a fact rather than make a statement of one's own ("the agency estimated")
_NOT_STATEMENT_VERBS = {"reported", "confirmed", "acknowledged", "believes", "estimated", "estimates", "suggested",
                        "briefed", "informed", "citing"}


def _statement(ctx, sent, local, attr: Attribution, quote_end: int, times) -> _Found | None:
    """A named person or body saying something on the topic that is not itself one of the
    other facts: direct quotations, or "X said/criticized/called for ..." sentences."""
    who = attr.claimer
    if who is None or who.kind in ("AnonymousSource", "NewsOutlet") or attr.verb in _NOT_STATEMENT_VERBS:
        return None
    text = ctx.article.text
    content_a, content_b = sent.start, max(quote_end, sent.end)
    content = text[content_a:content_b]
    spk_state = _who_state(ctx, who)
    direct = bool(_QUOTES.search(content))
    body = _without_speaker(content, attr, content_a)
    recent_nk = ctx.nk_seen_at >= 0 and ctx.sent_index - ctx.nk_seen_at <= 2
    on_topic = bool(_STATEMENT_TOPIC.search(body) or (recent_nk and _MILITARY.search(body)))
    if not on_topic and not (who.kind == "Person" and direct):
        return None  # people quoted directly need no topic words; bodies and reported speech do
    target = _statement_target(ctx, sent, attr, content_a, content_b, spk_state)
    actor = who
    subj = _reported_person(ctx, who, content_a, content_b, spk_state)
    if subj is not None:
        # "the Commission indicated that Kim Jong Un authorized ...": Kim acted, the body says so
        actor = subj.entity
        if target.label in (spk_state, PARTNER.get(spk_state or "")):
            target = _statement_target(ctx, sent, replace(attr, speaker_start=subj.start, speaker_end=subj.end),
                                       content_a, content_b, spk_state)
    c = Claim(type="statement", actor=actor, target=target, item=_gist(content, attr, content_a),
              quote=content.strip(), start=content_a, end=content_a + len(content.rstrip()), status="reported",
              claimed_by=who, via=attr.via, event_time=_time_for(times, sent, 0))
    return _Found(c, content_a, caption=sent.caption, in_quote=direct, named_speaker=not attr.anaphoric,
                  speaker_key=who.label)


_SECOND_SPEECH = re.compile(r",?\s+(?:and|but)\s+(?:also\s+|then\s+|again\s+)?(?P<v>accused|warned|urged|called\s+(?:on|for)|"
                            r"criticized|criticised|condemned|vowed|pledged|insisted|denied|dismissed|appealed)\b")


def _coordinated_statement(ctx, sent, attr: Attribution, times) -> list[_Found]:
    """ "X said troops had arrived and accused the West of ...": the reported fact is one claim,
    the speaker's own second speech act in the coordinated clause is a statement."""
    who = attr.claimer
    if who is None or who.kind != "Person" or attr.anaphoric or attr.speaker_end is None:
        return []
    s = sent.text
    m = _SECOND_SPEECH.search(s, max(attr.speaker_end - sent.start, 0))
    if m is None:
        return []
    a = sent.start + m.start("v")
    quote = s[m.start("v"):].rstrip(" .")
    spk_state = _who_state(ctx, who)
    sub = replace(attr, speaker_start=None, speaker_end=None)
    target = _statement_target(ctx, sent, sub, a, a + len(quote), spk_state)
    c = Claim(type="statement", actor=who, target=target, item=quote[:160], quote=quote, start=a,
              end=a + len(quote), status="reported", claimed_by=who, via=attr.via,
              event_time=_time_for(times, sent, 0))
    return [_Found(c, a, caption=sent.caption, speaker_key=who.label)]


def _spoken_after(s: str, attr: Attribution, base: int, trigger: re.Pattern) -> bool:
    """Whether the speaker is named after the other fact's trigger, in a clause of its own."""
    t = trigger.search(s)
    if t is None or attr.claimer is None or attr.speaker_start is None or attr.anaphoric:
        return False
    between = s[t.end():max(attr.speaker_start - base, 0)]
    return attr.speaker_start - base > t.end() and bool(re.search(
        r",\s+(?:during|at|in|after)\s+which\b|,\s+where\b|;|,\s+and\s+", between))


def _reported_person(ctx, who: Entity, a: int, b: int, spk_state: str | None) -> Mention | None:
    """The person of the speaker's own state who heads the reported clause ("... that Kim ...")."""
    if who.kind == "Person":
        return None
    that = re.search(r"\bthat\s+", ctx.article.text[a:b])
    if not that:
        return None
    subj = next((m for m in ctx.mentions if m.start == a + that.end() and m.kind == "Person"), None)
    return subj if subj is not None and _state(ctx, subj) == spk_state else None


def _who_state(ctx, who: Entity) -> str | None:
    if who.kind == "State":
        return who.label
    if who.affiliation is not None:
        return ctx.gaz.state_of(who.affiliation.label) or (who.affiliation.label if who.affiliation.kind == "State" else None)
    return ctx.gaz.state_of(who.label)


def _without_speaker(content: str, attr: Attribution, base: int) -> str:
    if attr.speaker_start is None:
        return content
    a, b = attr.speaker_start - base, attr.speaker_end - base
    return content[:max(a, 0)] + " " + content[max(b, 0):]


def _statement_target(ctx, sent, attr, a, b, spk_state) -> Entity:
    for m in ctx.mentions:
        if m.start < a or m.end > b or m.modifier:
            continue
        if attr.speaker_start is not None and attr.speaker_start <= m.start < attr.speaker_end:
            continue
        if m.kind in ("NewsOutlet", "Region", "City", "OccupiedTerritory", "Place", "Treaty"):
            continue
        st = _state(ctx, m)
        if st and st != spk_state:
            return _ent(ctx, st)
    return _ent(ctx, PARTNER.get(spk_state or "", NK))


def _gist(content: str, attr: Attribution, base: int) -> str:
    q = _QUOTES.search(content)
    if q:
        g = q.group("a") or q.group("b") or q.group("c") or q.group("d")
    else:
        m = re.search(r"\bthat\s+(.+)", content) or \
            re.search(r"\b(?:said|says|stated|added|warned|noted|told\s+\w+)\s+(.{12,})", content)
        g = m.group(1) if m else content
    g = re.sub(r"\s+", " ", g).strip(" ,.\u201c\u201d\"'\u2018\u2019")
    return g[:160]


# --- merging -------------------------------------------------------------------------------

def _info(c: Claim) -> float:
    return (c.quantity is not None) + (c.event_time is not None and c.event_time.normalized is not None) * 0.5


def _key(c: Claim) -> tuple:
    t = c.target.label if c.target else None
    if c.type == "deployment":
        q = c.quantity.value if c.quantity else None
        # the same number of troops from the same state is the same deployment, however the
        # destination is worded; without a number, destination and status tell them apart
        return ("deployment", c.actor.label, q) if q else ("deployment", c.actor.label, t, c.status)
    if c.type == "transfer":
        return ("transfer", c.actor.label, t, c.item.lower() if c.item else None,
                c.quantity.value if c.quantity else None)
    if c.type == "casualties":
        return ("casualties", tuple(sorted((k, q.value) for k, q in c.counts.items())))
    if c.type == "meeting":
        # the same two people meeting at the same time is one meeting, whoever is named first
        return ("meeting", *sorted((c.actor.label, t or "")), c.event_time.normalized if c.event_time else None)
    return (c.type, c.start, c.actor.label, c.item)


def _restatement(f: _Found, earlier: list[_Found]) -> bool:
    """A later bare mention of a deployment already reported ("had already been deploying
    troops there") repeats it: no number, no time, same actor and destination."""
    c = f.claim
    if c.type != "deployment" or c.quantity is not None or (c.event_time and c.event_time.normalized):
        return False
    if c.status not in ("reported", "confirmed"):
        return False
    return any(e.claim.type == "deployment" and e.claim.start < c.start and e.claim.status in ("reported", "confirmed")
               and e.claim.actor.label == c.actor.label and e.claim.target and c.target
               and e.claim.target.label == c.target.label for e in earlier)


def _merge(found: list[_Found]) -> list[_Found]:
    """One claim per fact: repeats merge into the most informative mention, treaty signing
    is one event per article, and each speaker gets one statement (named before pronoun)."""
    best: dict[tuple, _Found] = {}
    found = [f for f in found if not _restatement(f, found)]
    for f in found:
        c = f.claim
        if c.type == "treaty":
            k = ("treaty", f.speaker_key)  # the signing, or one state's ratification
        elif c.type == "statement":
            k = ("statement", f.speaker_key)
        else:
            k = _key(c)
        cur = best.get(k)
        if cur is None or _better(f, cur):
            best[k] = f
    return list(best.values())


def _better(new: _Found, cur: _Found) -> bool:
    if new.claim.type == "statement":
        return new.named_speaker and not cur.named_speaker
    if new.caption != cur.caption:
        return cur.caption
    if new.claim.type == "treaty":
        return new.score > cur.score
    return _info(new.claim) > _info(cur.claim)
