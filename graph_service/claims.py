"""Claims: what one article says, before it becomes RDF.

A claim states one event or fact as one article reports it, with the exact quote and its
offsets, who asserts it, through which outlets, its status, and when the event happened.
``Claim.fact_record()`` gives the exchange format of ``eval/FORMAT.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import iris

EVENT_TYPES = ("deployment", "transfer", "treaty", "casualties", "statement", "meeting")
STATUSES = ("reported", "planned", "confirmed", "denied", "possible")
HEDGES = ("exact", "at_least", "over", "approximately", "up_to", "range", "vague")
COUNT_KINDS = ("killed", "wounded", "captured", "missing", "killed_or_wounded")

# Entity kinds are class local names in the ontology (kg:State, kg:Person ...).
ENTITY_KINDS = (
    "State", "Person", "GovernmentBody", "ArmedForce", "MilitaryUnit", "IntelligenceAgency",
    "NewsOutlet", "AnonymousSource", "Organization", "PoliticalParty",
    "Country", "Region", "City", "OccupiedTerritory", "Place", "Treaty",
)


@dataclass(frozen=True)
class Entity:
    """An agent, place or treaty as mentioned, resolved to an IRI where possible."""

    label: str                      # canonical label: "North Korea", "Yoo Yong-won"
    kind: str                       # one of ENTITY_KINDS
    iri: str | None = None          # reference entity IRI; None -> minted from the label
    role: str | None = None         # "South Korean lawmaker", "Pentagon press secretary"
    affiliation: Entity | None = None  # the state or body the person or source belongs to
    text: str | None = None         # the words as written in the article

    def resolved_iri(self, article_id: str) -> str:
        if self.iri:
            return self.iri
        if self.kind == "AnonymousSource":
            return iris.source_iri(article_id, self.describe())
        return iris.entity_iri(self.label)

    def describe(self) -> str:
        """A readable name for fact records: the label; for a person, the full name as the
        article spells it ("Volodymyr Zelensky" where the reference says "Zelenskyy")."""
        if self.kind == "Person" and self.text and len(self.text.split()) >= 2 and self.text[0].isupper():
            return self.text
        if self.kind == "NewsOutlet" and self.text and self.text[0].isupper():
            return self.text  # "KCNA", as the article cites it
        return self.label


@dataclass(frozen=True)
class Quantity:
    """A number as reported, with its hedge kept."""

    text: str                        # the words as written: "5.2 million rounds", "dozens of"
    qualifier: str                   # one of HEDGES
    value: float | None = None       # the point value, or the lower end a vague word implies
    lower: float | None = None
    upper: float | None = None
    unit: str | None = None          # "rounds", "troops", "containers"

    def record(self) -> dict:
        out = {"value": _num(self.value), "qualifier": self.qualifier,
               "upper": _num(self.upper), "text": self.text}
        if self.lower is not None:
            out["lower"] = _num(self.lower)
        return out


@dataclass(frozen=True)
class TimeSpec:
    """When something happened, as written and as resolved against an anchor date."""

    text: str                        # "autumn last year", "in January"
    normalized: str | None = None    # FORMAT.md: "2024-06-19", "2024-autumn", "2025-01/2025-02"
    earliest: dt.date | None = None  # None when the text does not bound it
    latest: dt.date | None = None
    rule: str | None = None          # which rule resolved it: "relative-year+season"
    anchor: dt.date | None = None    # the date it was resolved against (usually publication)


@dataclass(frozen=True)
class Extractor:
    """What produced a claim: the rule pipeline or a language model, at a version."""

    name: str                        # "rules" or "llm"
    version: str                     # the project's version of that extractor
    model: str | None = None         # the model's name, as its endpoint gives it

    def iri(self) -> str:
        return iris.extractor_iri(self.name, self.version, self.model)

    def describe(self) -> str:
        return f"{self.name} {self.version}" + (f" ({self.model})" if self.model else "")


@dataclass
class Claim:
    """One fact as one article reports it."""

    type: str                        # one of EVENT_TYPES
    actor: Entity
    quote: str                       # exact substring of the article text
    start: int                       # character offsets into the text, end exclusive
    end: int
    status: str = "reported"         # one of STATUSES
    target: Entity | None = None     # recipient state or destination place
    item: str | None = None          # what moves, or which personnel, or the statement's gist
    quantity: Quantity | None = None
    counts: dict[str, Quantity] = field(default_factory=dict)  # casualties by COUNT_KINDS
    event_time: TimeSpec | None = None
    claimed_by: Entity | None = None  # who asserts it; None means unattributed
    via: tuple[Entity, ...] = ()     # outlets it passed through, nearest the claimer first
    signatories: tuple[Entity, ...] = ()  # treaty signatories
    location: Entity | None = None   # where a meeting or signing took place
    treaty: Entity | None = None     # the treaty a "treaty" claim is about
    confidence: float | None = None
    # Which extractors found it (rules, llm or both). Not part of identity: a claim both
    # found is one claim.
    generated_by: tuple[Extractor, ...] = ()

    def iri(self, article_id: str) -> str:
        return iris.claim_iri(article_id, *self.identity(article_id))

    def identity(self, article_id: str) -> tuple:
        """What makes two claims of one article the same claim: every field its fact record
        states, entities by IRI. Who asserts it, through which outlets and with which status are
        part of it: the same quote attributed to someone else is another claim. The quote itself
        follows from the article and the offsets, and a number's wording from its value and hedge.
        """
        def ref(entity: Entity | None) -> str | None:
            return entity.resolved_iri(article_id) if entity is not None else None

        q = self.quantity
        return (
            self.type, self.start, self.end, self.status,
            ref(self.actor), ref(self.target), self.item,
            ref(self.claimed_by), tuple(ref(v) for v in self.via),
            tuple(ref(s) for s in self.signatories), ref(self.location), ref(self.treaty),
            (q.qualifier, _num(q.value), _num(q.lower), _num(q.upper)) if q else None,
            tuple(sorted((kind, _num(c.value)) for kind, c in self.counts.items())),
            self.event_time.normalized if self.event_time else None,
        )

    def fact_record(self, *, article_id: str | None = None) -> dict:
        """The claim as a FORMAT.md fact record (with the claim IRI when the article is known)."""
        rec = {
            "type": self.type,
            "actor": self.actor.describe(),
            "target": self.target.describe() if self.target else None,
            "item": self.item,
            "quantity": self.quantity.record() if self.quantity else None,
            "counts": ({k: _num(q.value) for k, q in self.counts.items()} if self.counts else None),
            "status": self.status,
            "event_time": self.event_time.normalized if self.event_time else None,
            "claimed_by": self.claimed_by.describe() if self.claimed_by else None,
            "via": " / ".join(v.describe() for v in self.via) or None,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }
        if self.signatories:
            rec["signatories"] = [s.label for s in self.signatories]
        if self.location:
            rec["location"] = self.location.label
        if self.generated_by:
            rec["extractor"] = sorted({e.name for e in self.generated_by})
        if article_id is not None:
            rec["iri"] = self.iri(article_id)
        return rec


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x
