"""Articles: text plus metadata, read and checked before anything else sees them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from . import iris
from .errors import ArticleError

MAX_BYTES = 1_000_000  # over this an article is refused, not truncated
META_KEYS = {"title", "outlet", "author", "published", "url",
             "published_precision", "published_basis", "language"}
PRECISIONS = ("day", "month", "year", "approximate")


@dataclass(frozen=True)
class Span:
    """Characters ``[start, end)`` of an article's text that extraction skips (an
    advertisement, a widget, a caption), with the kind of boilerplate it is."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Origin:
    """The saved or fetched page an article's text was taken from: the raw bytes' SHA-256,
    when they were fetched (None for a page saved by hand), and where from."""

    sha256: str
    media_type: str
    fetched_at: dt.datetime | None = None
    url: str | None = None


@dataclass(frozen=True)
class Article:
    """One news article as the pipeline sees it."""

    text: str
    name: str | None = None           # file stem, used to name fact-record files
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: dt.date | None = None
    published_precision: str | None = None
    url: str | None = None
    language: str | None = None
    published_basis: str | None = None  # how the date was found ("meta tag", "url", ...)
    skipped: tuple[Span, ...] = ()       # boilerplate that extraction does not read
    origin: Origin | None = None         # the page the text comes from, if any
    wire: str | None = None              # the wire service credited ("Reuters"), if any

    @property
    def id(self) -> str:
        return iris.article_id(self.text)

    @property
    def iri(self) -> str:
        return iris.article_iri(self.id)

    @property
    def graph(self) -> str:
        return iris.article_graph(self.id)

    def readable_text(self) -> str:
        """The text with every skipped span blanked out (newlines kept), so that extraction
        does not read boilerplate and every offset it gives still holds in ``text``."""
        if not self.skipped:
            return self.text
        chars = list(self.text)
        for span in self.skipped:
            for i in range(span.start, min(span.end, len(chars))):
                if chars[i] != "\n":
                    chars[i] = " "
        return "".join(chars)


def decode_text(data: bytes, *, where: str) -> str:
    """Bytes -> text, refusing what is not an article: empty, huge, binary, not UTF-8."""
    if len(data) > MAX_BYTES:
        raise ArticleError(f"article is {len(data):,} bytes; the limit is {MAX_BYTES:,}", where=where)
    if b"\x00" in data:
        raise ArticleError("article looks binary (it contains NUL bytes); give plain UTF-8 text",
                           where=where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(f"article is not UTF-8 (bad byte at offset {err.start}); "
                           "convert it to UTF-8 first", where=where) from None
    if not text.strip():
        raise ArticleError("article is empty", where=where)
    return text


def parse_meta(data: dict, *, where: str) -> dict:
    """Check a metadata object and turn ``published`` into a date."""
    if not isinstance(data, dict):
        raise ArticleError("metadata must be a JSON object", where=where)
    meta: dict = {}
    for key, value in data.items():
        if key not in META_KEYS:
            continue  # unknown keys are allowed and ignored, like the scorer's extra fields
        if value is not None and not isinstance(value, str):
            raise ArticleError(f"metadata key {key!r} must be a string or null, "
                               f"not {type(value).__name__}", where=where)
        meta[key] = value or None
    published = meta.pop("published", None)
    if published:
        meta["published"], implied = _published(published, where)
        if implied != "day" and not meta.get("published_precision"):
            meta["published_precision"] = implied
    precision = meta.get("published_precision")
    if precision is not None and precision not in PRECISIONS:
        raise ArticleError(f"metadata 'published_precision' is {precision!r}; "
                           f"use one of {', '.join(PRECISIONS)}", where=where)
    return meta


def _published(value: str, where: str) -> tuple[dt.date, str]:
    """A publication date as written: a full date, or only its month ("2023-12") or year
    ("2023"), which stand for their first day with that precision."""
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01"), "month"
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1), "year"
        return dt.date.fromisoformat(value[:10]), "day"
    except ValueError:
        raise ArticleError(f"metadata 'published' is {value!r}, not a date like 2024-09-19 "
                           "(or 2024-09, or 2024)", where=where) from None


def read_meta(path: Path) -> dict:
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"cannot read metadata: {err.strerror}", where=where) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ArticleError("metadata is not UTF-8", where=where) from None
    except json.JSONDecodeError as err:
        raise ArticleError(f"metadata is not valid JSON: {err.msg} "
                           f"(line {err.lineno}, column {err.colno})", where=where) from None
    return parse_meta(data, where=where)


def load_article(path: Path, *, meta_path: Path | None = None) -> Article:
    """Read an article file and its metadata (``META.json`` or ``<stem>.json`` beside it)."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"cannot read article: {err.strerror}", where=where) from None
    text = decode_text(data, where=where)
    if meta_path is None:
        beside = path.with_suffix(".json")
        meta_path = beside if beside.exists() else None
    meta = read_meta(meta_path) if meta_path is not None else {}
    return Article(text=text, name=path.stem, **meta)


def article_from_text(text: str, *, meta: dict | None = None, name: str | None = None) -> Article:
    """An article from text already in memory (for the API and tests)."""
    decode_text(text.encode("utf-8"), where=name or "article")
    return Article(text=text, name=name, **parse_meta(meta or {}, where=name or "metadata"))


def iter_articles(folder: Path) -> list[Article]:
    """Every ``*.txt`` article in a folder, with ``<stem>.json`` metadata where present."""
    if not folder.is_dir():
        raise ArticleError("not a folder of articles", where=str(folder))
    return [load_article(p) for p in sorted(folder.glob("*.txt"))]
