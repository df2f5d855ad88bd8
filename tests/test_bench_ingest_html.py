"""Keeps bench/bench_ingest_html.py from rotting: its pages are read as articles, with their
debris marked or gone. No timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench_ingest_html  # noqa: E402


def test_bench_pages_are_articles(tmp_path):
    folder = tmp_path / "pages"
    assert bench_ingest_html.write_pages(folder, pages=3) > 0
    result = bench_ingest_html.phase_read(folder)
    assert result["pages"] == 3 and result["pages_per_second"] > 0
    assert len(list((tmp_path / "texts").glob("*.txt"))) == 3
    from graph_service.ingest import sources

    article = sources.html_article(sorted(folder.glob("*.html"))[0])
    assert article.outlet == "Bench Gazette" and article.published is not None
    assert "Advertisement" not in article.text and "Related stories" not in article.text
