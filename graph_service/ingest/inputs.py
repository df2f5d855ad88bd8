"""The ``kg ingest`` command line as pending articles: paths, page URLs and feed URLs.

A positional argument is a URL when it starts with ``http://`` or ``https://`` (its scheme
says so; nothing else about it is guessed) and a path otherwise. URLs are fetched only when
their article is loaded, by one ``Fetcher`` for the whole run.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from ..articles import Article
from ..errors import ArticleError, InputError
from . import feeds, sources, webpage
from .fetch import Fetcher, FetchOptions, default_pages_dir
from .sources import Pending

URL_SCHEMES = ("http://", "https://")


def fetch_options(args: argparse.Namespace) -> FetchOptions:
    return FetchOptions(pages=args.pages or default_pages_dir(), timeout=args.timeout,
                        max_bytes=args.max_bytes, delay=args.delay)


def is_url(argument: str) -> bool:
    return argument.lower().startswith(URL_SCHEMES)


def pending(arguments: list[str], *, feeds: list[str], meta_path: Path | None = None,
            fetch: FetchOptions | None = None) -> list[Pending]:
    """Every article the arguments name, in order, each still to be loaded."""
    if not arguments and not feeds:
        raise InputError("give files, folders or URLs to ingest, or --feed URL")
    if meta_path is not None and (len(arguments) != 1 or is_url(arguments[0])
                                  or Path(arguments[0]).is_dir()):
        raise InputError("--meta goes with one article file; for several, put ARTICLE.json "
                         "beside each")
    fetcher = Fetcher(fetch or FetchOptions(pages=default_pages_dir()))
    out: list[Pending] = []
    for argument in arguments:
        if is_url(argument):
            out.append(Pending(argument, lambda url=argument: page_article(fetcher, url)))
        else:
            out.extend(sources.from_path(Path(argument), meta_path=meta_path))
    for url in feeds:
        out.extend(feed_items(fetcher, url))
    return out


def page_article(fetcher: Fetcher, url: str, *, reuse: bool = False) -> Article:
    fetched = fetcher.get(url, reuse=reuse)
    return webpage.article_from_html(fetched.data, where=url, url=fetched.final_url,
                                     fetched_at=fetched.fetched_at)


def feed_items(fetcher: Fetcher, url: str) -> Iterator[Pending]:
    """A feed's items: each from the text the feed carries, or else from its link's page
    (a page fetched on an earlier poll is not asked for again)."""
    try:
        fetched = fetcher.get(url, media_type="application/rss+xml, application/atom+xml")
        feed = feeds.parse_feed(fetched.data, where=url)
    except ArticleError as err:
        yield Pending(url, sources.raiser(err))
        return
    for item in feed.items:
        name = f"{url} [{item.key}]"
        yield Pending(name, lambda item=item, name=name: _item_article(fetcher, item, feed,
                                                                       name, fetched.data))


def _item_article(fetcher: Fetcher, item: feeds.FeedItem, feed: feeds.Feed, name: str,
                  data: bytes) -> Article:
    if item.html:
        return feeds.article_from_item(item, feed, where=name, data=data)
    if not item.link or not is_url(item.link):
        raise ArticleError("the feed item has neither text nor an http(s) link", where=name)
    return feeds.article_from_linked_page(page_article(fetcher, item.link, reuse=True),
                                          item, feed)
