"""Entity mentions: reference entities from ontology/entities.ttl, new people from titles
and roles, anonymous sources, and short forms within an article."""

import pytest

from graph_service.gazetteer import gazetteer
from graph_service.iris import entity_iri
from graph_service.mentions import find_mentions

# text, words as written -> (label, kind)
KNOWN = [
    ("The DPRK sent shells.", "DPRK", "North Korea", "State"),
    ("The North denied it.", "The North", "North Korea", "State"),
    ("N. Korea sent troops.", "N. Korea", "North Korea", "State"),
    ("Pyongyang dispatched missiles.", "Pyongyang", "North Korea", "State"),
    ("a gala concert in Pyongyang on Monday", "Pyongyang", "Pyongyang", "City"),
    ("the Kremlin said", "the Kremlin", "Russia", "State"),
    ("troops in Russia's Kursk region", "Kursk region", "Kursk Oblast", "Region"),
    ("to Russian-occupied territories in Ukraine", "Russian-occupied territories in Ukraine",
     "Russian-occupied Ukraine", "OccupiedTerritory"),
    ("Kim Jong-un signed it", "Kim Jong-un", "Kim Jong Un", "Person"),
    ("the Washington Post reported", "the Washington Post", "The Washington Post", "NewsOutlet"),
    ("according to the U.S. State Department", "U.S. State Department", "U.S. Department of State", "GovernmentBody"),
    ("Ukraine's military intelligence said", "Ukraine's military intelligence",
     "Main Intelligence Directorate of Ukraine", "IntelligenceAgency"),
    ("the US and its allies", "US", "United States", "State"),
]


@pytest.mark.parametrize("text,words,label,kind", KNOWN, ids=[k[1] for k in KNOWN])
def test_reference_entities(text, words, label, kind):
    found = {m.text: m for m in find_mentions(text)}
    assert words in found, sorted(found)
    assert found[words].entity.label == label
    assert found[words].kind == kind
    assert found[words].entity.iri == entity_iri(label)


def test_lowercase_us_is_not_the_united_states():
    assert not [m for m in find_mentions("Let us see what they send.") if m.entity.label == "United States"]


# new people: text -> (name, role, affiliation label)
PEOPLE = [
    ("South Korean lawmaker Yoo Yong-won said", "Yoo Yong-won", "South Korean lawmaker", "South Korea"),
    ("Commander-in-Chief Oleksandr Petrenko said", "Oleksandr Petrenko", "Commander-in-Chief", None),
    ("Pentagon press secretary General Pat Ryder expressed", "Pat Ryder", "Pentagon press secretary General",
     "U.S. Department of Defense"),
    ("Russia's ambassador to Pyongyang Alexander Matsegora said", "Alexander Matsegora",
     "Russia's ambassador to Pyongyang", "Russia"),
    ("Chang Ho-jin, South Korean National Security Advisor, told reporters", "Chang Ho-jin",
     "South Korean National Security Advisor", "South Korea"),
    ("Ilya Ponomarev, a former Russian member of parliament told the paper", "Ilya Ponomarev",
     "former Russian member of parliament", "Russia"),
    ("British Foreign Secretary David Lammy said", "David Lammy", "British Foreign Secretary", None),
]


@pytest.mark.parametrize("text,name,role,affiliation", PEOPLE, ids=[p[1] for p in PEOPLE])
def test_new_people(text, name, role, affiliation):
    people = [m for m in find_mentions(text) if m.kind == "Person"]
    assert people, text
    person = people[0].entity
    assert person.label == name
    assert person.role == role
    assert (person.affiliation.label if person.affiliation else None) == affiliation


# anonymous sources: text -> (label, affiliation)
SOURCES = [
    ("a government official told TV Chosun", "a government official", None),
    ("a South Korean government official said", "a South Korean government official", "South Korea"),
    ("South Korean officials indicated", "South Korean officials", "South Korea"),
    ("according to U.S. officials", "U.S. officials", "United States"),
    ("Ukrainian intelligence sources told the paper", "Ukrainian intelligence sources",
     "Main Intelligence Directorate of Ukraine"),
    ("Ukrainian authorities reported", "Ukrainian authorities", "Ukraine"),
    ("A spokesperson for the State Department remarked", "a spokesperson for the State Department",
     "U.S. Department of State"),
]


@pytest.mark.parametrize("text,label,affiliation", SOURCES, ids=[s[1] for s in SOURCES])
def test_anonymous_sources(text, label, affiliation):
    found = [m for m in find_mentions(text) if m.kind == "AnonymousSource"]
    assert [m.entity.label for m in found] == [label]
    aff = found[0].entity.affiliation
    assert (aff.label if aff else None) == affiliation


def test_not_a_source():
    assert not [m for m in find_mentions("North Korea's official name is the DPRK.") if m.kind == "AnonymousSource"]


# short forms resolve to the latest full name with that surname
SHORT = [
    ("Pentagon press secretary General Pat Ryder spoke. Later Ryder said more.", "Ryder", "Pat Ryder"),
    ("Kim Jong Un spoke. KCNA quoted Kim as saying so.", "Kim", "Kim Jong Un"),
    ("Defense Minister Kim Yong-hyun spoke. Then Kim Yong-hyun added more.", "Kim Yong-hyun", "Kim Yong-hyun"),
    ("Russian envoy Alexander Matsegora spoke. Matsegora told the outlet.", "Matsegora", "Alexander Matsegora"),
]


@pytest.mark.parametrize("text,words,label", SHORT, ids=[s[1] for s in SHORT])
def test_short_forms(text, words, label):
    later = [m for m in find_mentions(text) if m.text == words and m.start > text.index(".")]
    assert later and later[0].entity.label == label


def test_gazetteer_comes_from_the_turtle_file():
    gaz = gazetteer()
    nk = gaz.get("North Korea")
    assert nk.kind == "State" and "DPRK" in nk.aliases
    assert gaz.get("Kursk Oblast").part_of == "Russia"
    assert gaz.state_of("Pyongyang") == "North Korea"
