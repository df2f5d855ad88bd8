"""Hand-built claims about seeds/000 (one of each type), for the rdfize, ontology and events tests.

Offsets are found in the article text, so the quotes are exact by construction.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import rdflib
from rdflib.namespace import RDFS

from graph_service.articles import Article, load_article
from graph_service.claims import Claim, Entity, Quantity, TimeSpec

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_696d3aaefba35527.txt"
ENTITY = "https://w3id.org/nkru/id/entity/"

NORTH_KOREA = Entity("North Korea", "State", iri=ENTITY + "north-korea")
RUSSIA = Entity("Russia", "State", iri=ENTITY + "russia")
KIM = Entity("Kim Jong Un", "Person", iri=ENTITY + "kim-jong-un")
PUTIN = Entity("Vladimir Putin", "Person", iri=ENTITY + "vladimir-putin")
PYONGYANG = Entity("Pyongyang", "City", iri=ENTITY + "pyongyang")
OCCUPIED = Entity("Russian-occupied Ukraine", "OccupiedTerritory")  # minted in the article
SOUTH_KOREA = Entity("South Korea", "State", iri=ENTITY + "south-korea")
OFFICIAL = Entity("a government official", "AnonymousSource", role="government official",
                  affiliation=SOUTH_KOREA)
TV_CHOSUN = Entity("TV Chosun", "NewsOutlet")
CHANG = Entity("Chang Ho-jin", "Person", role="South Korean National Security Advisor",
               affiliation=SOUTH_KOREA)
REFERENCE = (NORTH_KOREA, RUSSIA, KIM, PUTIN, PYONGYANG, SOUTH_KOREA)


def seed_article() -> Article:
    return load_article(SEED)


def labels() -> rdflib.Graph:
    """rdfs:label of the reference entities used here (what graph/entities would give)."""
    g = rdflib.Graph()
    for e in REFERENCE:
        g.add((rdflib.URIRef(e.iri), RDFS.label, rdflib.Literal(e.label)))
    return g


def claim(article: Article, quote: str, **fields) -> Claim:
    start = article.text.index(quote)
    return Claim(quote=quote, start=start, end=start + len(quote), **fields)


def seed_claims(article: Article) -> list[Claim]:
    published = article.published or dt.date(2024, 9, 19)
    return [
        claim(article, "North Korea has deployed over 500 technical and medical support troops "
                       "to Russian-occupied territories in Ukraine",
              type="deployment", actor=NORTH_KOREA, target=OCCUPIED, status="confirmed",
              item="technical and medical support troops",
              quantity=Quantity("over 500", "over", 500, lower=500, unit="troops"),
              event_time=TimeSpec("since before the North-Russia treaty",
                                  "before 2024-06-19 to 2024-09", None, dt.date(2024, 9, 19),
                                  "before-event+publication", published),
              claimed_by=OFFICIAL, via=(TV_CHOSUN,), confidence=0.9),
        claim(article, "President Vladimir Putin and Kim Jong-un signed the",
              type="treaty", actor=RUSSIA, target=NORTH_KOREA,
              item="Treaty on Comprehensive Strategic Partnership",
              signatories=(PUTIN, KIM), location=PYONGYANG,
              event_time=TimeSpec("in June", "2024-06-19", dt.date(2024, 6, 19),
                                  dt.date(2024, 6, 19), "explicit-date", published)),
        claim(article, "Russia’s President Vladimir Putin and North Korea’s leader Kim Jong Un "
                       "arrive for a gala concert in Pyongyang",
              type="meeting", actor=PUTIN, target=KIM, item="summit", location=PYONGYANG,
              event_time=TimeSpec("June 19, 2024", "2024-06-19", dt.date(2024, 6, 19),
                                  dt.date(2024, 6, 19), "explicit-date", published)),
        claim(article, "North Korea has supplied Russia with 5.2 million rounds of 152mm "
                       "artillery shells",
              type="transfer", actor=NORTH_KOREA, target=RUSSIA, item="152mm artillery shells",
              quantity=Quantity("5.2 million rounds", "exact", 5_200_000, unit="rounds"),
              claimed_by=Entity("South Korean government", "GovernmentBody")),
        claim(article, "dozens of short-range ballistic missiles",
              type="transfer", actor=NORTH_KOREA, target=RUSSIA,
              item="short-range ballistic missiles",
              quantity=Quantity("dozens of", "vague", 24, lower=24, upper=None)),
        claim(article, "the more weapons North Korea provides to Russia, the more they will "
                       "learn about North Korean weaponry",
              type="statement", actor=CHANG, target=RUSSIA,
              item="Russia learns North Korean weaponry from the weapons it receives",
              claimed_by=CHANG),
        claim(article, "severe flood damage in North Korea",
              type="casualties", actor=NORTH_KOREA,
              counts={"killed": Quantity("about 1,500", "approximately", 1500),
                      "missing": Quantity("4,000", "exact", 4000)}),
    ]
