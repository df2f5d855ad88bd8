"""The word lists extraction reads, loaded from the TOML files in ``lexicons/``.

Triggers, item and personnel nouns, reporting verbs and status words are data: a reviewer can
read and extend them without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


@dataclass(frozen=True)
class Lexicon:
    give_verbs: frozenset[str]
    receive_verbs: frozenset[str]
    use_verbs: frozenset[str]
    transfer_nouns: frozenset[str]
    deployment_verbs: frozenset[str]
    deployment_nouns: frozenset[str]
    meeting_verbs: frozenset[str]
    meeting_nouns: frozenset[str]
    held_nouns: frozenset[str]
    treaty_verbs: frozenset[str]
    treaty_nouns: frozenset[str]
    treaty_qualifiers: frozenset[str]
    casualty_words: dict[str, str]           # lemma -> count kind
    weapons: frozenset[str]
    goods: frozenset[str]
    personnel: frozenset[str]
    reporting_verbs: frozenset[str]
    channel_verbs: frozenset[str]
    confirm_verbs: frozenset[str]
    deny_verbs: frozenset[str]
    stance_verbs: frozenset[str]
    source_nouns: frozenset[str]
    possible: frozenset[str]
    planned: frozenset[str]

    @property
    def items(self) -> frozenset[str]:
        return self.weapons | self.goods


def _read(name: str) -> dict:
    with open(LEXICON_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def _set(words) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    trig, items, rep = _read("triggers.toml"), _read("items.toml"), _read("reporting.toml")
    casualty = {}
    for kind, words in trig["casualties"].items():
        for w in words:
            casualty.setdefault(w.lower(), kind)
    return Lexicon(
        give_verbs=_set(trig["transfer"]["give_verbs"]),
        receive_verbs=_set(trig["transfer"]["receive_verbs"]),
        use_verbs=_set(trig["transfer"]["use_verbs"]),
        transfer_nouns=_set(trig["transfer"]["nouns"]),
        deployment_verbs=_set(trig["deployment"]["verbs"]),
        deployment_nouns=_set(trig["deployment"]["nouns"]),
        meeting_verbs=_set(trig["meeting"]["verbs"]),
        meeting_nouns=_set(trig["meeting"]["nouns"]),
        held_nouns=_set(trig["meeting"]["held_nouns"]),
        treaty_verbs=_set(trig["treaty"]["verbs"]),
        treaty_nouns=_set(trig["treaty"]["nouns"]),
        treaty_qualifiers=_set(trig["treaty"]["qualifiers"]),
        casualty_words=casualty,
        weapons=_set(items["transfer"]["weapons"]),
        goods=_set(items["transfer"]["goods"]),
        personnel=_set(items["deployment"]["personnel"]),
        reporting_verbs=_set(rep["verbs"]),
        channel_verbs=_set(rep["channel_verbs"]),
        confirm_verbs=_set(rep["confirm_verbs"]),
        deny_verbs=_set(rep["deny_verbs"]),
        stance_verbs=_set(rep["stance_verbs"]),
        source_nouns=_set(rep["source_nouns"]),
        possible=_set(rep["status"]["possible"]),
        planned=_set(rep["status"]["planned"]),
    )
