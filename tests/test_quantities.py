"""Quantities with their hedges (FORMAT.md qualifiers), one case per row."""

import pytest

from graph_service.extraction.quantities import find_quantities, number_value, parse_quantity

# text -> (qualifier, value, upper, unit); value None where the words give no number
CASES = [
    ("5.2 million rounds of 152mm artillery shells", "exact", 5_200_000, None, "rounds"),
    ("over 500 technical and medical support troops", "over", 500, None, "technical"),
    ("more than 20 soldiers", "over", 20, None, "soldiers"),
    ("at least 3,000 more of its troops", "at_least", 3000, None, "troops"),
    ("approximately 14,000 troops", "approximately", 14000, None, "troops"),
    ("around 400 of the North Korean troops", "approximately", 400, None, "troops"),
    ("nearly 16,000 soldiers", "approximately", 16000, None, "soldiers"),
    ("some 8,000 of them", "approximately", 8000, None, "them"),
    ("roughly 12 million rounds", "approximately", 12_000_000, None, "rounds"),
    ("as many as 5,000 more", "up_to", 5000, 5000, "more"),
    ("up to 100,000 troops", "up_to", 100_000, 100_000, "troops"),
    ("4 to 6 million shells", "range", 4_000_000, 6_000_000, "shells"),
    ("between 1,000 and 1,500 soldiers", "range", 1000, 1500, "soldiers"),
    ("dozens of short-range ballistic missiles", "vague", 24, None, "short-range"),
    ("hundreds of artillery pieces", "vague", 200, None, "artillery"),
    ("thousands of shipping containers", "vague", 2000, None, "shipping"),
    ("tens of thousands of shells", "vague", 20000, None, "shells"),
    ("several million shells", "vague", 2_000_000, None, "shells"),
    ("\u201chundreds\u201d of casualties", "vague", 200, None, "casualties"),
    ("a \u201csignificant amount\u201d of short-range ballistic missiles", "vague", None, None, "short-range"),
    ("a large number of North Korean soldiers", "vague", None, None, "soldiers"),
    ("six North Korean officers", "exact", 6, None, "officers"),
    ("three divisions", "exact", 3, None, "divisions"),
    ("twenty-five soldiers", "exact", 25, None, "soldiers"),
    ("handed over 120 Koksan guns", "exact", 120, None, "Koksan"),
    ("as much as 2 million tonnes", "up_to", 2_000_000, 2_000_000, "tonnes"),
    ("a thousand of their troops", "exact", 1000, None, "troops"),
    # two hedges in a row: the figure wins over the vague word before it
    ("as many as more than 5 million shells", "over", 5_000_000, None, "shells"),
]


@pytest.mark.parametrize("text,qualifier,value,upper,unit", CASES, ids=[c[0][:40] for c in CASES])
def test_quantity(text, qualifier, value, upper, unit):
    q = parse_quantity(text)
    assert q is not None, text
    assert q.qualifier == qualifier
    assert q.value == value
    assert q.upper == upper
    assert q.unit == unit
    assert q.text in text


# words that are not quantities
NOT_QUANTITIES = ["in 2023 the war", "one of the soldiers", "152mm artillery shells", "a 50% rise",
                  "KN-23 missiles", "the Su-27 jets", "T-72 tanks"]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_a_quantity(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("words,value", [("3,000", 3000), ("5.2 million", 5_200_000), ("three", 3),
                                         ("twenty-one", 21), ("1.5 billion", 1.5e9), ("nonsense", None)])
def test_number_value(words, value):
    assert number_value(words) == value


def test_offsets_point_at_the_words():
    text = "Seoul said about 13,000 containers left."
    (m,) = find_quantities(text)
    assert text[m.start:m.end] == "about 13,000"
