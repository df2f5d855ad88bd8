"""One ingest run over many inputs: bad inputs skipped by name, a stopped run resumed without
re-reading what is stored, and progress shown as a bar on a terminal or a summary line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from graph_service.articles import article_from_text
from graph_service.errors import ArticleError
from graph_service.ingest import progress as progress_module
from graph_service.ingest.progress import LiveProgress, Progress, reporter
from graph_service.ingest.run import run
from graph_service.ingest.sources import Pending, from_path
from graph_service.store import OxigraphStore

PAGES = Path(__file__).parent / "data" / "pages"
TEXTS = [f"North Korea sent {n} troops to Russia in {m}, South Korea's spy agency said.\n"
         for n, m in (("1,100", "March"), ("1,200", "April"), ("1,300", "May"), ("1,400", "June"))]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def store(tmp_path):
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


def articles_in(store) -> int:
    (row,) = store.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { "
                         "?a a <https://w3id.org/nkru/ontology#Article> }")
    return int(row["n"].value)


def quiet() -> Progress:
    return Progress(err=io.StringIO(), out=io.StringIO())


def test_a_stopped_run_is_resumed(store):
    pending = [Pending(f"a{i}", lambda t=t: article_from_text(t)) for i, t in enumerate(TEXTS)]

    def stop():
        raise KeyboardInterrupt

    stopped = pending[:2] + [Pending("stop", stop)] + pending[2:]
    with pytest.raises(KeyboardInterrupt):
        run(store, stopped, progress=quiet(), batch_size=1, relink=False)
    assert articles_in(store) == 2           # what was written stays, whole
    report = run(store, pending, progress=quiet(), batch_size=1)
    assert report.present == ["a0", "a1"]     # not extracted again
    assert [p.article.text for p in report.stored] == TEXTS[2:]
    assert articles_in(store) == 4


def test_bad_inputs_are_named_and_the_rest_stored(store):
    pending = list(from_path(PAGES))          # five pages, one without an article, and a feed
    report = run(store, pending, progress=quiet())
    failed = {f.name for f in report.failures}
    assert failed == {str(PAGES / "no-article.html"),
                      f"{PAGES / 'wire-feed.xml'} [northern-desk-teaser]"}
    assert len(report.stored) == 5 and articles_in(store) == 5


def test_the_same_article_twice_in_one_run_is_stored_once(store):
    pending = [Pending(n, lambda: article_from_text(TEXTS[0])) for n in ("one", "two")]
    report = run(store, pending, progress=quiet())
    assert len(report.stored) == 1 and report.present == ["two"]


def test_summary_line_off_a_terminal(store):
    err, out = io.StringIO(), io.StringIO()
    pending = [Pending("good", lambda: article_from_text(TEXTS[0])),
               Pending("bad", lambda: (_ for _ in ()).throw(ArticleError("article is empty",
                                                                         where="bad")))]
    run(store, pending, progress=reporter(many=True, err=err, out=out))
    lines = err.getvalue().splitlines()
    assert lines[0] == "bad: article is empty"
    assert lines[-1].startswith("ingest: 1 stored, 0 already in the graph, 1 failed, of 2; ")
    assert lines[-1].endswith(" articles/s") and " claims; " in lines[-1]
    assert len(out.getvalue().splitlines()) == 1   # one line per stored article


def test_a_bar_on_a_terminal(store, monkeypatch):
    err = Terminal()
    progress = reporter(many=True, err=err, out=io.StringIO())
    assert isinstance(progress, LiveProgress)
    progress.console.width = 160  # keep every column on the line
    pending = [Pending("good", lambda: article_from_text(TEXTS[1]))]
    run(store, pending, progress=progress)
    shown = err.getvalue()
    assert "1/1" in shown and "claims" in shown and "0 failed" in shown and "articles/s" in shown


def test_one_input_prints_no_summary():
    assert reporter(many=False, err=Terminal()).quiet_summary is True
    assert not isinstance(reporter(many=False, err=Terminal()), LiveProgress)
    assert progress_module.Tally(stored=3).summary().startswith("ingest: 3 stored")
