"""Saved pages, feeds and plain text as articles: main text and metadata from the page, the
date with its basis and precision, boilerplate marked to skip (never removed), wire credits,
and a bad input failing by name. Fixtures: tests/data/pages/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.errors import ArticleError
from graph_service.ingest import boilerplate, sources, wire
from graph_service.extraction import extract
from graph_service.pipeline import prepare, readable
from graph_service.rdfize import article_graph
from graph_service.resources import SEEDS_DIR
from graph_service.vocab import KG

PAGES = Path(__file__).parent / "data" / "pages"

# page -> what trafilatura and htmldate must find in it
PAGE_CASES = [
    ("harbour-times-wire.html", {
        "title": "North Korea sent more troops to Russia, Seoul says", "outlet": "Harbour Times",
        "published": "2025-02-11", "published_precision": "day", "basis": "page markup",
        "url": "https://harbour-times.example/world/nk-troops-russia", "wire": "Reuters"}),
    ("valley-post-wire.html", {
        "title": "Seoul: Pyongyang sends 1,500 more soldiers to Russia", "outlet": "Valley Post",
        "published": "2025-02-11", "published_precision": "day", "basis": "page markup",
        "url": None, "wire": "Reuters"}),
    ("steppe-review-url-date.html", {
        "title": "Treaty ratified in Moscow", "author": "Mira Ostrova",
        "published": "2024-11-09", "published_precision": "day", "basis": "URL",
        "url": "https://steppe-review.example/2024/11/09/treaty-ratified", "wire": None}),
    ("river-notes-text-date.html", {
        "title": "Shells for oil", "published": "2025-03-03",
        "published_precision": "approximate", "basis": "a date in the page's text",
        "url": None, "wire": None}),
]


@pytest.mark.parametrize("name, expected", PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
def test_page_metadata(name, expected):
    article = sources.html_article(PAGES / name)
    for key in ("title", "outlet", "author", "url", "wire", "published_precision"):
        if key in expected:
            assert getattr(article, key) == expected[key], key
    assert article.published.isoformat() == expected["published"]
    assert expected["basis"] in article.published_basis
    assert article.origin is not None and len(article.origin.sha256) == 64
    assert article.origin.fetched_at is None  # saved by hand, not fetched


@pytest.mark.parametrize("name", ["harbour-times-wire.html", "valley-post-wire.html"])
def test_page_debris_is_not_in_the_text(name):
    text = sources.html_article(PAGES / name).text
    assert "North Korea has sent about 1,500 additional troops" in text
    for debris in ("Advertisement", "63.3 F", "Subscribe", "Related stories", "Facebook",
                   "file picture", "file photo", "Harvest festival", "newsletter", "Sponsored"):
        assert debris not in text, debris


def test_a_page_without_an_article_fails_by_name():
    with pytest.raises(ArticleError) as err:
        sources.html_article(PAGES / "no-article.html")
    assert "no-article.html" in str(err.value) and "no article text" in str(err.value)


def test_a_netscape_rss_doctype_is_read(tmp_path):
    feed = tmp_path / "old.rss"
    feed.write_bytes((PAGES / "wire-feed.xml").read_bytes().replace(
        b"<rss ", b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                  b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss ', 1))
    items = list(sources.from_path(feed))
    assert len(items) == 2 and items[0].load().title == "Shipments continue, monitors say"


def test_feed_items_full_text_and_teaser():
    items = list(sources.from_path(PAGES / "wire-feed.xml"))
    assert len(items) == 2
    article = items[0].load()
    assert article.title == "Shipments continue, monitors say"
    assert article.outlet == "Northern Desk"
    assert article.published.isoformat() == "2025-03-04"
    assert article.published_basis == "the feed item's publication date"
    assert article.text.startswith("North Korea has shipped more than 2 million artillery shells")
    with pytest.raises(ArticleError) as err:
        items[1].load()
    assert "northern-desk-teaser" in str(err.value) and "no article text" in str(err.value)


@pytest.mark.parametrize("data, needle", [
    (b"<rss><channel><title>T</ti", "not a readable RSS or Atom feed"),
    (b"just some words", "not"),
    (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     b"<rss><channel><title>&b;</title></channel></rss>", "declares XML entities"),
])
def test_a_broken_feed_fails_by_name(tmp_path, data, needle):
    feed = tmp_path / "broken.rss"
    feed.write_bytes(data)
    (item,) = sources.from_path(feed)
    with pytest.raises(ArticleError) as err:
        item.load()
    assert "broken.rss" in str(err.value) and needle in str(err.value)


def test_a_folder_is_walked_by_extension(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("North Korea sent troops to Russia, officials said.\n")
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "sub" / "b.html").write_bytes((PAGES / "valley-post-wire.html").read_bytes())
    (tmp_path / "notes.docx").write_bytes(b"PK")
    names = [Path(p.name).name for p in sources.from_path(tmp_path)]
    assert names == ["a.txt", "b.html"]


def test_an_unknown_extension_given_by_name_fails(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK")
    (item,) = sources.from_path(path)
    with pytest.raises(ArticleError, match=r"notes\.docx.*\.atom"):
        item.load()


# ---------------------------------------------------------------- boilerplate in plain text

SEED_DEBRIS = {  # seed file prefix -> (kind, the line) of each boilerplate line in it
    "000": [("widget", "63.3 F"), ("widget", "Los Angeles"), ("advertisement", "- Advertisement -")],
    "001": [("caption", "podpis źródła zdjęcia"), ("related", "More In Politics MORE...")],
    "004": [("subscribe", "Discover more from Defence Talks | Defense News Hub, Military "
                          "Updates, Security Insights"),
            ("subscribe", "Subscribe to get the latest posts sent to your email.")],
}


@pytest.mark.parametrize("prefix", sorted(SEED_DEBRIS))
def test_seed_debris_is_marked_not_removed(prefix):
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    article = sources.text_article(path)
    assert article.text == path.read_text(encoding="utf-8")  # the text is kept whole
    assert [(s.kind, article.text[s.start:s.end]) for s in article.skipped] == SEED_DEBRIS[prefix]
    blank = article.readable_text()
    assert len(blank) == len(article.text)
    for span in article.skipped:
        assert not blank[span.start:span.end].strip()


@pytest.mark.parametrize("line", [
    "North Korea sent 3,000 more troops to Russia, the Joint Chiefs of Staff said.",
    "Share of exports to Russia rose, officials said.",
    "Subscribers to the service said North Korea had sent troops.",
    "63 F-16 fighters were delivered to Ukraine by the coalition, officials said on Friday.",
    "Advertisement revenue fell at state media, the ministry said.",
])
def test_prose_is_never_boilerplate(line):
    assert boilerplate.line_kind(line) is None


def test_a_caption_is_skipped_and_quotes_still_anchor():
    text = ("North Korea sent 1,000 engineers to Kursk Oblast, Ukraine's military said.\n"
            "North Korea sent 5,000 troops to Russia in May, officials said. (AP Photo/File)\n"
            "North Korea sent 2,000 more troops to Russia in March, Seoul said.\n")
    from graph_service.articles import article_from_text
    from dataclasses import replace

    article = article_from_text(text)
    article = replace(article, skipped=boilerplate.skip_spans(text))
    assert [s.kind for s in article.skipped] == ["caption"]
    prepared = prepare(article)
    assert prepared.claims
    for claim in prepared.claims:
        assert article.text[claim.start:claim.end] == claim.quote
        assert "5,000" not in claim.quote  # the caption's figure is not read
    assert any("5,000" in c.quote for c in extract(replace(article, skipped=())))
    # the stored graph keeps the whole text and the skipped span with its offsets
    g = article_graph(article, prepared.claims)
    spans = list(g.objects(None, KG.skippedSpan))
    assert len(spans) == 1 and str(g.value(spans[0], KG.boilerplateKind)) == "caption"
    assert readable(article).text != text


# ---------------------------------------------------------------- wire credits

@pytest.mark.parametrize("text, agency", [
    ("SEOUL, Feb 11 (Reuters) - North Korea has sent", "Reuters"),
    ("MOSCOW (AP) — Russia said", "Associated Press"),
    ("SEOUL, Oct. 8 (Yonhap) -- The ministry", "Yonhap"),
    ("The ministry said so.\n— AFP", "Agence France-Presse"),
    ("By The Associated Press\nSEOUL — x", "Associated Press"),
    ("Yonhap reported that North Korea sent troops.", None),
    ("The AP said North Korea sent troops, citing Reuters.", None),
])
def test_wire_credits(text, agency):
    assert wire.wire_credit(text) == agency


def test_the_wire_credit_is_recorded_on_the_article():
    article = sources.html_article(PAGES / "harbour-times-wire.html")
    g = article_graph(article, [])
    node = next(g.subjects(KG.originalOutlet, None))
    assert str(g.value(node, KG.originalOutlet)) == "https://w3id.org/nkru/id/entity/reuters"
    assert "page markup" in str(g.value(node, KG.dateBasis))
    page = g.value(node, KG.fromPage)
    assert str(g.value(page, KG.sha256)) == article.origin.sha256
