"""Synthetic news articles about North Korea–Russia military cooperation, with their claims.

Each article is text built from sentence templates plus the ``Claim`` objects an ideal
extractor would find in it (exact quotes and offsets, hedged quantities, resolved time specs,
claimers and the outlets a claim came through). Reference entities are those of
``ontology/entities.ttl``; new people and anonymous sources are minted per article, as the
loaders do. Several articles report the same underlying event with different figures, so the
graph has corroboration and conflicting estimates like real coverage.

Deterministic: article ``i`` of seed ``s`` is always the same.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from graph_service import iris
from graph_service.articles import Article
from graph_service.claims import Claim, Entity, Quantity, TimeSpec


def ref(label: str, kind: str) -> Entity:
    return Entity(label=label, kind=kind, iri=iris.entity_iri(label), text=label)


STATES = {k: ref(k, "State") for k in ("North Korea", "Russia", "Ukraine", "South Korea",
                                          "United States", "China", "Japan", "Iran")}
NK, RU = STATES["North Korea"], STATES["Russia"]
PLACES = [ref(p, "Region") for p in ("Kursk Oblast", "Donetsk Oblast", "Luhansk Oblast",
                                      "Zaporizhzhia Oblast", "Kherson Oblast", "Belgorod Oblast",
                                      "Bryansk Oblast", "Russian Far East")] + [
    ref("Russian-occupied Ukraine", "OccupiedTerritory"), ref("Vladivostok", "City"),
    ref("Rason", "City"), ref("Moscow", "City")]
CITIES = [ref(c, "City") for c in ("Pyongyang", "Moscow", "Vladivostok")] + [
    ref("Vostochny Cosmodrome", "Place")]
OUTLETS = [ref(o, "NewsOutlet") for o in (
    "Yonhap", "TV Chosun", "Reuters", "NK News", "Korea Herald", "Korea Times", "Chosun Ilbo",
    "Kyiv Independent", "Associated Press", "Agence France-Presse", "BBC", "CNN", "Daily NK",
    "The Guardian", "The New York Times", "Voice of America", "Radio Free Asia", "TASS",
    "Korean Central News Agency", "Ukrainska Pravda", "Bloomberg", "Financial Times")]
AGENCIES = [ref("National Intelligence Service", "IntelligenceAgency"),
            ref("Main Intelligence Directorate of Ukraine", "IntelligenceAgency"),
            ref("Joint Chiefs of Staff", "GovernmentBody"),
            ref("Ministry of National Defense", "GovernmentBody"),
            ref("United States Department of Defense", "GovernmentBody"),
            ref("General Staff of the Armed Forces of Ukraine", "GovernmentBody"),
            ref("Russian Ministry of Defence", "GovernmentBody")]
PEOPLE = [ref(p, "Person") for p in (
    "Kim Jong Un", "Vladimir Putin", "Sergei Shoigu", "Andrei Belousov", "Choe Son Hui",
    "Sergei Lavrov", "Volodymyr Zelenskyy", "Kyrylo Budanov", "Antony Blinken", "Lloyd Austin",
    "Dmitry Peskov", "Maria Zakharova", "Kim Yo Jong", "Pak Jong Chon", "Yoon Suk Yeol")]
TREATY = ref("Treaty on Comprehensive Strategic Partnership", "Treaty")
ANONYMOUS = [("a government official", "South Korea"), ("a military source", "Ukraine"),
             ("a senior US official", "United States"), ("intelligence officials", "South Korea"),
             ("a lawmaker briefed by the spy agency", "South Korea"),
             ("a Ukrainian commander", "Ukraine"), ("diplomatic sources", "Japan")]
NEW_PEOPLE_GIVEN = ("Kim", "Ri", "Pak", "Choe", "Jong", "Han", "Ko", "Son", "Ryu", "Yun")
NEW_PEOPLE_NAMES = ("Myong-chol", "Yong-sik", "Chol-ho", "Song-il", "Kwang-jin", "Hyon-u",
                    "Tae-song", "Un-hui", "Jin-hyok", "Sok-chol", "Ok-sun", "Ryong-nam")
ROLES = ("lawmaker", "military analyst", "defense ministry spokesperson", "researcher at a "
         "Seoul think tank", "battalion commander", "former diplomat", "border guard officer")

PERSONNEL = ("troops", "soldiers", "special forces troops", "technical and medical support "
             "troops", "military engineers", "construction workers", "artillery crews",
             "officers", "Storm Corps soldiers")
MATERIEL = (("artillery shells", "rounds"), ("KN-23 ballistic missiles", "missiles"),
            ("containers of munitions", "containers"), ("self-propelled howitzers", "guns"),
            ("multiple rocket launchers", "launchers"), ("anti-tank missiles", "missiles"),
            ("rounds of 122mm ammunition", "rounds"), ("Koksan artillery systems", "guns"))
GISTS = ("would deepen military cooperation", "was a legitimate exercise of sovereignty",
         "violated United Nations Security Council resolutions", "posed a threat to regional "
         "security", "would not change the course of the war", "was based on the treaty")
FILLER = (
    "The Kremlin has not commented on the reports.",
    "Pyongyang has repeatedly denied sending weapons or personnel to Russia.",
    "Analysts say the cooperation gives North Korea access to combat experience and cash.",
    "The claims could not be independently verified.",
    "Satellite imagery reviewed by researchers showed increased rail traffic near the border.",
    "Seoul has said it is considering a range of responses.",
    "The United Nations sanctions panel was disbanded earlier after a Russian veto.",
    "Ukraine has called on its allies to respond to the escalation.",
    "Officials in Washington described the development as deeply concerning.",
    "State media in North Korea did not mention the deployment.",
)
STATUSES = ("reported",) * 6 + ("confirmed",) * 2 + ("planned", "denied", "possible")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True)
class EventKey:
    """An underlying real-world event: several articles may report it, each its own way."""

    type: str
    actor: Entity
    target: Entity | None
    item: str | None
    year: int
    month: int
    size: int       # the 'true' figure that reports scatter around
    unit: str | None


def anonymous(rng: random.Random) -> Entity:
    label, state = rng.choice(ANONYMOUS)
    return Entity(label=label, kind="AnonymousSource", affiliation=STATES[state], text=label)


def new_person(rng: random.Random) -> Entity:
    name = f"{rng.choice(NEW_PEOPLE_GIVEN)} {rng.choice(NEW_PEOPLE_NAMES)}"
    return Entity(label=name, kind="Person", role=rng.choice(ROLES),
                  affiliation=STATES[rng.choice(("South Korea", "Ukraine", "United States"))],
                  text=name)


def claimer(rng: random.Random) -> Entity | None:
    r = rng.random()
    if r < 0.35:
        return anonymous(rng)
    if r < 0.6:
        return rng.choice(AGENCIES)
    if r < 0.8:
        return rng.choice(PEOPLE)
    if r < 0.9:
        return new_person(rng)
    return None


def quantity(rng: random.Random, size: int, unit: str | None) -> Quantity:
    """A figure as a reporter would write it: hedged, rounded, sometimes a range or vague."""
    v = max(1, int(size * rng.uniform(0.6, 1.5)))
    v = round(v, -(len(str(v)) - 2)) if v >= 100 else v
    hedge = rng.choice(("exact", "over", "approximately", "at_least", "up_to", "range", "vague"))
    if hedge == "range":
        hi = round(int(v * rng.uniform(1.1, 1.6)), -(len(str(v)) - 2)) if v >= 100 else v + 5
        return Quantity(f"between {v:,} and {hi:,}", "range", value=v, lower=v, upper=hi,
                        unit=unit)
    if hedge == "vague":
        word, low = next(w for w in (("tens of thousands of", 20000), ("thousands of", 2000),
                                     ("hundreds of", 200), ("dozens of", 24))
                         if w[1] <= max(size, 24))
        return Quantity(word, "vague", value=low, lower=low, unit=unit)
    prefix = {"exact": "", "over": "over ", "approximately": "about ", "at_least": "at least ",
              "up_to": "up to "}[hedge]
    lower = v if hedge in ("over", "at_least", "exact") else None
    upper = v if hedge in ("up_to", "exact") else None
    return Quantity(f"{prefix}{v:,}", hedge, value=v, lower=lower, upper=upper, unit=unit)


def time_spec(rng: random.Random, key: EventKey, published: dt.date) -> tuple[str, TimeSpec]:
    """' in October 2024' and its resolution against the publication date."""
    first = dt.date(key.year, key.month, 1)
    last = (dt.date(key.year + key.month // 12, key.month % 12 + 1, 1) - dt.timedelta(days=1))
    style = rng.random()
    if style < 0.5:
        text = f"in {MONTHS[key.month - 1]} {key.year}"
        return " " + text, TimeSpec(text, f"{key.year}-{key.month:02d}", first, last,
                                    "month-year", published)
    if style < 0.75:
        day = rng.randint(1, last.day)
        when = dt.date(key.year, key.month, day)
        text = f"on {MONTHS[key.month - 1]} {day}"
        return " " + text, TimeSpec(text, when.isoformat(), when, when, "month-day+anchor-year",
                                    published)
    if style < 0.9:
        text = f"since {MONTHS[key.month - 1]}"
        return " " + text, TimeSpec(text, f"{key.year}-{key.month:02d}/", first, None,
                                    "since-month", published)
    text = "earlier this year" if key.year == published.year else "last year"
    y = key.year
    return " " + text, TimeSpec(text, str(y), dt.date(y, 1, 1), dt.date(y, 12, 31),
                                "relative-year", published)


def event_pool(rng: random.Random, n: int) -> list[EventKey]:
    """``n`` underlying events, spread over 2023–2025."""
    pool = []
    for _ in range(n):
        kind = rng.choices(("deployment", "transfer", "casualties", "statement", "meeting",
                            "treaty"), weights=(30, 25, 15, 15, 10, 5))[0]
        year, month = rng.choice((2023, 2024, 2024, 2025)), rng.randint(1, 12)
        if kind == "deployment":
            key = EventKey(kind, NK, rng.choice(PLACES), rng.choice(PERSONNEL), year, month,
                           rng.choice((500, 3000, 10000, 12000, 15000, 30000)), "troops")
        elif kind == "transfer":
            item, unit = rng.choice(MATERIEL)
            key = EventKey(kind, NK, RU, item, year, month,
                           rng.choice((50, 200, 1000, 20000, 3_000_000, 5_000_000)), unit)
        elif kind == "casualties":
            key = EventKey(kind, NK, rng.choice(PLACES[:3]), None, year, month,
                           rng.choice((100, 1000, 3000, 4000)), "soldiers")
        elif kind == "statement":
            key = EventKey(kind, rng.choice(PEOPLE), None, rng.choice(GISTS), year, month, 0, None)
        elif kind == "meeting":
            a, b = rng.sample(PEOPLE[:6], 2)
            key = EventKey(kind, a, b, None, year, month, 0, None)
        else:
            key = EventKey(kind, NK, RU, TREATY.label, 2024, 6, 0, None)
        pool.append(key)
    return pool


def _sentence(rng: random.Random, key: EventKey, q: Quantity | None, when: str,
              who: Entity | None, via: Entity | None) -> str:
    said = (f"{who.label} said" if who else "it was reported")
    told = f", {who.label} told {via.label}" if who and via else (
        f", according to {via.label}" if via else "")
    if key.type == "deployment":
        return rng.choice((
            f"North Korea has sent {q.text} {key.item} to {key.target.label}{when}{told}.",
            f"{_cap(said)} that {q.text} North Korean {key.item} "
            f"had been deployed to {key.target.label}{when}.",
        ))
    if key.type == "transfer":
        return rng.choice((
            f"North Korea has shipped {q.text} {key.item} to Russia{when}{told}.",
            f"{_cap(said)} that Pyongyang had supplied {q.text} {key.item} "
            f"to Moscow{when}.",
        ))
    if key.type == "casualties":
        return (f"{_cap(said)} that {q.text} North Korean soldiers had been "
                f"killed or wounded in {key.target.label}{when}.")
    if key.type == "statement":
        return f"{key.actor.label} said the cooperation with Moscow {key.item}{when}{told}."
    if key.type == "meeting":
        return f"{key.actor.label} met {key.target.label} in {rng.choice(CITIES).label}{when}{told}."
    return (f"Kim Jong Un and Vladimir Putin signed the {TREATY.label} in Pyongyang"
            f"{when}{told}.")


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def make_article(seed: int, i: int, pool: list[EventKey], *,
                 claims_range: tuple[int, int] = (4, 12)) -> tuple[Article, list[Claim]]:
    """Article ``i``: text, metadata, and the claims in it (quotes located exactly)."""
    article, claims, _ = make_article_with_events(seed, i, pool, claims_range=claims_range)
    return article, claims


def make_article_with_events(seed: int, i: int, pool: list[EventKey], *,
                             claims_range: tuple[int, int] = (4, 12)
                             ) -> tuple[Article, list[Claim], list[EventKey]]:
    """Article ``i`` and, for each claim, the underlying event it reports."""
    rng = random.Random(seed * 1_000_003 + i)
    outlet = rng.choice(OUTLETS)
    picked = [rng.choice(pool) for _ in range(rng.randint(*claims_range))]
    latest = max(dt.date(k.year, k.month, 28) for k in picked)
    published = latest + dt.timedelta(days=rng.randint(3, 90))  # coverage follows events
    parts: list[str] = []
    claims: list[Claim] = []
    offset = 0

    def add(text: str) -> int:
        nonlocal offset
        start = offset
        parts.append(text)
        offset += len(text)
        return start

    lead = picked[0]
    title = (f"{lead.actor.label} and {(lead.target or RU).label}: "
             f"{lead.type} reported in {MONTHS[lead.month - 1]} {lead.year} (#{i})")
    add(f"{title}\n\n{published:%A, %B %d, %Y}\n\n")
    for key in picked:
        who = claimer(rng)
        via = rng.choice(OUTLETS) if rng.random() < 0.4 else None
        q = quantity(rng, key.size, key.unit) if key.size else None
        when_text, when = time_spec(rng, key, published)
        sentence = _sentence(rng, key, q, when_text, who, via)
        start = add(sentence)
        add(" " + rng.choice(FILLER) + ("\n\n" if rng.random() < 0.4 else " "))
        claims.append(_claim(key, sentence, start, q, when, who, via, rng))
    text = "".join(parts)
    article = Article(text=text, name=f"synthetic-{seed}-{i:06d}", title=title,
                      outlet=outlet.label, author=f"{rng.choice(NEW_PEOPLE_GIVEN)} "
                      f"{rng.choice(NEW_PEOPLE_NAMES)}", published=published,
                      published_precision="day",
                      url=f"https://news.example.org/{published:%Y/%m}/{i}", language="en")
    return article, claims, picked


def _claim(key: EventKey, quote: str, start: int, q: Quantity | None, when: TimeSpec,
           who: Entity | None, via: Entity | None, rng: random.Random) -> Claim:
    common = dict(quote=quote, start=start, end=start + len(quote),
                  status=rng.choice(STATUSES), event_time=when, claimed_by=who,
                  via=(via,) if via else (), confidence=round(rng.uniform(0.5, 0.99), 2))
    if key.type == "casualties":
        return Claim(type="casualties", actor=key.actor, target=key.target,
                     counts={"killed_or_wounded": q}, **common)
    if key.type == "treaty":
        return Claim(type="treaty", actor=NK, target=RU, item=key.item, treaty=TREATY,
                     signatories=(PEOPLE[0], PEOPLE[1]), location=CITIES[0], **common)
    if key.type == "meeting":
        return Claim(type="meeting", actor=key.actor, target=key.target, **common)
    return Claim(type=key.type, actor=key.actor, target=key.target, item=key.item,
                 quantity=q, **common)


def article_meta(article: Article) -> dict:
    """The ``<stem>.json`` metadata the loaders read beside ``<stem>.txt``."""
    return {"title": article.title, "outlet": article.outlet, "author": article.author,
            "published": article.published.isoformat() if article.published else None,
            "published_precision": article.published_precision, "url": article.url,
            "language": article.language}
