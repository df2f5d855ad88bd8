"""kg ingest URL and --feed URL against a real HTTP server on loopback (tests/news_server.py):
each path's expected outcome, robots.txt, the User-Agent, conditional re-polling, redirects,
the size cap, timeouts, the per-host delay, and a rebuild from the kept pages without the
network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import URIRef

from graph_service.cli import main
from graph_service.ingest.fetch import USER_AGENT, Fetcher, FetchError, FetchOptions
from graph_service.store import OxigraphStore
from graph_service.vocab import KG
from news_server import news_site  # noqa: F401  (fixture)

pytestmark = pytest.mark.server

# path -> None (stored) or the words the error names it with
CASES = [
    ("/news/harbour.html", None),
    ("/r/3", None),                                   # three redirects: within the limit of 5
    ("/private/secret.html", "robots.txt forbids"),
    ("/to-private", "robots.txt forbids"),            # a redirect is checked like a request
    ("/slow.html", "no answer within"),
    ("/missing.html", "HTTP 404"),
    ("/loop/0", "more than 5 redirects"),
    ("/huge.html", "the limit is 100,000"),
    ("/huge-unsized.html", "over the limit of 100,000"),
    ("/news/empty.html", "no article text"),
]


def ingest(capsys, store: Path, pages: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["ingest", *argv, "--store", str(store), "--pages", str(pages),
                 "--delay", "0", "--timeout", "0.5", "--max-bytes", "100000"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path, error", CASES, ids=[c[0] for c in CASES])
def test_each_path_has_its_outcome(news_site, tmp_path, capsys, path, error):
    url = news_site.url + path
    code, out, err = ingest(capsys, tmp_path / "store", tmp_path / "pages", url)
    if error is None:
        assert code == 0 and "claims" in out, err
    else:
        assert code == 2 and out == ""
        assert url in err and error in err
        assert "Traceback" not in err
    assert news_site.requests_for("/private/secret.html") == []  # never asked for


def test_many_urls_one_bad_the_rest_stored(news_site, tmp_path, capsys):
    urls = [news_site.url + p for p in ("/news/harbour.html", "/missing.html", "/news/steppe.html")]
    code, out, err = ingest(capsys, tmp_path / "store", tmp_path / "pages", *urls)
    assert code == 2
    assert len(out.strip().splitlines()) == 2
    assert "/missing.html: HTTP 404" in err and "2 stored" in err and "1 failed" in err


def test_user_agent_and_one_robots_txt_per_host(news_site, tmp_path, capsys):
    urls = [news_site.url + p for p in ("/news/harbour.html", "/news/steppe.html")]
    ingest(capsys, tmp_path / "store", tmp_path / "pages", *urls)
    assert len(news_site.requests_for("/robots.txt")) == 1
    for _, headers in news_site.log:
        assert headers["User-Agent"] == USER_AGENT


def test_repolling_a_feed_fetches_only_what_is_new(news_site, tmp_path, capsys):
    feed = news_site.url + "/feed.xml"
    store, pages = tmp_path / "store", tmp_path / "pages"
    code, out, err = ingest(capsys, store, pages, "--feed", feed)
    assert code == 0, err
    assert len(out.strip().splitlines()) == 2
    assert len(news_site.requests_for("/news/harbour.html")) == 1
    news_site.log.clear()
    code, out, err = ingest(capsys, store, pages, "--feed", feed)
    assert code == 0 and out == ""
    assert "2 already in the graph" in err
    (poll,) = news_site.requests_for("/feed.xml")
    assert poll.get("If-None-Match") == '"f1"'               # conditional: answered 304
    assert news_site.requests_for("/news/harbour.html") == []  # items seen before: not asked


def test_a_url_is_asked_for_again_conditionally(news_site, tmp_path, capsys):
    url = news_site.url + "/news/harbour.html"
    store, pages = tmp_path / "store", tmp_path / "pages"
    ingest(capsys, store, pages, url)
    code, out, err = ingest(capsys, store, pages, url)
    assert code == 0 and out == ""
    again = news_site.requests_for("/news/harbour.html")[-1]
    assert again.get("If-None-Match") == '"h1"'
    assert again.get("If-Modified-Since")


def test_fetched_pages_rebuild_without_the_network(news_site, tmp_path, capsys):
    store, pages = tmp_path / "store", tmp_path / "pages"
    url = news_site.url + "/news/harbour.html"
    code, out, _ = ingest(capsys, store, pages, url)
    assert code == 0
    article = out.split(":", 2)[0] + ":" + out.split(":", 2)[1]
    # a fresh store from the kept pages alone: no request reaches the server
    news_site.log.clear()
    code, out2, err = ingest(capsys, tmp_path / "rebuilt", pages, str(pages))
    assert code == 0, err
    assert news_site.log == []
    assert out2.startswith(article)
    s = OxigraphStore(tmp_path / "rebuilt")
    try:
        g = s.graph(out2.split("<", 1)[1].split(">", 1)[0])
    finally:
        s.close()
    page = g.value(URIRef(article), KG.fromPage)
    assert page is not None
    fetched = g.value(page, URIRef("http://www.w3.org/ns/prov#generatedAtTime"))
    assert fetched is not None and fetched.toPython().tzinfo is not None
    assert str(g.value(page, URIRef("https://schema.org/url"))) == url


def test_a_polled_feed_rebuilds_without_the_network(news_site, tmp_path, capsys):
    pages = tmp_path / "pages"
    code, out, err = ingest(capsys, tmp_path / "store", pages, "--feed", news_site.url + "/feed.xml")
    assert code == 0, err
    stored = sorted(line.split(":", 2)[1] for line in out.strip().splitlines())
    news_site.log.clear()
    # the kept feed's items are read from the kept pages: nothing fails, nothing is asked
    code, out, err = ingest(capsys, tmp_path / "rebuilt", pages, str(pages))
    assert code == 0, err
    assert news_site.log == []
    assert sorted(line.split(":", 2)[1] for line in out.strip().splitlines()) == stored
    assert "0 failed" in err


def test_the_per_host_delay_is_kept(news_site, tmp_path):
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 3))
        now[0] += seconds

    fetcher = Fetcher(FetchOptions(pages=tmp_path, delay=2.0, timeout=5), clock=lambda: now[0],
                      sleep=sleep)
    fetcher.get(news_site.url + "/news/harbour.html")
    fetcher.get(news_site.url + "/news/valley.html")
    # robots.txt, then the first page after 2 s, then the second after 2 s more
    assert waits == [2.0, 2.0]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "http://"])
def test_only_http_urls_are_fetched(tmp_path, url):
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher(FetchOptions(pages=tmp_path)).get(url)


def test_kept_pages_are_named_by_digest(news_site, tmp_path):
    fetched = Fetcher(FetchOptions(pages=tmp_path, delay=0)).get(news_site.url + "/feed.xml")
    import hashlib

    assert fetched.path.name == hashlib.sha256(fetched.data).hexdigest() + ".xml"
    assert fetched.fetched_at.tzinfo is dt.timezone.utc
