"""Time expressions resolved against an anchor date (usually the publication date).

Normalised values follow FORMAT.md: ``2024-06-19``, ``2024-06``, ``2024``, ``2024-autumn``,
``2025-01/2025-02``, ``before 2024-06``. Relative expressions ("last year", "on Thursday")
need an anchor; without one the words are kept and the interval stays open. Calendar
arithmetic uses ``dateutil``; nothing is guessed beyond what the words and the anchor give.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ..claims import TimeSpec

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_SEASON = r"(?P<season>spring|summer|autumn|fall|winter)"
_REL = r"(?P<rel>last|this|next|past|previous|coming|early|late|earlier this|later this)"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_RULES: list[tuple[str, str]] = [
    ("month-day-year", _MON + r"\s+" + _DAY + r",?\s+" + _YEAR),
    ("day-month-year", _DAY + r"\s+(?:of\s+)?" + _MON + r",?\s+" + _YEAR),
    ("month-and-month", r"(?:in\s+)?" + _MON + r"\s+(?:and|to|through|-|\u2013)\s+" + _MON2 + r"(?:,?\s+" + _YEAR + r")?"),
    ("month-day", _MON + r"\s+" + _DAY + r"(?![\d,]*\s*(?:19|20)\d\d)\b"),
    ("day-month", _DAY + r"\s+(?:of\s+)?" + _MON + r"\b(?!,?\s+(?:19|20)\d\d)"),
    ("season-of-year", r"(?:the\s+)?" + _SEASON + r"\s+(?:of\s+)?" + _YEAR),
    ("season-rel", r"(?:(?:the\s+)?" + _SEASON + r"\s+(?:of\s+)?" + _REL + r"\s+year|" + _REL.replace("?P<rel>", "?P<rel2>") + r"\s+" + _SEASON.replace("?P<season>", "?P<season2>") + r")"),
    ("month-year", _MON + r",?\s+(?:of\s+)?" + _YEAR),
    ("month-rel-year", _MON + r"\s+(?P<rely>last|this|next)\s+year"),
    ("month", r"(?:(?:in|since|from|until|by|during|early|late|earlier in|later in|as of|of|last|this)\s+|mid-)" + _MON
     + r"\b(?!\s+\d)"),
    ("between-days", r"(?:between|from)\s+" + _MON + r"\s+" + _DAY + r"\s+(?:and|to|through)\s+" + _MON2 + r"\s+"
     + _DAY.replace("?P<day>", "?P<day2>")),
    ("ago", r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+(?P<agounit>day|week|month|"
     r"year)s?\s+ago"),
    ("recent", r"(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+(?:few\s+)?(?P<recunit>weeks|months|days)"),
    ("weekend", r"(?:over|during|at)\s+the\s+weekend|last\s+weekend"),
    ("rel-week-month-year", r"(?P<rw>earlier this|later this|last|this|next|past|previous|the previous|the past|the following)\s+(?P<unit>week|month|year)"),
    ("weekday", r"(?:on\s+|last\s+|this\s+|earlier on\s+)?" + _WD),
    ("yesterday-today", r"(?P<yt>yesterday|today)"),
    ("year", r"(?:in|since|from|by|during|of|until|before|after|early|late|mid-|throughout)\s+" + _YEAR + r"(?![\d-])"),
]
_COMPILED = [(name, re.compile(r"(?<![\w])(?:" + p + r")(?![\w])", re.IGNORECASE)) for name, p in _RULES]


# a cheap first pass: text without any of these words holds no time expression
_CUE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|spring|summer|autumn|fall|winter|last|this|"
                  r"next|past|previous|coming|earlier|later|following|ago|recent|weekend|Monday|Tuesday|Wednesday|Thursday|Friday|"
                  r"Saturday|Sunday|yesterday|today|(?:19|20)\d\d)", re.IGNORECASE)


@dataclass(frozen=True)
class TimeMatch:
    start: int
    end: int
    time: TimeSpec


def find_times(text: str, anchor: dt.date | None) -> list[TimeMatch]:
    """Every time expression in ``text``, resolved against ``anchor`` where it needs one."""
    if not _CUE.search(text):
        return []
    found = [(m.start(), -(m.end() - m.start()), prio, rule, m)
             for prio, (rule, pat) in enumerate(_COMPILED) for m in pat.finditer(text)]
    out: list[TimeMatch] = []
    taken_until = -1
    for start, _, _, rule, m in sorted(found, key=lambda f: f[:3]):
        if start < taken_until:
            continue
        if rule == "weekday" and not re.match(r"(on|last|this|earlier)", m.group(0), re.I) \
                and m.group(0)[0].islower():
            continue
        if rule in ("month", "month-day") and m.group("mon").lower() == "may" and not m.group(0)[0].isupper() \
                and rule == "month-day":
            continue
        spec = _resolve(rule, m, text, anchor)
        if spec is not None and anchor and spec.normalized and "/" not in spec.normalized \
                and spec.earliest and spec.earliest <= anchor \
                and (re.search(r"\bsince\s+$", text[max(0, m.start() - 7):m.start()], re.I)
                     or m.group(0).lower().startswith("since")):
            # "since the summer of 2023": from then until the anchor
            spec = TimeSpec(text=spec.text, normalized=f"{spec.normalized}/{anchor.year}-{anchor.month:02d}",
                            earliest=spec.earliest, latest=anchor, rule=f"since-{spec.rule}", anchor=anchor)
        if spec is not None:
            out.append(TimeMatch(m.start(), m.end(), spec))
            taken_until = m.end()
    return out


def resolve(text: str, anchor: dt.date | None) -> TimeSpec | None:
    """The first time expression in ``text`` as a TimeSpec, or None."""
    found = find_times(text, anchor)
    return found[0].time if found else None


def _month_bounds(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _past_year_for(month: int, anchor: dt.date | None, day: int = 1) -> int | None:
    """The year of the most recent such month (news mostly looks back)."""
    if anchor is None:
        return None
    return anchor.year if (month, day) <= (anchor.month, max(anchor.day, day if month != anchor.month else anchor.day)) \
        else anchor.year - 1


def _season(name: str, year: int) -> tuple[str, dt.date, dt.date]:
    name = "autumn" if name.lower() == "fall" else name.lower()
    a, b = SEASONS[name]
    start = dt.date(year, a, 1)
    end_year = year + 1 if b < a else year
    end = dt.date(end_year, b, calendar.monthrange(end_year, b)[1])
    return f"{year}-{name}", start, end


def _spec(m: re.Match, norm, lo, hi, rule, anchor) -> TimeSpec:
    return TimeSpec(text=m.group(0), normalized=norm, earliest=lo, latest=hi, rule=rule, anchor=anchor)


def _resolve(rule: str, m: re.Match, text: str, anchor: dt.date | None) -> TimeSpec | None:
    """One rule's reading of a match; an open TimeSpec when the rule needs the missing anchor."""
    if rule in _NEEDS_ANCHOR and anchor is None:
        return _spec(m, None, None, None, rule, anchor)
    return _RESOLVERS[rule](m, m.groupdict(), text, anchor, rule)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _full_date(m, g, text, anchor, rule):
    try:
        d = dt.date(int(g["year"]), _month(g["mon"]), int(g["day"]))
    except ValueError:
        return None
    return _spec(m, d.isoformat(), d, d, rule, anchor)


def _day_in_month(m, g, text, anchor, rule):
    mon, day = _month(g["mon"]), int(g["day"])
    year = _past_year_for(mon, anchor, day)
    try:
        d = dt.date(year, mon, day)
    except ValueError:
        return None
    return _spec(m, d.isoformat(), d, d, rule, anchor)


def _two_months(m, g, text, anchor, rule):
    a, b = _month(g["mon"]), _month(g["mon2"])
    if g.get("year"):
        ya = yb = int(g["year"])
    elif anchor is None:
        return _spec(m, None, None, None, rule, anchor)
    else:
        yb = _past_year_for(b, anchor)
        ya = yb if a <= b else yb - 1
    return _spec(m, f"{ya}-{a:02d}/{yb}-{b:02d}", _month_bounds(ya, a)[0], _month_bounds(yb, b)[1], rule, anchor)


def _month_of_year(m, g, text, anchor, rule):
    mon, year = _month(g["mon"]), int(g["year"])
    lo, hi = _month_bounds(year, mon)
    return _spec(m, f"{year}-{mon:02d}", lo, hi, rule, anchor)


def _month_of_rel_year(m, g, text, anchor, rule):
    mon = _month(g["mon"])
    year = anchor.year + {"last": -1, "this": 0, "next": 1}[g["rely"].lower()]
    lo, hi = _month_bounds(year, mon)
    return _spec(m, f"{year}-{mon:02d}", lo, hi, rule, anchor)


def _bare_month(m, g, text, anchor, rule):
    if g["mon"].lower() == "may" and g["mon"][0].islower():
        return None  # "may" the modal verb
    mon = _month(g["mon"])
    if anchor is None:
        return _spec(m, None, None, None, rule, anchor)
    if re.search(r"\bthis\s+year", text[m.end():m.end() + 12], re.I):
        year = anchor.year
    elif m.group(0).lower().startswith("last"):
        year = anchor.year - 1 if mon >= anchor.month else anchor.year
    else:
        year = _past_year_for(mon, anchor)
    lo, hi = _month_bounds(year, mon)
    return _spec(m, f"{year}-{mon:02d}", lo, hi, rule, anchor)


def _season_of_year(m, g, text, anchor, rule):
    norm, lo, hi = _season(g["season"], int(g["year"]))
    return _spec(m, norm, lo, hi, rule, anchor)


def _relative_season(m, g, text, anchor, rule):
    season = g.get("season") or g.get("season2")
    rel = (g.get("rel") or g.get("rel2") or "").lower()
    if g.get("season"):  # "autumn (of) last year"
        year = anchor.year + {"last": -1, "previous": -1, "past": -1, "next": 1}.get(rel, 0)
    else:  # "last fall": the latest season of that name that is over; "this fall": this year's
        _, lo, _ = _season(season, anchor.year)
        recent = rel in ("last", "past", "previous") and lo <= anchor - relativedelta(months=3)
        year = anchor.year if rel == "this" or recent else anchor.year - 1
        if rel in ("next", "coming"):
            year = anchor.year if lo > anchor else anchor.year + 1
    norm, lo, hi = _season(season, year)
    return _spec(m, norm, lo, hi, rule, anchor)


def _relative_unit(m, g, text, anchor, rule):
    rw, unit = g["rw"].lower(), g["unit"].lower()
    step = -1 if rw in ("last", "past", "previous", "the previous", "the past") else \
        1 if rw in ("next", "the following") else 0
    if unit == "year":
        y = anchor.year + step
        return _spec(m, str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), rule, anchor)
    if unit == "month":
        d = anchor + relativedelta(months=step)
        lo, hi = _month_bounds(d.year, d.month)
        return _spec(m, f"{d.year}-{d.month:02d}", lo, anchor if rw == "earlier this" else hi, rule, anchor)
    monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=step)
    sunday = monday + dt.timedelta(days=6)
    return _spec(m, f"{monday.isoformat()}/{sunday.isoformat()}", monday, sunday, rule, anchor)


def _weekday(m, g, text, anchor, rule):
    back = (anchor.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
    if m.group(0).lower().startswith("last") and back == 0:
        back = 7
    d = anchor - dt.timedelta(days=back)
    return _spec(m, d.isoformat(), d, d, rule, anchor)


def _yesterday_today(m, g, text, anchor, rule):
    d = anchor - dt.timedelta(days=1 if g["yt"].lower() == "yesterday" else 0)
    return _spec(m, d.isoformat(), d, d, rule, anchor)


def _year(m, g, text, anchor, rule):
    year = int(g["year"])
    lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if m.group(0).lower().startswith("before"):
        return _spec(m, f"before {year}", None, lo, "before-year", anchor)
    return _spec(m, str(year), lo, hi, rule, anchor)


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}


def _between_days(m, g, text, anchor, rule):
    a, b = _month(g["mon"]), _month(g["mon2"])
    yb = _past_year_for(b, anchor, int(g["day2"]))
    ya = yb if a <= b else yb - 1
    try:
        lo, hi = dt.date(ya, a, int(g["day"])), dt.date(yb, b, int(g["day2"]))
    except ValueError:
        return None
    return _spec(m, f"{lo.isoformat()}/{hi.isoformat()}", lo, hi, rule, anchor)


def _ago(m, g, text, anchor, rule):
    n = g["n"].lower()
    if n in ("several", "a few"):
        return _spec(m, None, None, anchor, rule, anchor)  # before the anchor, no closer than that
    k = int(n) if n.isdigit() else _NUMBER_WORDS[n]
    unit = g["agounit"].lower()
    if unit == "day":
        d = anchor - dt.timedelta(days=k)
        return _spec(m, d.isoformat(), d, d, rule, anchor)
    if unit == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday(), weeks=k)
        return _spec(m, f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}", monday,
                     monday + dt.timedelta(days=6), rule, anchor)
    if unit == "month":
        d = anchor - relativedelta(months=k)
        lo, hi = _month_bounds(d.year, d.month)
        return _spec(m, f"{d.year}-{d.month:02d}", lo, hi, rule, anchor)
    y = anchor.year - k
    return _spec(m, str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), rule, anchor)


def _recent(m, g, text, anchor, rule):
    span = {"days": relativedelta(days=10), "weeks": relativedelta(weeks=5), "months": relativedelta(months=4)}
    lo = anchor - span[g["recunit"].lower()]
    norm = f"{lo.isoformat()}/{anchor.isoformat()}" if g["recunit"].lower() == "days" else \
        f"{lo.year}-{lo.month:02d}/{anchor.year}-{anchor.month:02d}"
    return _spec(m, norm, lo, anchor, rule, anchor)


def _weekend(m, g, text, anchor, rule):
    back = (anchor.weekday() - 5) % 7 or 7  # the latest Saturday before the anchor day
    sat = anchor - dt.timedelta(days=back)
    sun = min(sat + dt.timedelta(days=1), anchor)
    return _spec(m, f"{sat.isoformat()}/{sun.isoformat()}", sat, sun, rule, anchor)


_RESOLVERS = {
    "between-days": _between_days, "ago": _ago, "recent": _recent, "weekend": _weekend,
    "month-day-year": _full_date, "day-month-year": _full_date,
    "month-day": _day_in_month, "day-month": _day_in_month,
    "month-and-month": _two_months, "month-year": _month_of_year, "month-rel-year": _month_of_rel_year,
    "month": _bare_month, "season-of-year": _season_of_year, "season-rel": _relative_season,
    "rel-week-month-year": _relative_unit, "weekday": _weekday, "yesterday-today": _yesterday_today,
    "year": _year,
}
# rules that read the words against the publication date, and so need one
_NEEDS_ANCHOR = {"month-day", "day-month", "month-rel-year", "season-rel", "rel-week-month-year", "weekday",
                 "yesterday-today", "between-days", "ago", "recent", "weekend"}
