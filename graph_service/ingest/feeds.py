"""RSS and Atom feeds -> items, parsed by feedparser.

A feed item becomes an article from the text it carries (``content:encoded``, Atom
``content``, or a ``description`` long enough to be the story), read by trafilatura like a
page; an item that carries only a teaser has its link, which ``kg ingest --feed URL`` fetches.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..articles import Article
from ..errors import ArticleError
from . import webpage

MAX_FEED_BYTES = 10_000_000
_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
MIN_WORDS = 40  # shorter item text is a teaser, not the story


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, as the feed describes it."""

    key: str                   # the entry's id (or its link), for naming it in reports
    title: str | None
    link: str | None
    published: dt.date | None
    author: str | None
    html: str | None           # the story as the feed carries it, if it does


@dataclass(frozen=True)
class Feed:
    title: str | None
    items: tuple[FeedItem, ...]


def parse_feed(data: bytes, *, where: str) -> Feed:
    """The feed's items; ArticleError (with line and column when feedparser gives them) for
    bytes that are no feed."""
    import feedparser

    if len(data) > MAX_FEED_BYTES:
        raise ArticleError(f"feed is {len(data):,} bytes; the limit is {MAX_FEED_BYTES:,}",
                           where=where)
    if _ENTITY_DECLARATION.search(data):
        # A feed needs no entity of its own; nested ones expand without bound ("billion
        # laughs"), and feedparser's stripping of them depends on their layout. A DOCTYPE
        # alone (RSS 0.91's) is fine.
        raise ArticleError("a feed that declares XML entities (<!ENTITY) is not read; "
                           "entities could expand without bound", where=where)
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise ArticleError(f"not a readable RSS or Atom feed: {_reason(parsed.bozo_exception)}",
                           where=where)
    if not parsed.get("version") and not parsed.entries:
        raise ArticleError("not an RSS or Atom feed (no channel or feed element)", where=where)
    items = tuple(_item(e, i) for i, e in enumerate(parsed.entries))
    return Feed(title=parsed.feed.get("title") or None, items=items)


def _reason(err: Exception | None) -> str:
    if err is None:
        return "unknown error"
    line = getattr(err, "getLineNumber", lambda: None)()
    column = getattr(err, "getColumnNumber", lambda: None)()
    where = f" (line {line}, column {column})" if line is not None else ""
    return f"{getattr(err, 'getMessage', lambda: str(err))()}{where}"


def _item(entry, index: int) -> FeedItem:
    html = None
    for content in entry.get("content") or ():
        if content.get("value"):
            html = content["value"]
            break
    summary = entry.get("summary")
    if html is None and summary and len(summary.split()) >= MIN_WORDS:
        html = summary
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    link = entry.get("link") or None
    return FeedItem(key=entry.get("id") or link or f"item {index + 1}",
                    title=entry.get("title") or None, link=link, published=published,
                    author=entry.get("author") or None, html=html)


def article_from_item(item: FeedItem, feed: Feed, *, where: str, data: bytes) -> Article:
    """The article an item carries in full; ArticleError when it carries only a teaser.

    The metadata comes from the feed (its title, the item's title, date, author and link); the
    date's basis says so. ``data``: the feed's bytes, whose digest is the article's origin.
    """
    from dataclasses import replace

    if not item.html:
        raise ArticleError("the feed item carries no article text (only a title or teaser); "
                           "fetch its link with kg ingest --feed URL or kg ingest URL",
                           where=where)
    page = f"<html><body><article>{item.html}</article></body></html>".encode("utf-8")
    article = webpage.article_from_html(page, where=where, url=item.link)
    extra = {"title": item.title or article.title, "author": item.author or article.author,
             "outlet": feed.title or article.outlet,
             "origin": webpage.page_origin(data, media_type="application/rss+xml",
                                           url=None)}
    if item.published is not None:
        extra.update(published=item.published, published_precision="day",
                     published_basis="the feed item's publication date")
    return replace(article, **extra)


def article_from_linked_page(article: Article, item: FeedItem, feed: Feed) -> Article:
    """The article of an item's linked page, with what the page lacks taken from the feed:
    its title, the outlet (the feed's title) and the date (the item's, so stated)."""
    from dataclasses import replace

    extra: dict = {"title": article.title or item.title, "outlet": article.outlet or feed.title}
    if article.published is None and item.published is not None:
        extra.update(published=item.published, published_precision="day",
                     published_basis="the feed item's publication date")
    return replace(article, **extra)
