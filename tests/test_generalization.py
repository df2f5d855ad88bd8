"""Extraction on articles the rules were not written against must not get worse.

The floors sit a little below the figures measured when the sets were added (see
tests/articles-unseen/README.md): a change that loses recall or precision on unseen text fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.evaluation import score_folder

HERE = Path(__file__).parent / "articles-unseen"


@pytest.mark.parametrize("name, floor", [("set1", 0.60), ("set2", 0.53)])
def test_strict_f1_on_unseen_articles_does_not_fall(name, floor):
    figures = score_folder(HERE / name / "gold", HERE / name)
    assert figures["articles"] >= 6
    assert figures["strict"]["f"] >= floor, figures["strict"]
