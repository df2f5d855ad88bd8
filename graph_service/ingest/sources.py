"""What ``kg ingest`` is given, as values: files by kind, folders walked, URLs and feeds.

The kind of a file is its extension, from one table (``KINDS``); nothing is sniffed from
the bytes. Each input is turned into a stream of ``Pending`` items, each of which loads one
article or fails with an ArticleError that names it; the run decides what to do with both.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..articles import Article, load_article
from ..errors import ArticleError


class Kind(enum.Enum):
    TEXT = "text"      # .txt, with <stem>.json metadata beside it
    HTML = "html"      # a saved web page
    FEED = "feed"      # an RSS or Atom feed


KINDS = {".txt": Kind.TEXT, ".html": Kind.HTML, ".htm": Kind.HTML,
         ".xml": Kind.FEED, ".rss": Kind.FEED, ".atom": Kind.FEED}


@dataclass(frozen=True)
class Pending:
    """One article to come: its name for reports, and how to load it."""

    name: str
    load: Callable[[], Article]


def kind_of(path: Path) -> Kind:
    try:
        return KINDS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(KINDS))
        raise ArticleError(f"cannot ingest a {path.suffix or 'file without extension'}: "
                           f"give one of {known}, or a folder", where=str(path)) from None


def walk(path: Path) -> list[Path]:
    """A folder's files of known kinds, in name order, sub-folders included; a file is
    itself. Metadata files (.json) and other files in a folder are passed over."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KINDS)
    return [path]


def from_path(path: Path, *, meta_path: Path | None = None) -> Iterator[Pending]:
    """The articles a file or folder holds (a feed holds several)."""
    if not path.exists():
        yield Pending(str(path), raiser(ArticleError("no such file or folder", where=str(path))))
        return
    for file in walk(path):
        yield from _from_file(file, meta_path=meta_path)


def _from_file(file: Path, *, meta_path: Path | None) -> Iterator[Pending]:
    where = str(file)
    try:
        kind = kind_of(file)
    except ArticleError as err:
        yield Pending(where, raiser(err))
        return
    if kind is Kind.TEXT:
        yield Pending(where, lambda: text_article(file, meta_path=meta_path))
    elif kind is Kind.HTML:
        yield Pending(where, lambda: html_article(file))
    else:
        yield from feed_articles(file)


def raiser(err: Exception) -> Callable[[], Article]:
    def load() -> Article:
        raise err
    return load


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise ArticleError(f"cannot read: {err.strerror}", where=str(path)) from None


def text_article(path: Path, *, meta_path: Path | None = None) -> Article:
    """A .txt article with its metadata, and its boilerplate lines marked to skip."""
    return marked(load_article(path, meta_path=meta_path))


def marked(article: Article) -> Article:
    """The article with its boilerplate lines marked to skip and its wire credit, if any."""
    from dataclasses import replace

    from . import boilerplate, wire

    return replace(article, skipped=boilerplate.skip_spans(article.text),
                   wire=article.wire or wire.wire_credit(article.text))


def html_article(path: Path) -> Article:
    """A saved page; a fetched one keeps its URL and fetch time from the record beside it."""
    from .fetch import saved_record
    from .webpage import article_from_html

    url, fetched_at = saved_record(path)
    return article_from_html(_read(path), where=str(path), name=path.stem, url=url,
                             fetched_at=fetched_at)


def feed_articles(path: Path) -> Iterator[Pending]:
    from .feeds import article_from_item, article_from_linked_page, parse_feed

    where = str(path)
    try:
        data = _read(path)
        feed = parse_feed(data, where=where)
        kept = kept_pages(path.parent)
    except ArticleError as err:
        yield Pending(where, raiser(err))
        return
    for item in feed.items:
        name = f"{where} [{item.key}]"
        if not item.html and item.link in kept:
            yield Pending(name, lambda item=item, page=kept[item.link]:
                          article_from_linked_page(html_article(page), item, feed))
        else:
            yield Pending(name, lambda item=item, name=name:
                          article_from_item(item, feed, where=name, data=data))


def kept_pages(folder: Path) -> dict[str, Path]:
    """URL -> page file, from the index of a folder of fetched pages (``kg ingest --pages``);
    empty for any other folder. A fetched feed's items are read from it on a rebuild."""
    from .fetch import read_index

    return {url: folder / record["file"] for url, record in read_index(folder).items()
            if isinstance(record, dict) and isinstance(record.get("file"), str)
            and (folder / record["file"]).is_file()}
