"""Time expressions resolved against the publication date (FORMAT.md normal forms)."""

import datetime as dt

import pytest

from graph_service.extraction.timex import find_times, resolve

D = dt.date
# (text, anchor) -> normalized; None where the words need an anchor that is missing
CASES = [
    ("in January and February", D(2025, 3, 27), "2025-01/2025-02"),
    ("in December and January", D(2025, 2, 10), "2024-12/2025-01"),
    ("in autumn last year", D(2025, 3, 27), "2024-autumn"),
    ("in the autumn of 2024", D(2025, 3, 27), "2024-autumn"),
    ("last year", D(2025, 4, 28), "2024"),
    ("in 2023", D(2024, 6, 26), "2023"),
    ("since 2023", D(2025, 6, 18), "2023/2025-06"),
    ("on Thursday", D(2025, 3, 27), "2025-03-27"),
    ("on Tuesday", D(2024, 6, 26), "2024-06-25"),
    ("on Saturday", D(2025, 4, 28), "2025-04-26"),
    ("since last fall", D(2024, 6, 26), "2023-autumn/2024-06"),
    ("as early as next month", D(2024, 6, 26), "2024-07"),
    ("scheduled for this month", D(2024, 9, 19), "2024-09"),
    ("earlier this month", D(2024, 12, 24), "2024-12"),
    ("last month", D(2024, 9, 19), "2024-08"),
    ("last week", D(2025, 4, 28), "2025-04-21/2025-04-27"),
    ("in June 2024", D(2025, 1, 1), "2024-06"),
    ("June 19, 2024", None, "2024-06-19"),
    ("On June 19th, they signed", D(2024, 6, 26), "2024-06-19"),
    ("In November, the troops", D(2025, 3, 27), "2024-11"),
    ("In February, officials", D(2024, 6, 26), "2024-02"),
    ("On April 24, the unit", D(2025, 4, 28), "2025-04-24"),
    ("earlier in June this year", D(2024, 6, 26), "2024-06"),
    ("since March", D(2024, 11, 22), "2024-03/2024-11"),
    ("this autumn", D(2024, 12, 24), "2024-autumn"),
    ("in mid-October", D(2024, 11, 20), "2024-10"),
    ("over the weekend", D(2024, 11, 20), "2024-11-16/2024-11-17"),
    ("two weeks ago", D(2024, 11, 20), "2024-11-04/2024-11-10"),
    ("three months ago", D(2024, 11, 20), "2024-08"),
    ("in recent weeks", D(2024, 11, 20), "2024-10/2024-11"),
    ("between Oct. 8 and Oct. 13", D(2024, 10, 18), "2024-10-08/2024-10-13"),
    ("in January", None, None),
    ("two weeks ago", None, None),
    ("last year", None, None),
]


@pytest.mark.parametrize("text,anchor,normalized", CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_resolve(text, anchor, normalized):
    spec = resolve(text, anchor)
    assert spec is not None, text
    assert spec.normalized == normalized
    assert spec.text in text
    assert spec.anchor == anchor
    if normalized is None:
        assert spec.earliest is None and spec.latest is None  # never invent a date


@pytest.mark.parametrize("text", ["it may be close", "a 152mm shell", "the North Korean troops"])
def test_no_time(text):
    assert find_times(text, D(2024, 1, 1)) == []


def test_interval_bounds():
    spec = resolve("in autumn last year", D(2025, 3, 27))
    assert (spec.earliest, spec.latest) == (D(2024, 9, 1), D(2024, 11, 30))
    assert spec.rule
