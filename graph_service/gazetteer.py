"""The gazetteer: reference entities from ``ontology/entities.ttl`` as an alias table.

A new alias is a data change: add a ``skos:altLabel`` to the entity in the Turtle file.
Matching is case-aware: short names and acronyms keep their case (so "US" is not "us" and
"the North" is not "the north of the country"), an alias starting with a lower-case word also
matches with its first letter capitalised ("The North"), and longer names of bodies match in
any case ("Defense Ministry", "defense ministry"). The longest alias wins; a match may not
start or end inside a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.namespace import SKOS

from . import iris, resources

KG = Namespace(iris.ONTOLOGY)
ENTITIES_TTL = resources.ENTITIES_FILE
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True)
class Reference:
    """One reference entity as the gazetteer knows it."""

    iri: str
    label: str
    kind: str
    part_of: str | None = None        # label of the containing place
    affiliation: str | None = None    # label of the state or body it belongs to
    role: str | None = None
    aliases: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class GazetteerHit:
    start: int
    end: int
    text: str
    refs: tuple[Reference, ...]       # several when an alias is ambiguous (Pyongyang: city or state)


class Gazetteer:
    """Alias table plus one compiled pattern over all aliases."""

    def __init__(self, refs: list[Reference]):
        self.by_label = {r.label: r for r in refs}
        self.by_iri = {r.iri: r for r in refs}
        table: dict[str, list[Reference]] = {}
        for ref in refs:
            for alias in (ref.label, *ref.aliases):
                for form in _forms(alias):
                    table.setdefault(form, [])
                    if ref not in table[form]:
                        table[form].append(ref)
        # a proper name outranks a demonym or metonym that shares the alias
        self.table = {k: tuple(sorted(v, key=_rank)) for k, v in table.items()}
        alts = sorted(self.table, key=len, reverse=True)
        self.folded = {k.lower(): v for k, v in self.table.items() if _caseless(k)}
        self.pattern = re.compile(r"(?<![\w])(?:" + "|".join(
            f"(?i:{re.escape(a)})" if _caseless(a) else re.escape(a) for a in alts) + r")(?![\w])")

    def find(self, text: str) -> list[GazetteerHit]:
        """Every alias occurrence, longest first, without overlaps."""
        norm = text.translate(_QUOTES)  # same length: offsets stay valid
        return [GazetteerHit(m.start(), m.end(), text[m.start():m.end()],
                             self.table.get(m.group(0)) or self.folded[m.group(0).lower()])
                for m in self.pattern.finditer(norm)]

    def get(self, label: str) -> Reference | None:
        return self.by_label.get(label)

    def state_of(self, label: str | None) -> str | None:
        """The state a reference entity belongs to, following affiliation and partOf."""
        seen = set()
        while label and label not in seen:
            seen.add(label)
            ref = self.by_label.get(label)
            if ref is None:
                return None
            if ref.kind == "State":
                return ref.label
            label = ref.affiliation or ref.part_of
        return None


def _caseless(alias: str) -> bool:
    """Names of bodies are capitalised inconsistently ("Defense Ministry", "defense ministry"):
    aliases of three or more words, or two words neither of them an acronym nor "the", match
    in any case. Short names and acronyms ("US", "the North") keep their case."""
    words = alias.split()
    if len(words) < 2 or words[0].lower() == "the" and len(words) < 3:
        return False
    return not any(w.isupper() and len(w) > 1 for w in words) and not re.search(r"\b[A-Z]\.", alias)


def _rank(ref: Reference) -> int:
    return {"State": 1, "City": 2}.get(ref.kind, 0)


def _forms(alias: str) -> set[str]:
    alias = alias.translate(_QUOTES)
    forms = {alias}
    if alias[:1].islower():
        forms.add(alias[0].upper() + alias[1:])
    return forms


def load(path: Path = ENTITIES_TTL) -> list[Reference]:
    g = Graph()
    g.parse(path, format="turtle")
    refs = []
    for s in set(g.subjects(RDFS.label, None)):
        kind = next((str(o)[len(iris.ONTOLOGY):] for o in g.objects(s, RDF.type)
                     if str(o).startswith(iris.ONTOLOGY)), "Organization")
        label = str(g.value(s, RDFS.label))
        part = g.value(s, KG.partOf)
        aff = g.value(s, KG.affiliation)
        role = g.value(s, KG.role)
        refs.append(Reference(
            iri=str(s), label=label, kind=kind,
            part_of=str(g.value(part, RDFS.label)) if part is not None else None,
            affiliation=str(g.value(aff, RDFS.label)) if aff is not None else None,
            role=str(role) if role is not None else None,
            aliases=tuple(sorted(str(o) for o in g.objects(s, SKOS.altLabel))),
        ))
    return sorted(refs, key=lambda r: r.label)


@lru_cache(maxsize=4)
def gazetteer(path: Path = ENTITIES_TTL) -> Gazetteer:
    """The gazetteer for a Turtle file, built once per process."""
    return Gazetteer(load(path))
