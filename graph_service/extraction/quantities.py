"""Numbers as reported, with their hedges: "over 500", "at least 3,000", "4 to 6 million",
"dozens of", "a significant amount". Hedge names follow FORMAT.md (exact, at_least, over,
approximately, up_to, range, vague).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..claims import Quantity

_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a dozen": 12, "a hundred": 100, "a thousand": 1000, "a million": 1_000_000, "a billion": 1_000_000_000,
    "hundred": 100, "thousand": 1000,
}
_SCALE = {"dozen": 12, "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}

# The hedge words, mapped to FORMAT.md qualifiers.
_HEDGES = [
    (r"more than|over|upwards of|in excess of|above", "over"),
    (r"at least|no fewer than|no less than|a minimum of", "at_least"),
    (r"approximately|about|around|roughly|some|nearly|almost|close to|an estimated|estimated|"
     r"approx\.|circa|an approximate", "approximately"),
    (r"as many as|as much as|up to|fewer than|less than|under|at most|a maximum of", "up_to"),
]
_VAGUE = [
    (r"tens of thousands of", 20_000), (r"hundreds of thousands of", 200_000),
    (r"dozens of", 24), (r"scores of", 40), (r"hundreds of", 200), (r"thousands of", 2000),
    (r"millions of", 2e6), (r"several million", 2e6), (r"a few million", 2e6),
    (r"several thousand", 2000), (r"several hundred", 200),
    (r"a few thousand", 2000), (r"a few hundred", 200), (r"several dozen", 24),
    (r"several", 3), (r"a handful of", 3), (r"numerous", None), (r"many", None),
    (r"a large number of|a significant number of|a substantial number of|a great number of", None),
    (r"an? (?:[\"\u201c]?(?:significant|large|substantial|huge|vast|considerable)\s+"
     r"(?:amount|amounts|quantity|quantities|volume|volumes|number)[\"\u201d]?) of", None),
    (r"(?:large|significant|substantial|huge|vast) (?:amounts|quantities|volumes|numbers) of", None),
]

_NUMWORD = "|".join(sorted((re.escape(w) for w in _SMALL), key=len, reverse=True))
_NUM = (r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d|,\d)|\d+(?:\.\d+)?|(?:" + _NUMWORD + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"
        r"(?:\s*(?:dozen|thousand|million|billion|mn|bn|m|k)\b|-(?:hundred|thousand|million)\b)?")
_HEDGE = "|".join(h for h, _ in _HEDGES)
_RANGE = (r"(?:between\s+(?P<a1>" + _NUM + r")\s+and\s+(?P<b1>" + _NUM + r"))"
          r"|(?:(?:from\s+)?(?P<a2>" + _NUM + r")(?:\s*(?:to|\u2013|or)\s*|(?<=\d)-(?=\d))(?P<b2>" + _NUM + r"))")
_POINT = r"(?:(?P<hedge>" + _HEDGE + r")\s+)?(?P<n>" + _NUM + r")(?!\s*(?:%|percent|per cent))"
_PATTERN = re.compile(
    r"(?<![\w.,])(?:(?P<range>" + _RANGE + r")|(?P<vague>" + "|".join(v for v, _ in _VAGUE) + r")|(?P<point>" + _POINT + r"))(?![\w])",
    re.IGNORECASE,
)
_UNIT = re.compile(r"\s+(?:(?:more|additional|extra|new|of the|of its|of their|of)\s+)*"
                   r"(?:(?:North|South)\s+Korean\s+|Russian\s+|Ukrainian\s+)?([A-Za-z][\w-]*)")
_PARTICLE = re.compile(r"\b(?:hand|hands|handed|handing|turn|turns|turned|turning|took|take|takes|taken|passed|"
                       r"pass|passes|give|gave|given|hand it)\s+$", re.I)
_COUNTABLE = {"troops", "soldiers", "shells", "rounds", "missiles", "containers", "workers", "tons", "tonnes",
              "barrels", "officers", "people", "men", "casualties"}
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")
_MONTHS = re.compile(r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", re.IGNORECASE)


@dataclass(frozen=True)
class QuantityMatch:
    start: int
    end: int
    quantity: Quantity


def number_value(text: str) -> float | None:
    """ "5.2 million" -> 5200000.0, "three" -> 3.0, "3,000" -> 3000.0; None if not a number."""
    t = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", text.strip().lower().replace(",", ""))
    if t in _SMALL:
        return float(_SMALL[t])
    scale = 1.0
    m = re.match(r"^(.*?)[\s-]*(dozen|hundred|thousand|million|billion|mn|bn|m|k)$", t)
    if m and m.group(1):
        t, scale = m.group(1).strip(), _SCALE[m.group(2)]
    try:
        return float(t) * scale
    except ValueError:
        pass
    parts = re.split(r"[- ]", t)
    if t in _SMALL:
        return _SMALL[t] * scale
    if len(parts) == 2 and parts[0] in _SMALL and parts[1] in _SMALL:
        return (_SMALL[parts[0]] + _SMALL[parts[1]]) * scale
    return None


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every quantity in ``text`` with its hedge, offsets and the noun that follows it."""
    out = []
    for m in _PATTERN.finditer(text):
        if m.group("n") and re.search(r"[A-Za-z]-?$", text[max(0, m.start("n") - 2):m.start("n")]):
            continue  # a model designation ("KN-23", "Su-27", "T-72"), not a count
        q = _build(m, text)
        if q is None:
            continue
        start = m.start()
        if m.group("hedge") and _PARTICLE.search(text[max(0, start - 12):start]):
            # "handed over 120 guns": "over" belongs to the verb, not to the number
            start = m.start("n")
            q = Quantity(text=m.group("n"), qualifier="exact", value=q.value, lower=q.value, unit=q.unit)
        out.append(QuantityMatch(start, m.end(), q))
    return out


_QUOTES = "\"\u201c\u201d\u2018\u2019"
_UNQUOTE = str.maketrans("", "", _QUOTES)


def parse_quantity(text: str) -> Quantity | None:
    """The quantity a short phrase states ("over 500 troops"), or None."""
    found = find_quantities(text)
    if not found and any(q in text for q in _QUOTES):
        # '"hundreds" of casualties': a figure in quotation marks is still the figure, and its
        # text the words as written, quotation marks and all
        found = find_quantities(text.translate(_UNQUOTE))
        if found:
            q = found[0].quantity
            marks = f"[{_QUOTES}]*"
            pattern = marks + r"\s+".join(re.escape(w) + marks for w in q.text.split())
            m = re.search(pattern, text)
            return replace(q, text=m.group(0).strip()) if m else q
    if not found:
        return None
    # "as many as more than 6 million": the figure, not the vague word before it
    return next((f.quantity for f in found if f.quantity.value is not None), found[0].quantity)


def _build(m: re.Match, text: str) -> Quantity | None:
    words = m.group(0)
    unit = _unit(text, m.end())
    if m.group("vague"):
        key = m.group("vague").lower()
        if key in ("many", "several", "numerous") and unit is None:
            return None
        low = next((v for pat, v in _VAGUE if re.fullmatch(pat, key)), None)
        return Quantity(text=words, qualifier="vague", value=low, lower=low, upper=None, unit=unit)
    if m.group("range"):
        a = m.group("a1") or m.group("a2")
        b = m.group("b1") or m.group("b2")
        if _YEARLIKE.match(a) or _YEARLIKE.match(b):
            return None
        lo, hi = number_value(a), number_value(b)
        if lo is None or hi is None:
            return None
        # "4 to 6 million": the scale word on the upper end applies to both
        if hi >= 1000 and lo < 1000 and re.search(r"(thousand|million|billion)$", b.lower()) \
                and not re.search(r"(thousand|million|billion)$", a.lower()):
            lo *= _SCALE[re.search(r"(thousand|million|billion)$", b.lower()).group(1)]
        if lo >= hi:
            return None
        return Quantity(text=words, qualifier="range", value=lo, lower=lo, upper=hi, unit=unit)
    n = m.group("n")
    if _YEARLIKE.match(n.strip()) and (unit is None or unit[0].islower() and unit.lower() not in _COUNTABLE
                                       or re.search(r"\b(?:in|since|by|of|from|until|before|after|during|early|late)\s+$",
                                                    text[max(0, m.start() - 8):m.start()], re.I)):
        return None  # a year
    if re.fullmatch(r"one", n.strip(), re.I) and re.match(r"\s+of\b", text[m.end():]):
        return None  # "one of the soldiers" ("a thousand of their troops" is a figure)
    if n.strip().lower() in ("m", "k"):
        return None
    value = number_value(n)
    if value is None:
        return None
    if not m.group("hedge") and re.fullmatch(r"one|a hundred|a thousand|hundred|thousand", n.strip(), re.I):
        # "one of the", "one North Korean" are rarely quantities worth keeping
        if unit is None or unit.lower() in ("the", "of", "a", "an", "who", "which", "that", "day"):
            return None
    hedge = m.group("hedge")
    qual = "exact"
    if hedge:
        h = hedge.lower()
        qual = next(q for pat, q in _HEDGES if re.fullmatch(pat, h))
    lower = value if qual in ("exact", "over", "at_least", "approximately") else None
    upper = value if qual in ("exact", "up_to") else None
    return Quantity(text=words, qualifier=qual, value=value, lower=lower,
                    upper=None if qual == "exact" else upper, unit=unit)


def _unit(text: str, end: int) -> str | None:
    m = _UNIT.match(text, end)
    if not m:
        return None
    word = m.group(1)
    if _MONTHS.match(word) and len(word) <= 9 and word[0].isupper():
        return None
    return word
