"""Statements: what a named or described speaker says about the cooperation.

A reporting verb with a speaker opens a statement. Its gist is the reported clause (the
complement of "said", the object of "condemned"), not the whole sentence. When the reported
clause is itself another kind of fact ("the NIS said troops had been sent"), the fact is kept
and the statement is not, unless the verb carries a stance of its own (warn, condemn, deny).
"""

from __future__ import annotations

from spacy.tokens import Token

from ...claims import Entity
from ..attribution import according_to, quoted_as, speaker
from ..entities import reference, source_entity, state_of
from ..lexicon import lexicon
from .common import Frame, Sentence, clause_head, conjuncts, lemma, negated

_CONTENT = ("ccomp", "xcomp", "dobj", "parataxis", "advcl", "prep", "conj", "attr", "oprd")
_TOPIC_WORDS = {"troop", "soldier", "weapon", "missile", "shell", "ammunition", "munition", "war", "cooperation",
                "treaty", "alliance", "partnership", "deployment", "dispatch", "arm", "military", "relation",
                "tie", "aggression", "invasion", "conflict", "security", "sanction", "support", "assistance",
                "friendship", "artillery", "drone", "technology", "fighting", "battle", "front", "kursk",
                "involvement", "participation", "deal", "exchange", "nuclear", "escalation", "threat", "peace"}


def find(sent: Sentence, *, fact_triggers: set[int], previous: Entity | None) -> list[Frame]:
    lex = lexicon()
    out: list[Frame] = []
    spans: list[set[int]] = []    # the reported words of each frame
    for verb in sent.span:
        if verb.pos_ != "VERB" or lemma(verb) not in lex.reporting_verbs:
            continue
        if lemma(verb) in ("report", "write", "post", "quote", "cite", "find", "show", "track", "detect",
                           "identify", "observe"):
            continue
        if lemma(verb) in ("estimate", "assess", "believe", "understand") and not (
                any(c.dep_ == "nsubj" for c in verb.children) and any(c.dep_ == "ccomp" for c in verb.children)):
            continue  # "is believed to", "estimated 11,000": a hedge, not a view someone states
        if negated(verb) and (lemma(verb) not in lex.stance_verbs or lemma(verb) in lex.deny_verbs):
            continue  # "did not mention the war", "has not denied it": nothing was said
        if _asked(verb):
            continue  # "we want to see what China has to say": a question, not what was said
        who = speaker(verb, sent.mentions, previous)
        if who is None or who.kind in ("NewsOutlet", "Place", "City", "Region") or _document(who):
            continue
        content = [c for c in verb.children if c.dep_ in _CONTENT and c.dep_ != "prep" or
                   c.dep_ == "prep" and c.lower_ in ("on", "about", "for", "against", "of", "over")]
        if not content:
            # "said in a statement that ...", with the clause parsed under "statement"
            content = [a for p in verb.children if p.dep_ == "prep" and p.lower_ in ("in", "on", "during")
                       for n in p.children if n.dep_ == "pobj" for a in n.children
                       if a.dep_ in ("acl", "relcl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that"
                                                                       for m in a.children)]
        if not content and quoted_as(verb) is not None:
            # ""…," Kim was quoted as saying": the quotation hangs from "quoted"
            content = [c for c in verb.head.head.children if c.dep_ in ("ccomp", "parataxis")]
        # "said this in an interview, Ukrinform reports": the outlet's own "reports" says nothing more
        content = [c for c in content if not (c.dep_ in ("ccomp", "parataxis") and lemma(c) in lex.reporting_verbs
                                               and not any(g.dep_ in ("ccomp", "dobj") for g in c.children))]
        if lemma(verb) == "defend" and any(c.dep_ == "dobj" and (m := sent.mentions.of(c)) is not None
                                           and m.kind in ("Region", "City", "Place", "State") for c in content):
            continue  # "soldiers who defended the Kursk region": fighting, not speaking
        if lemma(verb) in ("welcome", "greet", "receive") and any(
                c.dep_ == "dobj" and (m := sent.mentions.of(c)) is not None and m.kind == "Person" for c in content):
            continue  # "Putin welcomed Kim": a greeting, not a view
        if not content and lemma(verb) not in lex.stance_verbs:
            continue
        tokens = sorted({t.i for c in content for t in c.subtree})
        if len(tokens) == 1 and sent.span.doc[tokens[0]].pos_ in ("PRON", "DET"):
            continue  # "said this in an interview", "confirmed it": what was said is elsewhere
        if lemma(verb) in ("accuse", "allege") and any(t.i in fact_triggers for c in content for t in c.subtree):
            continue  # "accused North Korea of sending shells": the shipment, claimed by the accuser
        holds_fact = _states_a_fact(verb, content, fact_triggers)
        if holds_fact and lemma(verb) not in lex.stance_verbs:
            continue
        if not _on_topic(tokens, sent) and state_of(who) not in ("North Korea", "Russia") \
                and who.kind == "AnonymousSource":
            continue
        for each in _coordinated(verb, who, sent):
            out.append(Frame("statement", verb, actor=each, target=_topic(tokens, sent, each),
                             item=_gist(verb, content)))
            spans.append(set(tokens))
    # "Jang said they pleaded with her to promise ...": the words of one report, not two
    out = [f for f, _ in zip(out, spans) if not any(
        f.trigger.i in other for other in spans)]
    if not out and not fact_triggers:
        out += _according(sent)
    return out


def _asked(verb: Token) -> bool:
    head = verb.head if verb.dep_ in ("xcomp", "aux") else verb
    return any(c.lower_ in ("what", "whether", "how") and c.dep_ in ("dobj", "mark", "advmod", "nsubj")
               and c.i < verb.i for t in (verb, head) for c in t.children)


def _fact_clause(root: Token) -> bool:
    """A clause whose own verb (or its subject's head noun) is a trigger of another fact type:
    a fact the frames could not read is still not a statement. Words deeper in the clause
    ("where the troops will go", "operations to liberate Kursk") do not make it one."""
    lex = lexicon()
    verbs = (lex.give_verbs | lex.receive_verbs | lex.use_verbs | lex.deployment_verbs | lex.meeting_verbs
             | set(lex.casualty_words))
    nouns = lex.transfer_nouns | lex.deployment_nouns | lex.meeting_nouns | set(lex.casualty_words)
    for v in [root] + [c for c in root.children if c.dep_ in ("conj", "xcomp")]:
        if lemma(v) in verbs:
            return True
        if any(c.dep_ in ("nsubj", "nsubjpass", "attr", "dobj") and lemma(c) in nouns for c in v.children):
            return True
    return False


def _according(sent: Sentence) -> list[Frame]:
    """"According to Kyiv, they were withdrawn after heavy losses": the source's statement,
    when the sentence states no fact of another type."""
    who = according_to(sent.span, sent.mentions)
    if who is None or who.kind in ("NewsOutlet", "Place", "City", "Region") or _document(who):
        return []
    root = sent.span.root
    phrase = [t for t in sent.span if t.lower_ == "according"]
    if not phrase or root.pos_ not in ("VERB", "AUX") or phrase[0].head.i != root.i:
        return []
    inside = {t.i for t in phrase[0].subtree}
    tokens = [t.i for t in sent.span if t.i not in inside and not t.is_punct]
    if not _on_topic(tokens, sent) or _fact_clause(root):
        return []
    words = sent.span.doc[min(tokens):max(tokens) + 1]
    text = words.text.strip(" ,.\u201d\"\u201c")
    return [Frame("statement", root, actor=who, target=_topic(tokens, sent, who), item=text)]


def _coordinated(verb: Token, who: Entity, sent: Sentence) -> list[Entity]:
    """"Military observers and Ukrainian commanders have said": one statement per speaker."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subj:
        return [who]
    out = [who]
    for c in conjuncts(subj[0])[1:]:
        other = source_entity(c, sent.mentions)
        if other is not None and other.label != who.label:
            out.append(other)
    return out


def continued(sent: Sentence, speaker_entity: Entity) -> Frame | None:
    """A sentence that goes on quoting the previous sentence's speaker, with no reporting
    verb of its own: a statement of that speaker."""
    tokens = [t.i for t in sent.span if not t.is_space]
    if not tokens or not _on_topic(tokens, sent):
        return None
    root = sent.span.root
    text = sent.span.text.strip().strip("\u201c\u201d\"")
    return Frame("statement", root, actor=speaker_entity, target=_topic(tokens, sent, speaker_entity), item=text)


def _states_a_fact(verb: Token, content: list[Token], fact_triggers: set[int]) -> bool:
    """Whether the reported clause itself is a fact of another type: a trigger in the clause's
    own words (not in a clause subordinate to it, like "since the two signed a pact")."""
    for c in content:
        subject = {s.i for x in c.children if x.dep_ in ("nsubj", "csubj") for s in x.subtree}
        if any(x.like_num for x in c.subtree if x.i not in subject):
            subject = set()  # "casualties exceeded 3,000": the clause gives the fact's figure
        for t in c.subtree:
            if t.i in subject:
                continue  # "the deployment is a dangerous escalation": a judgement on a fact
            if t.pos_ == "NOUN" and _under_preposition(t, c):
                continue  # "imposing sanctions over the procurement of missiles": said of a fact
            if t.i in fact_triggers and _main_clause(t).i in (c.i, verb.i):
                return True
            if t.i in fact_triggers and c.dep_ in ("prep", "dobj") and clause_head(t).i == verb.i:
                return True
    # "quoted the agency as saying that troops were sent": the fact sits under a nested report
    if any(t.i in fact_triggers and reporting_above(t, verb) for c in content for t in c.subtree):
        return True
    return any(_looks_like_a_fact(c) for c in content if c.pos_ in ("VERB", "AUX"))


def _under_preposition(tok: Token, clause: Token) -> bool:
    """Whether ``tok`` sits in a prepositional phrase of ``clause`` rather than being one of
    its own arguments."""
    t = tok
    for _ in range(8):
        if t.i == clause.i or t.head.i == t.i:
            return False
        if t.dep_ == "pobj":
            return True
        t = t.head
    return False


def _looks_like_a_fact(clause: Token) -> bool:
    """A reported clause whose own verb is a transfer or deployment verb with its goods or
    personnel ("it deployed troops to Russia"): a fact, even where its frame could not be read."""
    lex = lexicon()
    verbs = [clause] + [c for c in clause.children if c.dep_ in ("conj", "xcomp")]
    for v in verbs:
        if negated(v):
            continue  # "soldiers have not been trained": no fact, so what was said is a view
        if lemma(v) in lex.give_verbs | lex.deployment_verbs | lex.receive_verbs:
            # the goods or personnel are the verb's own arguments, not words deeper down
            # ("relations serve as a device for the well-being of the two peoples")
            args = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "dative")
                    or c.dep_ == "prep" and c.lower_ == "with"]
            if any(lemma(x) in lex.personnel | lex.items for a in args for x in a.subtree
                   if x.pos_ == "NOUN"):
                return True
    return False


def _main_clause(tok: Token) -> Token:
    """The clause a trigger belongs to, looking through relative and participial clauses
    ("soldiers who arrived in Russia had started moving": "started")."""
    head = clause_head(tok)
    for _ in range(4):
        if head.dep_ in ("relcl", "acl") and head.head.i != head.i:
            head = clause_head(head.head)
        else:
            break
    return head


def reporting_above(tok: Token, verb: Token) -> bool:
    lex = lexicon()
    t = clause_head(tok)
    for _ in range(6):
        if t.i == verb.i:
            return False
        head = t.head
        if head.i == t.i:
            return False
        if head.i != verb.i and head.pos_ == "VERB" and lemma(head) in lex.reporting_verbs:
            return True
        t = head
    return False


_DOCUMENTS = {"report", "reports", "media", "data", "footage", "video", "image", "images", "document",
              "analysis", "assessment", "statement", "estimate", "estimates", "photos", "reporting",
              "newspaper", "daily", "broadcaster", "magazine", "website", "outlet"}


def _document(who: Entity) -> bool:
    """"Reports indicated", "the report adds": a channel, not a speaker."""
    return who.kind == "AnonymousSource" and who.label.split()[-1].lower() in _DOCUMENTS


def _on_topic(tokens: list[int], sent: Sentence) -> bool:
    doc = sent.span.doc
    for i in tokens:
        t = doc[i]
        if lemma(t) in _TOPIC_WORDS or lemma(t) in lexicon().personnel:
            return True
        m = sent.mentions.of(t)
        if m is not None and state_of(m.entity) in ("North Korea", "Russia"):
            return True
    return False


def _topic(tokens: list[int], sent: Sentence, speaker: Entity | None = None) -> Entity | None:
    """What the words are about: the one side they name, or the cooperation when they name
    both or neither. A side speaking of itself ("Russia will honour its obligations", said by
    Putin) speaks of the cooperation, not of itself."""
    doc = sent.span.doc
    states = set()
    for i in tokens:
        m = sent.mentions.of(doc[i])
        if m is not None:
            s = state_of(m.entity)
            if s:
                states.add(s)
    own = state_of(speaker) if speaker is not None else None
    if own in ("North Korea", "Russia"):
        states.discard(own)
    if "North Korea" in states and "Russia" in states or not states & {"North Korea", "Russia"}:
        return Entity(label="North Korea\u2013Russia cooperation", kind="Organization")
    return reference("North Korea" if "North Korea" in states else "Russia")


def _gist(verb: Token, content: list[Token]) -> str:
    if not content:
        return verb.lemma_
    doc = verb.doc
    lo = min(c.left_edge.i for c in content)
    hi = max(c.right_edge.i for c in content)
    words = doc[lo:hi + 1]
    toks = [t for t in words if not (t.i == lo and t.dep_ == "mark")]
    text = "".join(t.text_with_ws for t in toks).strip(" ,.\u201d\"\u201c")
    return f"{verb.lemma_}: {text}" if lemma(verb) in lexicon().stance_verbs else text
