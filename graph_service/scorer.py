"""Extraction quality: predicted fact records scored against gold fact records.

The matching rules are those of the exchange format (docs/FACT-RECORDS.md, the evaluation
kit's FORMAT.md), and the figures are the kit's own, to the last pair:

* a predicted record is paired with at most one gold record of the same type whose quote
  overlaps its quote in the article text, the pair that agrees on most fields first;
* a pair is *grounded* when type and quote agree, and *correct* when it also agrees on actor,
  target (a place inside the gold place counts, and the other way round; the two parties of a
  ``treaty`` or ``meeting`` may come in either order), the quantity's value (within 1 %, not
  asked of ``vague`` quantities) and the casualty counts, wherever the gold states them;
* names are compared after folding common aliases (DPRK, Pyongyang -> North Korea; ...).

``score`` reads three folders (gold, predictions, articles) and returns ``Scores``;
``score_records`` scores the records of one article held in memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .errors import ArticleError, InputError

TYPES = ("deployment", "transfer", "treaty", "casualties", "statement", "meeting")
SYMMETRIC_TYPES = frozenset({"treaty", "meeting"})  # parties with no direction

# ---------------------------------------------------------------- names

ALIASES: dict[str, tuple[str, ...]] = {
    "north korea": (
        "dprk", "democratic people's republic of korea", "pyongyang", "n. korea", "n korea",
        "north korean", "north koreans", "north korean government", "korean people's army", "kpa",
    ),
    "russia": ("russian federation", "moscow", "kremlin", "russian", "russian government"),
    "ukraine": ("kyiv", "kiev", "ukrainian", "ukrainian government"),
    "south korea": ("republic of korea", "rok", "seoul", "s. korea", "south korean",
                    "south korean government"),
    "united states": ("us", "u.s.", "usa", "u.s.a.", "america", "washington", "american",
                      "u.s. government"),
    "china": ("beijing", "prc", "people's republic of china", "chinese"),
    "kursk oblast": ("kursk", "kursk region", "kursk province", "russia's kursk region"),
    "belgorod oblast": ("belgorod", "belgorod region"),
    "donetsk oblast": ("donetsk", "donetsk region", "donetsk province"),
    "russian-occupied ukraine": (
        "occupied ukraine", "russian-occupied territories", "russian-occupied territories in ukraine",
        "russian-occupied territories of ukraine", "occupied territories",
        "temporarily occupied territories", "russian-occupied areas in ukraine",
        "russian-occupied areas", "occupied territories of ukraine",
    ),
    "kim jong un": ("kim jong-un", "kim"),
    "vladimir putin": ("putin", "president putin", "president vladimir putin"),
}
CANONICAL = {alias: name for name, aliases in ALIASES.items() for alias in aliases}

# place -> the place it lies in
INSIDE: dict[str, str] = {
    "kursk oblast": "russia",
    "belgorod oblast": "russia",
    "donetsk oblast": "russian-occupied ukraine",
    "russian-occupied ukraine": "ukraine",
}

# words that say nothing about which name or phrase is meant
STOPWORDS = frozenset({"the", "of", "a", "an", "and", "s", "in", "for", "to", "on", "its",
                       "said", "says"})

# hedges on a number that mean the same for comparison ("over" and "at least" are both a floor)
HEDGE_CLASS = {"over": "lower", "at_least": "lower", "approximately": "approx", "up_to": "upper"}

_DASHES = str.maketrans({"\u2019": "'", "\u2013": "-", "\u2014": "-"})


def canonical(name: object) -> str:
    """A name folded for comparison: lower case, no leading article, single spaces, no
    surrounding punctuation, and an alias replaced by the name it stands for."""
    text = str(name or "").lower().translate(_DASHES)
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" .,'\"")
    return CANONICAL.get(text, text)


def words(text: object) -> set[str]:
    """The telling words of a folded name or phrase."""
    return {w for w in re.findall(r"[a-z0-9]+", canonical(text)) if w not in STOPWORDS}


def enclosing(place: str) -> list[str]:
    """A folded place name and every place it lies in, innermost first."""
    chain = [place]
    while chain[-1] in INSIDE:
        chain.append(INSIDE[chain[-1]])
    return chain


def same_name(gold: object, pred: object) -> bool:
    """Same agent or place: equal after folding, one inside the other, or the words of one
    among the words of the other (``Kim Jong Un`` / ``North Korean leader Kim Jong Un``)."""
    g, p = canonical(gold), canonical(pred)
    if not g or not p:
        return False
    if g == p or g in enclosing(p) or p in enclosing(g):
        return True
    gw, pw = words(g), words(p)
    return bool(gw) and bool(pw) and (gw <= pw or pw <= gw)


def same_phrase(gold: object, pred: object) -> bool:
    """Same phrase: the words of one among the other's, or at least half the words shared."""
    gw, pw = words(gold), words(pred)
    if not gw or not pw:
        return False
    return gw <= pw or pw <= gw or len(gw & pw) / len(gw | pw) >= 0.5


# ---------------------------------------------------------------- numbers and times

def same_number(gold: object, pred: object) -> bool:
    """Numbers within 1 % of the gold (within 0.01 below 1); anything not a number never agrees."""
    try:
        g, p = float(gold), float(pred)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return abs(g - p) <= 0.01 * max(abs(g), 1.0)


def _quantity(record: dict) -> dict:
    quantity = record.get("quantity") or {}
    return quantity if isinstance(quantity, dict) else {}


def quantity_value(record: dict) -> object:
    """The record's quantity value, or None."""
    return _quantity(record).get("value")


def _hedge(record: dict) -> object:
    qualifier = _quantity(record).get("qualifier")
    return HEDGE_CLASS.get(qualifier, qualifier)


def _counts(record: dict) -> dict:
    counts = record.get("counts") or {}
    return counts if isinstance(counts, dict) else {}


def same_counts(gold: dict, pred: dict) -> bool:
    """Every casualty count the gold states is in the prediction, within 1 %."""
    predicted = _counts(pred)
    return all(same_number(n, predicted.get(kind)) for kind, n in _counts(gold).items()
               if n is not None)


def same_time(gold: object, pred: object) -> bool:
    """Times agree when one is a prefix of the other (``2024-06`` / ``2024-06-19``), or they
    share a year and, where both name months, a month."""
    g, p = str(gold or "").lower(), str(pred or "").lower()
    if not g or not p:
        return False
    if g == p or g.startswith(p) or p.startswith(g):
        return True
    gold_years, pred_years = (set(re.findall(r"(?:19|20)\d\d", t)) for t in (g, p))
    if not gold_years or not gold_years & pred_years:
        return False
    gold_months, pred_months = (set(re.findall(r"-(\d\d)\b", t)) for t in (g, p))
    return not gold_months or not pred_months or bool(gold_months & pred_months)


# ---------------------------------------------------------------- fields

FieldRule = Callable[[dict, dict], bool]

# How each field of a pair is compared, in the order the field table lists them.
FIELDS: dict[str, FieldRule] = {
    "actor": lambda g, p: same_name(g.get("actor"), p.get("actor")),
    "target": lambda g, p: same_name(g.get("target"), p.get("target")),
    "item": lambda g, p: same_phrase(g.get("item"), p.get("item")),
    "quantity.value": lambda g, p: same_number(quantity_value(g), quantity_value(p)),
    "quantity.qualifier": lambda g, p: _hedge(g) == _hedge(p),
    "counts": same_counts,
    "status": lambda g, p: g.get("status") == p.get("status"),
    "event_time": lambda g, p: same_time(g.get("event_time"), p.get("event_time")),
    "claimed_by": lambda g, p: (same_name(g.get("claimed_by"), p.get("claimed_by"))
                                or same_phrase(g.get("claimed_by"), p.get("claimed_by"))),
    "via": lambda g, p: same_phrase(g.get("via"), p.get("via")),
}


def stated(gold: dict, name: str) -> bool:
    """Whether the gold record states the field (only stated fields are compared)."""
    if name == "quantity.value":
        return quantity_value(gold) is not None and _quantity(gold).get("qualifier") != "vague"
    if name == "quantity.qualifier":
        return bool(_quantity(gold).get("qualifier"))
    if name == "counts":
        return any(n is not None for n in _counts(gold).values())
    value = gold.get(name)
    return value is not None and value != "" and value != []


def agrees(gold: dict, pred: dict, names: Iterable[str]) -> bool:
    """The prediction agrees with the gold on each of the fields the gold states."""
    return all(FIELDS[n](gold, pred) for n in names if stated(gold, n))


def same_parties(gold: dict, pred: dict) -> bool:
    """Actor and target agree; for a treaty or meeting, possibly the other way round."""
    if agrees(gold, pred, ("actor", "target")):
        return True
    if gold.get("type") not in SYMMETRIC_TYPES:
        return False
    swapped = {**pred, "actor": pred.get("target"), "target": pred.get("actor")}
    return agrees(gold, swapped, ("actor", "target"))


def is_correct(gold: dict, pred: dict) -> bool:
    """A grounded pair is correct when parties, quantity value and counts agree."""
    return same_parties(gold, pred) and agrees(gold, pred, ("quantity.value", "counts"))


def agreement(gold: dict, pred: dict) -> int:
    """How many of the fields the gold states the prediction agrees on."""
    return sum(1 for n, rule in FIELDS.items() if stated(gold, n) and rule(gold, pred))


# ---------------------------------------------------------------- quotes

Span = tuple[int, int]


def _flatten(text: str) -> str:
    """Straight quotes for typographic ones, one space for any run of white space."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text)


def locate(text: str, quote: object, flat_text: str | None = None) -> Span | None:
    """Where ``quote`` sits in ``text``, as (start, end), or None when it is not there.

    An exact substring is found as is. Failing that, differences in white space and
    typographic quotes are forgiven: the quote is found in the flattened text and its position
    scaled back by the ratio of the two lengths, which is close enough for an overlap test and
    keeps the figures equal to the evaluation kit's. ``flat_text`` saves flattening ``text``
    again for every quote.
    """
    quote = str(quote or "").strip()
    if not quote:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    flat = _flatten(text) if flat_text is None else flat_text
    flat_quote = _flatten(quote)
    at = flat.find(flat_quote)
    if at < 0:
        return None
    ratio = len(text) / max(len(flat), 1)
    return int(at * ratio), int((at + len(flat_quote)) * ratio)


def overlaps(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


# ---------------------------------------------------------------- pairing

@dataclass(frozen=True)
class Pair:
    """A gold record and a predicted record of one article, by index."""

    gold: int
    pred: int
    correct: bool
    agreement: int


def candidate_pairs(text: str, gold: list[dict], pred: list[dict]) -> list[Pair]:
    """Every gold/predicted pair of the same type whose quotes overlap in the text."""
    flat = _flatten(text)
    gold_spans = [locate(text, g.get("quote"), flat) for g in gold]
    pred_spans = [locate(text, p.get("quote"), flat) for p in pred]
    return [Pair(gi, pi, is_correct(g, p), agreement(g, p))
            for gi, g in enumerate(gold) for pi, p in enumerate(pred)
            if g.get("type") == p.get("type") and overlaps(gold_spans[gi], pred_spans[pi])]


def match(text: str, gold: list[dict], pred: list[dict]) -> list[Pair]:
    """Pair records one to one, best pairs first: correct before not, then the most fields
    agreeing; ties go to the later records (as in the evaluation kit, so the figures agree)."""
    ranked = sorted(candidate_pairs(text, gold, pred),
                    key=lambda c: (c.correct, c.agreement, c.gold, c.pred), reverse=True)
    pairs: list[Pair] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for pair in ranked:
        if pair.gold in used_gold or pair.pred in used_pred:
            continue
        used_gold.add(pair.gold)
        used_pred.add(pair.pred)
        pairs.append(pair)
    return pairs


# ---------------------------------------------------------------- figures

class PRF(NamedTuple):
    """Precision, recall and F1."""

    p: float
    r: float
    f: float


def prf(tp: int, n_pred: int, n_gold: int) -> PRF:
    """Precision, recall and F1 of ``tp`` true positives (0 where undefined)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class TypeCounts:
    """Records of one type: in the gold, predicted, paired (grounded) and paired correctly."""

    gold: int = 0
    pred: int = 0
    grounded: int = 0
    correct: int = 0

    @property
    def strict(self) -> PRF:
        return prf(self.correct, self.pred, self.gold)

    @property
    def lenient(self) -> PRF:
        return prf(self.grounded, self.pred, self.gold)

    def as_dict(self) -> dict[str, int]:
        return {"gold": self.gold, "pred": self.pred, "grounded": self.grounded,
                "correct": self.correct}


@dataclass
class FieldAgreement:
    """Over grounded pairs whose gold states the field: how many agree on it."""

    hits: int = 0
    stated: int = 0

    @property
    def rate(self) -> float | None:
        return self.hits / self.stated if self.stated else None


@dataclass(frozen=True)
class Miss:
    """A gold record not predicted (``missed``), a pair not correct (``wrong``) or a
    prediction with no gold record (``extra``)."""

    article: str
    kind: str
    gold: dict | None
    pred: dict | None

    def as_dict(self) -> dict:
        return {"article": self.article, "kind": self.kind, "gold": self.gold, "pred": self.pred}


def type_key(record: dict) -> str:
    """The key a record is counted under: its type, or the JSON of a missing or odd one."""
    kind = record.get("type")
    return kind if isinstance(kind, str) else json.dumps(kind)


@dataclass
class Scores:
    """The figures of predictions against gold, summed over articles."""

    per_type: dict[str, TypeCounts] = field(default_factory=lambda: {t: TypeCounts() for t in TYPES})
    fields: dict[str, FieldAgreement] = field(default_factory=lambda: {n: FieldAgreement() for n in FIELDS})
    misses: list[Miss] = field(default_factory=list)
    unquoted: int = 0    # predicted records whose quote is not in the text
    articles: int = 0

    def _of_type(self, record: dict) -> TypeCounts:
        return self.per_type.setdefault(type_key(record), TypeCounts())

    def add(self, article: str, text: str, gold: list[dict], pred: list[dict]) -> None:
        """Score the records of one article and add them in."""
        self.articles += 1
        for g in gold:
            self._of_type(g).gold += 1
        for p in pred:
            self._of_type(p).pred += 1
        flat = _flatten(text)
        self.unquoted += sum(1 for p in pred if locate(text, p.get("quote"), flat) is None)
        pairs = match(text, gold, pred)
        for pair in pairs:
            g, p = gold[pair.gold], pred[pair.pred]
            counts = self._of_type(g)
            counts.grounded += 1
            counts.correct += int(pair.correct)
            for name, rule in FIELDS.items():
                if stated(g, name):
                    self.fields[name].stated += 1
                    self.fields[name].hits += int(rule(g, p))
            if not pair.correct:
                self.misses.append(Miss(article, "wrong", g, p))
        paired_gold = {pair.gold for pair in pairs}
        paired_pred = {pair.pred for pair in pairs}
        self.misses += [Miss(article, "missed", g, None)
                        for i, g in enumerate(gold) if i not in paired_gold]
        self.misses += [Miss(article, "extra", None, p)
                        for i, p in enumerate(pred) if i not in paired_pred]

    @property
    def total(self) -> TypeCounts:
        total = TypeCounts()
        for counts in self.per_type.values():
            total.gold += counts.gold
            total.pred += counts.pred
            total.grounded += counts.grounded
            total.correct += counts.correct
        return total

    @property
    def strict(self) -> PRF:
        """P/R/F1 counting correct pairs."""
        return self.total.strict

    @property
    def grounded(self) -> PRF:
        """P/R/F1 counting grounded pairs (type and quote only)."""
        return self.total.lenient

    def to_json(self) -> dict:
        """The figures under the keys the evaluation kit prints with ``--json``."""
        return {
            "per_type": {t: c.as_dict() for t, c in self.per_type.items()},
            "total": self.total.as_dict(),
            "unquoted_predictions": self.unquoted,
            "strict": self.strict._asdict(),
            "grounded": self.grounded._asdict(),
            "fields": {n: a.rate for n, a in self.fields.items()},
        }


# ---------------------------------------------------------------- reading

def _folder(path: Path, what: str) -> Path:
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"not a folder ({what})", where=str(path))
    return path


def load_records(path: Path) -> list[dict]:
    """The fact records of one file: a JSON list, or an object with a ``facts`` list."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(f"cannot read fact records: {err.strerror}", where=where) from None
    except UnicodeDecodeError as err:
        raise InputError(f"fact records are not UTF-8 (bad byte at offset {err.start})",
                         where=where) from None
    except json.JSONDecodeError as err:
        raise InputError(f"fact records are not JSON: {err.msg} at line {err.lineno}, "
                         f"column {err.colno}", where=where) from None
    if isinstance(data, dict):
        data = data.get("facts", [])
    if not isinstance(data, list):
        raise InputError("expected a JSON list of fact records", where=where)
    return [record for record in data if isinstance(record, dict)]


def read_text(path: Path, gold_file: Path) -> str:
    """The text of the article a gold file is about."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ArticleError(f"gold file {gold_file.name} has no article beside it",
                           where=str(path)) from None
    except OSError as err:
        raise ArticleError(f"cannot read article: {err.strerror}", where=str(path)) from None
    except UnicodeDecodeError as err:
        raise ArticleError(f"article is not UTF-8 (bad byte at offset {err.start})",
                           where=str(path)) from None


def score_records(text: str, gold: list[dict], pred: list[dict], article: str = "") -> Scores:
    """The figures of one article's predicted records against its gold records."""
    scores = Scores()
    scores.add(article, text, gold, pred)
    return scores


def score(gold_dir: Path, pred_dir: Path, articles_dir: Path) -> Scores:
    """Score every ``<id>.json`` of ``gold_dir`` against ``pred_dir/<id>.json`` (no file: no
    predictions) over the text of ``articles_dir/<id>.txt``."""
    gold_dir = _folder(gold_dir, "gold fact records")
    pred_dir = _folder(pred_dir, "predicted fact records")
    articles_dir = _folder(articles_dir, "articles")
    scores = Scores()
    for gold_file in sorted(gold_dir.glob("*.json")):
        article = gold_file.stem
        text = read_text(articles_dir / f"{article}.txt", gold_file)
        pred_file = pred_dir / f"{article}.json"
        pred = load_records(pred_file) if pred_file.exists() else []
        scores.add(article, text, load_records(gold_file), pred)
    return scores


# ---------------------------------------------------------------- report

def _row(name: str, counts: TypeCounts) -> str:
    p, r, f = counts.strict
    return (f"{name:<12}{counts.gold:>6}{counts.pred:>6}{counts.grounded:>9}{counts.correct:>8}"
            f"{p:>7.2f}{r:>7.2f}{f:>7.2f}")


def _miss_line(miss: Miss) -> str:
    def show(record: dict | None) -> str:
        return json.dumps(record, ensure_ascii=False) if record else "-"
    return f"[{miss.article}] {miss.kind}: gold={show(miss.gold)} pred={show(miss.pred)}"


def report(scores: Scores, *, show_misses: bool = False) -> str:
    """The figures as text: a table per type (strict P/R/F1), field agreement over grounded
    pairs, then the grounded and strict P/R/F1 lines."""
    lines = [f"{'type':<12}{'gold':>6}{'pred':>6}{'grounded':>9}{'correct':>8}"
             f"{'P':>7}{'R':>7}{'F1':>7}"]
    lines += [_row(t, c) for t, c in scores.per_type.items() if c.gold or c.pred]
    lines.append(_row("all", scores.total))
    lines.append("fields agreeing on grounded pairs (where the gold states them):")
    for name, a in scores.fields.items():
        rate = f" {a.rate:.2f}" if a.rate is not None else ""
        lines.append(f"  {name:<20}{a.hits:>4}/{a.stated:<4}{rate}")
    if scores.unquoted:
        lines.append(f"predicted records whose quote is not in the text: {scores.unquoted}")
    if show_misses:
        lines += [_miss_line(m) for m in scores.misses]
    for label, (p, r, f) in (("grounded", scores.grounded), ("strict", scores.strict)):
        lines.append(f"{label:<8} P={p:.2f} R={r:.2f} F1={f:.2f}")
    return "\n".join(lines)
