"""Transfers: goods, weapons, oil or technology moving between the two sides.

* give verbs ("Pyongyang shipped shells to Russia"): giver = subject (or passive agent),
  item = object (or passive subject, or the with-phrase of "supply Russia with shells"),
  recipient = to/for phrase, indirect object, or the object of "supply X with";
* receive verbs ("Russia received missiles from North Korea"): recipient = subject, giver =
  from-phrase;
* use verbs, only for the other side's weapons ("Russia fired North Korean missiles");
* nouns ("shipments of shells to Russia", "North Korea's arms deliveries").

Coordinated items are separate transfers. The quantity is the item's own number, or that of
the containers it came in ("13,000 containers of shells").
"""

from __future__ import annotations

from spacy.tokens import Token

from ..entities import as_state, other_side, state_of
from ..lexicon import lexicon
from .common import (Frame, Sentence, conjuncts, datives, is_passive, lemma, noun_phrase, objects, pobjs,
                     quantity_of, subject, agent)

_CONTAINERS = {"container", "crate", "wagon", "railcar", "shipment", "cargo", "barrel", "ton", "tonne", "batch",
               "load", "trainload", "round", "consignment", "unit", "amount", "quantity", "volume", "number", "lot",
               "package", "supply", "set", "type", "kind", "million", "thousand", "hundred", "dozen", "half",
               "part", "share", "percent", "majority", "bulk", "most", "some", "all", "much", "portion",
               "third", "quarter", "%", "many", "lot", "variety", "range", "stock", "stockpile", "form", "piece"}


def find(sent: Sentence) -> list[Frame]:
    lex = lexicon()
    out: list[Frame] = []
    for tok in sent.span:
        lem = lemma(tok)
        if tok.pos_ == "VERB" and lem in lex.give_verbs:
            out += _give(tok, sent)
        elif tok.pos_ == "VERB" and lem in lex.receive_verbs:
            out += _receive(tok, sent)
        elif tok.pos_ == "VERB" and lem in lex.use_verbs:
            out += _use(tok, sent)
        elif tok.pos_ == "NOUN" and lem in lex.transfer_nouns and not _governed_by_trigger(tok):
            out += _noun(tok, sent)
    for tok in sent.span:
        if tok.pos_ == "VERB" and lemma(tok) in ("include", "comprise", "involve", "consist"):
            listed = _listed(tok, sent)
            if listed:
                inside = {t.i for o in objects(tok) + pobjs(tok, "of") for c in conjuncts(o) for t in c.subtree}
                out = [f for f in out if f.trigger.i not in inside] + listed
    out += _in_return(out, sent)
    if not out:
        out = [f for tok in sent.span if tok.pos_ == "VERB" and lemma(tok) in _HOLDING for f in _held(tok, sent)]
    if not out:
        out = _in_use(sent)
    if not out:
        out = [f for tok in sent.span if lemma(tok) == "be" for f in _from_the_other_side(tok, sent)]
    return out


_REMAINS = {"debris", "fragment", "remains", "wreckage", "part", "piece"}


def _from_the_other_side(verb: Token, sent: Sentence) -> list[Frame]:
    """"The missiles were from North Korea", "the debris was from a North Korean missile": a
    weapon (or what is left of one) whose origin is the other side than the one using it."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subj or not pobjs(verb, "from"):
        return []
    item = subj[0]
    if lemma(item) in _REMAINS:  # "the debris (of a missile)": the weapon it was part of
        item = next(iter(pobjs(item, "of", "from") + pobjs(verb, "from")), item)
    if lemma(item) not in lexicon().weapons:
        return []
    for origin in pobjs(verb, "from"):  # "from North Korea", "from a North Korean Hwasong-11 missile"
        for t in origin.subtree:
            m = sent.mentions.of(t)
            if m is not None and state_of(m.entity) in ("North Korea", "Russia"):
                return _frames([(item, quantity_of(item))], as_state(m.entity), None, verb, sent)
    return []


def _in_return(frames: list[Frame], sent: Sentence) -> list[Frame]:
    """"Russia provided technology in exchange for the ammunition": the price moves the other
    way, from the recipient to the giver."""
    out, done = [], set()
    for f in frames:
        if f.trigger.i in done or f.target is None:
            continue
        done.add(f.trigger.i)
        for c in f.trigger.children:
            if c.dep_ != "prep" or c.lower_ != "in":
                continue
            for swap in (p for p in c.children if p.dep_ == "pobj" and lemma(p) in ("exchange", "return")):
                items = _items(pobjs(swap, "for"), sent)
                out += _frames(items, f.target, f.actor, f.trigger, sent)
    return out


_AID = {"assistance", "aid", "support", "help", "supply", "delivery", "shipment", "package", "export"}


def _listed(verb: Token, sent: Sentence) -> list[Frame]:
    """"Russian assistance to North Korea includes payments, rice and space technology": the
    items of the list move the way the aid does, from its owner to its recipient."""
    subj = subject(verb)
    if subj is None or lemma(subj) not in _AID:
        return []
    giver = sent.mentions.owner(subj)
    if giver is None:
        src = [t for t in pobjs(subj, "from", "by") if sent.mentions.entity(t) is not None]
        giver = _entity(src[0], sent) if src else None
    recips = [t for t in pobjs(subj, "to", "for") if sent.mentions.entity(t) is not None]
    recipient = _entity(recips[0], sent) if recips else None
    if giver is None and recipient is None:
        return []
    heads = [c for o in objects(verb) + pobjs(verb, "of") for c in conjuncts(o)]
    items = _items(heads, sent)
    return _frames(items, giver, recipient, verb, sent) if items else []


def _held(verb: Token, sent: Sentence) -> list[Frame]:
    """"The containers likely held three million shells": what the shipments the article is
    about carried, though no verb of giving is in the sentence."""
    subj = subject(verb)
    holders = _CONTAINERS - {"number", "amount", "some", "all", "most", "many", "much"}
    if subj is not None and subj.lower_ in ("they", "these", "those") and any(
            lemma(t) in holders and t.pos_ == "NOUN" for t in sent.span if t.i < subj.i):
        pass  # "the contents of the containers are unknown, but they likely held shells"
    elif subj is None or lemma(subj) not in holders:
        return []
    heads = [o for d in verb.children if d.dep_ == "dobj" for o in conjuncts(d)]
    items = [(noun, quantity_of(noun)) for noun in heads if _is_item(noun, sent)]
    return _frames(items, sent.mentions.owner(subj), None, verb, sent) if items else []


def _in_use(sent: Sentence) -> list[Frame]:
    """"fragments of North Korean missiles" found in Ukraine: the other side's weapons where the
    war is fought have been transferred, though no verb says so."""
    states = {state_of(m.entity) for m in sent.mentions.in_span(sent.span.start, sent.span.end)
              if not m.modifier}
    if not states & {"Ukraine", "Russia"}:
        return []
    out = []
    for tok in sent.span:
        if tok.pos_ != "NOUN" or lemma(tok) not in lexicon().weapons or lemma(tok) in _CONTAINERS:
            continue
        maker = sent.mentions.owner(tok)
        if maker is not None and state_of(maker) == "North Korea":
            out += _frames([(tok, quantity_of(tok))], maker, other_side("North Korea"), tok, sent)
            break
    return out


# -- items ----------------------------------------------------------------------------------

def _items(heads: list[Token], sent: Sentence) -> list[tuple[Token, object]]:
    """(item noun, quantity) pairs: the lexicon's items among the heads, looking through
    "containers of", "rounds of", "millions of"."""
    out = []
    for h in list(heads):  # "military aid, including 200 artillery pieces and missiles"
        such = [p for c in h.children if c.dep_ == "prep" and c.lower_ == "as"
                and any(a.lower_ == "such" for a in c.children) for p in c.children if p.dep_ == "pobj"]
        for inc in pobjs(h, "including", "like") + [c for p in such for c in conjuncts(p)]:
            if inc not in heads:  # "weapons such as tanks and aircraft"
                heads.append(inc)
    for head in list(heads):
        for stray in _after_recipient(head, sent):
            if stray not in heads:
                heads.append(stray)
    for head in heads:
        if head.pos_ not in ("NOUN", "PROPN", "NUM"):
            continue
        lem = lemma(head)
        inner = [c for p in pobjs(head, "of") for c in conjuncts(p)] or _contents(head)
        if (lem in _CONTAINERS or lem in lexicon().transfer_nouns) and inner:
            # "containers of shells", "deliveries of munitions": what they hold moves
            qty = quantity_of(head)
            for noun in inner:
                if lemma(noun) in _CONTAINERS and pobjs(noun, "of"):
                    inner += [n for n in pobjs(noun, "of") if n not in inner]  # "thousands of ... and loads of weapons"
                    continue
                if _is_item(noun, sent):  # "containers holding 4.8 million shells": the shells' own number
                    out.append((noun, quantity_of(noun) or qty))
            if out:
                continue
        if _is_item(head, sent):
            out.append((head, quantity_of(head)))
            # "oil and air defence systems" parsed as a modifier of "systems"
            for c in head.subtree:
                if c.i < head.i and c.dep_ in ("nmod", "compound") and any(x.dep_ == "cc" for x in c.children) and _is_item(c, sent):
                    out.append((c, None))
    return out


def _after_recipient(tok: Token, sent: Sentence) -> list[Token]:
    """"gave economic assistance to North Korea and various military technologies": the parser
    joins the second item to the recipient; a conjunct of a named recipient that is an item
    and names no one is another thing given."""
    out = []
    for rec in pobjs(tok, "to"):
        # ("sent 10,000 soldiers to the front but also 20,000 containers, which may hold shells")
        out += [c for c in conjuncts(rec)[1:] if sent.mentions.entity(c) is None and (
            _is_item(c, sent) or lemma(c) in _CONTAINERS and _contents(c))]
    return out


def _as_well_as(verb: Token, sent: Sentence) -> list[Token]:
    """"sent technology to help it deploy satellites, as well as weapons such as tanks": the
    parser joins the item after "as well as" to a noun inside the purpose clause."""
    doc = verb.doc
    out = []
    for clause in verb.children:
        if clause.dep_ not in ("advcl", "xcomp", "ccomp") or clause.i < verb.i:
            continue
        for c in clause.subtree:
            if c.dep_ in ("conj", "dobj") and c.pos_ == "NOUN" and c.i >= 2 and doc[c.i - 1].lower_ == "as" \
                    and doc[c.i - 2].lower_ == "well" \
                    and sent.mentions.entity(c) is None and (_is_item(c, sent) or pobjs(c, "as")):
                out.append(c)
    return out


_HOLDING = {"hold", "contain", "carry", "load", "fill", "pack", "store", "include"}
_RELATIVE = {"which", "that"}


def _contents(container: Token) -> list[Token]:
    """"containers holding artillery rounds", "wagons loaded with shells", "cargo, which
    included shells": what a container carries, from a participle or relative clause that
    modifies it. The parser often hangs a trailing "which could contain ..." on the last noun
    of the clause ("shipped containers to Russia, which could contain shells"); a relative
    clause of holding whose own head holds nothing is read as the container's."""
    clauses = [c for c in container.children if c.dep_ in ("acl", "relcl")]
    clause_root = container
    while clause_root.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "xcomp") and clause_root.head.i != clause_root.i:
        clause_root = clause_root.head
    clauses += [t for t in clause_root.subtree if t.dep_ == "relcl" and t.i > container.i and t.head.i > container.i
                and lemma(t.head) not in _CONTAINERS and any(
                    c.dep_ == "nsubj" and c.lower_ in _RELATIVE for c in t.children)]
    out = []
    for c in clauses:
        if lemma(c) in _HOLDING:
            out += [o for d in c.children if d.dep_ == "dobj" for o in conjuncts(d)]
            out += pobjs(c, "with")
    return out


_VAGUE_HELP = {"support", "help", "assistance", "aid", "resource", "material", "good", "product"}


def _is_item(noun: Token, sent: Sentence) -> bool:
    lex = lexicon()
    lem = lemma(noun)
    mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "det", "compound", "nmod")}
    if mods & {"other", "further"} and (lem in _VAGUE_HELP or lem not in lex.weapons):
        return False  # "other resources", "further support": not a thing that moves ("other equipment" is)
    if lem in _VAGUE_HELP and not mods - {"the", "a", "an", "some", "any", "more", "its", "their"}:
        return False  # bare "support", "aid"
    if lem in lex.personnel and lem not in lex.items:
        return False
    if lem in lex.items or noun.lower_ in lex.items:
        return True
    # "KN-23s", "Hwasong-11": a named weapon, or a noun with a weapon word in its compound
    return any(lemma(c) in lex.weapons for c in noun.children if c.dep_ in ("compound", "amod"))


def _entity(tok: Token | None, sent: Sentence):
    if tok is None:
        return None
    if tok.pos_ == "PRON":
        return _antecedent(tok, sent)
    e = sent.mentions.entity(tok)
    return as_state(e) if e is not None else None


def _antecedent(tok: Token, sent: Sentence):
    """"It has also sent ...": the last state or body that was a subject, else the nearest."""
    kinds = ("State", "GovernmentBody", "ArmedForce")
    nearest = None
    for m in reversed(sent.mentions.items):
        if m.end > tok.i or m.kind not in kinds:
            continue
        nearest = nearest or m
        if tok.doc[m.end - 1].dep_ in ("nsubj", "nsubjpass"):
            return as_state(m.entity)
    return as_state(nearest.entity) if nearest else None


def _frames(items, giver, recipient, trigger, sent) -> list[Frame]:
    out = []
    for noun, qty in items:
        g = giver or sent.mentions.owner(noun)
        r = recipient
        if g is None and r is None:
            g, r = _default_sides(noun, sent)
        if g is None:
            g = other_side(state_of(r))
        if r is None or state_of(r) == state_of(g):
            r = other_side(state_of(g)) if state_of(r) == state_of(g) or r is None else r
        if g is None:
            continue
        if state_of(g) == "North Korea" and state_of(r) == "Ukraine":
            r = other_side("North Korea")  # "sent shells to the Ukrainian front": to Russia's forces there
        if {state_of(g), state_of(r)} != {"North Korea", "Russia"}:  # a third party's trade is not the cooperation
            continue
        for item in _kinds(noun, sent):
            out.append(Frame("transfer", trigger, actor=g, target=r, item=item, quantity=qty))
    return out


def _kinds(noun: Token, sent: Sentence) -> list[str]:
    """The item, once per coordinated modifier: "nuclear and missile technology" is nuclear
    technology and missile technology."""
    phrase = noun_phrase(noun, mentions=sent.mentions)
    for mod in noun.children:
        if mod.dep_ not in ("amod", "compound") or mod.i > noun.i:
            continue
        others = [c for c in mod.children if c.dep_ == "conj" and c.i < noun.i and c.pos_ in ("ADJ", "NOUN", "PROPN")]
        kinds = [mod, *others]
        if others and any(c.dep_ == "cc" for c in mod.children) and any(
                m.pos_ in ("NOUN", "PROPN") for m in kinds):  # not "constant and strong support"
            return [f"{m.text} {noun.text}" for m in kinds]
    return [phrase]


def _default_sides(noun: Token, sent: Sentence):
    """Neither side named in the clause: the sides the sentence names, North Korea first."""
    states = {state_of(m.entity) for m in sent.mentions.in_span(sent.span.start, sent.span.end)} \
        & {"North Korea", "Russia"}  # a third side (the one who says so) is neither
    nk, ru = other_side("Russia"), other_side("North Korea")
    if "North Korea" in states or not states and (sent.context_nk or sent.nk):
        return nk, ru
    if "Russia" in states:
        return ru, nk
    return None, None


# -- frames ---------------------------------------------------------------------------------

_FITTING = {"equip", "outfit"}
_HELPING = {"help", "assist"}


def _give(verb: Token, sent: Sentence) -> list[Frame]:
    passive = is_passive(verb)
    heads = objects(verb)
    recipient_tok = None
    if passive:
        subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
        heads = (conjuncts(subj[0]) if subj else []) + heads
        giver_tok = agent(verb)
    else:
        giver_tok = subject(verb)
        if verb.dep_ in ("relcl", "acl") and is_passive(verb):
            giver_tok = agent(verb)
    if lemma(verb) in _FITTING and not any(sent.mentions.entity(h, depth=0) is not None or lemma(h) in lexicon().personnel
                                         for h in heads):
        return []  # "the system is equipped with radar": what a thing has, not what was given
    with_items = pobjs(verb, "with")
    if lemma(verb) in _HELPING and not with_items:
        return []  # "help the North build satellites": what was given is not named
    if with_items:  # "supplied Russia with shells"
        for h in list(heads):
            if sent.mentions.entity(h) is not None and not _is_item(h, sent):
                recipient_tok = h
                heads.remove(h)
        heads += with_items
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):  # "the shells sent to Russia"
        heads.append(verb.head)
    heads += [h for h in _after_recipient(verb, sent) if h not in heads]
    heads += [h for h in _as_well_as(verb, sent) if h not in heads]
    # "supplied Russia with 20,000 containers of goods since 2023, including shells and missiles":
    # the list hung on the verb
    for prep in verb.subtree:  # (or on the date before it: "since March 2024, including ...")
        if prep.dep_ == "prep" and prep.lower_ == "including" and (
                prep.head.i == verb.i or prep.head.ent_type_ in ("DATE", "TIME")):
            heads += [h for h in pobjs(prep.head, "including") if h not in heads]
    items = _items(heads, sent)
    if not items:
        return []
    recips = [t for t in pobjs(verb, "to", "for", "into") if sent.mentions.entity(t) is not None]
    recips += [t for t in datives(verb) if sent.mentions.entity(t) is not None]
    if recipient_tok is None and recips:
        recipient_tok = recips[0]
    if lemma(verb) == "deploy" and recipient_tok is None:
        # "deploy" moves goods only when it says where to, or when the goods are the other
        # side's ("North Korea deployed the Russian-made Pantsir")
        return _use(verb, sent)
    giver = _entity(giver_tok, sent)
    if giver is None and verb.dep_ == "pcomp" and verb.head.lower_ == "by":
        giver = _entity(subject(verb.head.head), sent)  # "Russia supported it by providing data"
    if giver is None and verb.dep_ == "pcomp":  # "accused North Korea of transferring weapons"
        above = verb.head.head
        objs = [c for c in above.children if c.dep_ == "dobj" and not c.lower_.endswith(("self", "selves"))]
        # "limited itself to supplying Russia with weapons": the reflexive is the subject
        giver = _entity(objs[0] if objs else subject(above), sent)
    src = [t for t in pobjs(verb, "from") + [p for noun, _ in items for p in pobjs(noun, "from")]
           if sent.mentions.entity(t) is not None]
    source = _entity(src[0], sent) if src else None
    if giver is None and source is None and recipient_tok is None and verb.dep_ in ("acl", "amod") \
            and sent.mentions.owner(verb.head) is None:
        return []  # "the shells supplied have played a role": whose, to whom, is not said
    if giver is None:
        giver = source
    elif source is not None and state_of(source) not in (None, state_of(giver)) \
            and (recipient_tok is None or state_of(_entity(recipient_tok, sent)) == state_of(giver)):
        # "the North has transferred a Pantsir from Russia": the subject brought it in
        return _frames(items, source, giver, verb, sent)
    return _frames(items, giver, _entity(recipient_tok, sent), verb, sent)


def _receive(verb: Token, sent: Sentence) -> list[Frame]:
    items = _items(objects(verb), sent)
    if not items:
        return []
    recipient = _entity(subject(verb), sent)
    src = [t for t in pobjs(verb, "from") if sent.mentions.entity(t) is not None]
    giver = _entity(src[0], sent) if src else None
    return _frames(items, giver, recipient, verb, sent)


def _use(verb: Token, sent: Sentence) -> list[Frame]:
    """Only the other side's weapons count: the maker must be named on the item."""
    passive = is_passive(verb)
    if passive:
        subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
        heads = conjuncts(subj[0]) if subj else []
        if verb.dep_ == "relcl" and subj and subj[0].lower_ in ("that", "which"):
            heads = [verb.head]  # "missiles that were fired by Russia"
        user = _entity(agent(verb), sent)
    else:
        heads = objects(verb)
        user = _entity(subject(verb), sent)
    out = []
    for noun, qty in _items(heads, sent):
        if lemma(noun) not in lexicon().weapons:
            continue
        maker = sent.mentions.owner(noun) or _made_by(verb, sent)
        if maker is None and noun.dep_ == "conj":  # "Russian equipment and ammunition"
            maker = sent.mentions.owner(noun.head)
        if maker is None or (user is not None and state_of(maker) == state_of(user)):
            continue
        out += _frames([(noun, qty)], maker, user or other_side(state_of(maker)), verb, sent)
    return out


def _made_by(verb: Token, sent: Sentence):
    """"missiles fired by Russia ... as North Korean-made": the maker in a "made" phrase of the
    verb rather than on the item."""
    for c in verb.children:
        if c.dep_ in ("advcl", "oprd", "acomp", "xcomp") and lemma(c) == "make":
            for g in c.children:
                m = sent.mentions.of(g)
                if m is not None and g.i < c.i:
                    return as_state(m.entity)
    return None


_TAKING_NOUNS = {"use", "procurement", "acquisition", "purchase", "import"}
_AGENT_NOUNS = {"supplier", "provider", "exporter", "source", "seller", "vendor"}


def _noun(noun: Token, sent: Sentence) -> list[Frame]:
    heads = pobjs(noun, "of")
    if lemma(noun) in _AGENT_NOUNS:
        # "North Korea has become Moscow's leading supplier of shells": the subject gives
        heads += [c for c in noun.children if c.dep_ == "compound" and _is_item(c, sent)]
        items = _items(heads, sent)
        head = noun.head
        if head.pos_ == "ADP" and head.lower_ == "as":  # "has emerged as Russia's main supplier"
            head = head.head
        giver = _entity(subject(head), sent) if head.pos_ in ("VERB", "AUX") else None
        recipient = sent.mentions.owner(noun)
        return _frames(items, giver, recipient, noun, sent) if items and giver is not None else []
    heads += [c for c in noun.children if c.dep_ == "compound" and _is_item(c, sent)]
    items = _items(heads, sent)
    if not items:
        return []
    if lemma(noun) in _TAKING_NOUNS:
        # "Russia's use of North Korean missiles": the maker gives, the owner of the noun takes
        out = []
        for item, qty in items:
            maker = sent.mentions.owner(item)
            if maker is None:
                continue
            taker = sent.mentions.owner(noun)
            out += _frames([(item, qty)], maker, taker if state_of(taker) != state_of(maker) else None, noun, sent)
        return out
    giver = sent.mentions.owner(noun)
    if giver is None:
        src = [t for t in pobjs(noun, "from", "by") if sent.mentions.entity(t) is not None]
        giver = _entity(src[0], sent) if src else None
    recips = [t for t in pobjs(noun, "to", "for") if sent.mentions.entity(t) is not None]
    return _frames(items, giver, _entity(recips[0], sent) if recips else None, noun, sent)


def _governed_by_trigger(noun: Token) -> bool:
    lex = lexicon()
    head = noun.head
    return head.i != noun.i and head.pos_ == "VERB" and lemma(head) in (lex.give_verbs | lex.receive_verbs)
