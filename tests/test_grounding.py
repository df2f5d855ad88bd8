"""The grounding gate's rules, one at a time (graph_service/extraction/grounding.py): each case
is a record a model might propose for one article, and the verdict the gate must give."""

from __future__ import annotations

import pytest

from graph_service.articles import article_from_text
from graph_service.extraction import grounding as gate_module
from graph_service.extraction.grounding import Gate, NormalText, normalise
from graph_service.extraction.llm import extractor
from graph_service.extraction.model import parse

# Written for these tests. Curly quotes, an en dash and a line break are on purpose.
TEXT = ("North Korea has sent about 10,000 troops to Russia\u2019s Kursk region, South Korea\u2019s "
        "National Intelligence Service said on Thursday.\n\n"
        "Ukrainian officials said at least 3,000 North Korean soldiers were killed or wounded in January. "
        "Moscow also received 5.2 million artillery shells from Pyongyang last year, a South Korean "
        "lawmaker told Yonhap.\n"
        "The North Korean shipments \u2013 mostly 152mm rounds \u2013 continued\n  into the spring, the lawmaker said.")
PUBLISHED = "2025-02-13"


@pytest.fixture(scope="module")
def gate() -> Gate:
    article = article_from_text(TEXT, meta={"published": PUBLISHED})
    return Gate(article, parse(article.text), extractor("scripted"))


def record(**fields) -> dict:
    base = {"type": "deployment", "actor": "North Korea", "target": None, "item": None, "quantity": None,
            "counts": None, "status": "reported", "event_time": None, "claimed_by": None, "via": None}
    return {**base, **fields}


DEPLOY = "North Korea has sent about 10,000 troops to Russia's Kursk region"
CASUALTIES = "at least 3,000 North Korean soldiers were killed or wounded in January"
TRANSFER = "Moscow also received 5.2 million artillery shells from Pyongyang last year"

# (id, record, reason the gate must give, or None when it must accept)
CASES = [
    ("accepted", record(quote=DEPLOY, target="Kursk Oblast", item="troops",
                        quantity={"value": 10000, "qualifier": "exact"},
                        claimed_by="National Intelligence Service"), None),
    ("alias-of-actor", record(quote=DEPLOY, actor="DPRK", target="Russia"), None),
    ("not-an-object", ["deployment", DEPLOY], gate_module.NOT_A_RECORD),
    ("unknown-type", record(type="alliance", quote=DEPLOY), gate_module.UNKNOWN_TYPE),
    ("no-quote", record(quote="  "), gate_module.NO_QUOTE),
    ("hallucinated-quote", record(quote="North Korea has sent 12,000 troops to Kursk"),
     gate_module.QUOTE_NOT_FOUND),
    ("quote-not-verbatim", record(quote="North Korea sent about 10,000 troops to Russia's Kursk region"),
     gate_module.QUOTE_NOT_FOUND),
    ("actor-not-in-text", record(quote=DEPLOY, actor="China"), gate_module.ACTOR_NOT_IN_QUOTE),
    ("actor-elsewhere-in-article", record(type="transfer", quote="5.2 million artillery shells from Pyongyang",
                                          actor="North Korea", target="Russia"),
     gate_module.TARGET_NOT_IN_QUOTE),
    ("target-not-in-quote", record(quote=DEPLOY, target="Ukraine"), gate_module.TARGET_NOT_IN_QUOTE),
    ("number-not-in-quote", record(quote=DEPLOY, quantity={"value": 12000, "qualifier": "exact"}),
     gate_module.NUMBER_NOT_IN_QUOTE),
    ("vague-words-not-in-quote", record(quote=DEPLOY, quantity={"value": None, "qualifier": "vague",
                                                                "text": "thousands of"}),
     gate_module.NUMBER_NOT_IN_QUOTE),
    ("count-not-in-quote", record(type="casualties", quote=CASUALTIES, counts={"killed": 4700}),
     gate_module.COUNT_NOT_IN_QUOTE),
    ("count-in-quote", record(type="casualties", quote=CASUALTIES, counts={"killed_or_wounded": 3000},
                              claimed_by="Ukrainian officials"), None),
    ("claimer-not-in-context", record(quote=DEPLOY, claimed_by="the Pentagon"),
     gate_module.CLAIMER_NOT_IN_CONTEXT),
    ("outlet-not-in-context", record(quote=DEPLOY, via="Reuters"), gate_module.VIA_NOT_IN_CONTEXT),
    ("statement-speaker-in-attribution", record(type="statement", actor="the lawmaker",
                                                quote="continued into the spring"), None),
    ("statement-speaker-not-in-text", record(type="statement", actor="Sergei Shoigu",
                                             quote="continued into the spring"), gate_module.ACTOR_NOT_IN_QUOTE),
    ("outlet-in-context", record(type="transfer", quote=TRANSFER, target="Russia", via="Yonhap",
                                 claimed_by="a South Korean lawmaker"), None),
]


@pytest.mark.parametrize("rec, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_verdict(gate, rec, reason):
    verdict = gate.check(rec)
    assert verdict.reason == reason, verdict.detail
    assert verdict.accepted is (reason is None)


def test_quote_and_offsets_are_the_article_s_own_characters(gate):
    # the model straightened the quotes and dash and joined the broken line
    verdict = gate.check(record(type="transfer", actor="North Korea",
                                quote="The North Korean shipments - mostly 152mm rounds - continued into the spring"))
    claim = verdict.claim
    assert claim is not None, verdict.reason
    assert claim.quote == TEXT[claim.start:claim.end]
    assert "\u2013" in claim.quote and "\n  into" in claim.quote
    assert claim.quote.startswith("The North Korean shipments") and claim.quote.endswith("the spring")


def test_curly_quotes_in_the_model_s_copy_are_found(gate):
    verdict = gate.check(record(quote=DEPLOY.replace("'", "\u2019")))
    assert verdict.accepted
    assert verdict.claim.quote == TEXT[verdict.claim.start:verdict.claim.end]


def test_numbers_are_read_again_from_the_quote(gate):
    # the model said "exact"; the quote says "about"
    claim = gate.check(record(quote=DEPLOY, quantity={"value": 10000, "qualifier": "exact", "upper": None})).claim
    assert claim.quantity.qualifier == "approximately"
    assert claim.quantity.text == "about 10,000"


def test_dates_come_from_the_quote_not_from_the_model(gate):
    claim = gate.check(record(type="casualties", quote=CASUALTIES, counts={"killed_or_wounded": 3000},
                              event_time="2023-05")).claim
    assert claim.event_time.normalized == "2025-01"   # "in January", published 2025-02-13
    assert claim.event_time.anchor.isoformat() == PUBLISHED
    claim = gate.check(record(type="deployment", quote=DEPLOY, event_time="2024-10")).claim
    assert claim.event_time is None                    # the quote names no time


def test_an_item_the_quote_does_not_hold_is_dropped(gate):
    verdict = gate.check(record(quote=DEPLOY, item="special forces"))
    assert verdict.accepted and verdict.claim.item is None
    assert verdict.notes and "special forces" in verdict.notes[0]


def test_entities_resolve_to_reference_iris(gate):
    claim = gate.check(record(type="transfer", quote=TRANSFER, actor="Pyongyang", target="Moscow")).claim
    assert claim.actor.iri.endswith("/north-korea") and claim.target.iri.endswith("/russia")


def test_claims_name_the_model():
    e = extractor("qwen2.5-3b-instruct")
    assert (e.name, e.model) == ("llm", "qwen2.5-3b-instruct")
    assert e.iri() != extractor("llama3.2").iri()


def test_normal_text_maps_back_to_offsets():
    text = "a \u201cb\u201d\n\n  c\u2014d"
    normal = NormalText(text)
    assert normal.text == 'a "b" c-d'
    start, end = normal.find('"b" c-d')
    assert text[start:end] == "\u201cb\u201d\n\n  c\u2014d"
    assert normalise("  x\u2019s \u2013 y ") == "x's - y"
    assert normal.find("b c") is None
