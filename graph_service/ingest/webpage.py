"""Saved or fetched web pages -> articles: main text and metadata by trafilatura, the
publication date by htmldate, with how it was found and how precise it is.

No HTML is scraped by hand here. The date is asked of htmldate in three passes, so that its
basis can be recorded the way the seed metadata records it: the page's markup (meta tags,
JSON-LD, time elements) first, then the page's URL, then its text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..articles import Article, Origin, decode_text, parse_meta
from ..errors import ArticleError
from . import boilerplate, wire

MAX_PAGE_BYTES = 5_000_000  # a saved page over this is refused, not truncated
HTML = "text/html"
_URL_DAY = re.compile(r"(?<!\d)(?:19|20)\d{2}[/-](?:0[1-9]|1[0-2])[/-](?:0[1-9]|[12]\d|3[01])(?!\d)")
NO_URL = "about:blank"  # a URL without a date, so that htmldate does not read one


def page_origin(data: bytes, *, media_type: str = HTML, url: str | None = None,
                fetched_at: dt.datetime | None = None) -> Origin:
    return Origin(sha256=hashlib.sha256(data).hexdigest(), media_type=media_type,
                  fetched_at=fetched_at, url=url)


def article_from_html(data: bytes, *, where: str, url: str | None = None,
                      fetched_at: dt.datetime | None = None, name: str | None = None) -> Article:
    """The article a page holds; ArticleError naming ``where`` when there is none."""
    import trafilatura

    if len(data) > MAX_PAGE_BYTES:
        raise ArticleError(f"page is {len(data):,} bytes; the limit is {MAX_PAGE_BYTES:,}",
                           where=where)
    if not data.strip():
        raise ArticleError("page is empty", where=where)
    doc = trafilatura.bare_extraction(data, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, include_images=False,
                                      include_links=False)
    text = _main_text(doc, where)
    page_url = url or doc.url
    meta = {"title": doc.title, "outlet": doc.sitename if doc.sitename != doc.hostname else None,
            "author": doc.author, "url": page_url if _is_http(page_url) else None,
            "language": doc.language}
    found = publication_date(data, url=page_url)
    if found is not None:
        meta["published"], meta["published_precision"], meta["published_basis"] = found
    checked = parse_meta({k: v for k, v in meta.items() if v}, where=where)
    return Article(text=text, name=name, skipped=boilerplate.skip_spans(text),
                   origin=page_origin(data, url=url, fetched_at=fetched_at),
                   wire=wire.wire_credit(text), **checked)


def _main_text(doc, where: str) -> str:
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(text.split()) < 20:
        raise ArticleError("no article text found in the page (trafilatura found no main "
                           "content of 20 words or more)", where=where)
    # the headline comes first in trafilatura's text; it is kept as schema:headline
    return decode_text(text.encode("utf-8"), where=where)


def _is_http(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0].lower() in ("http", "https")


def publication_date(data: bytes, *, url: str | None) -> tuple[str, str, str] | None:
    """(ISO date, precision, basis) from htmldate, or None when it finds no date."""
    from htmldate import find_date

    html = data.decode("utf-8", errors="replace")
    day = find_date(html, extensive_search=False, original_date=True, url=NO_URL)
    if day:
        return day, "day", "page markup (meta tags, JSON-LD or time elements), by htmldate"
    if url and url != NO_URL:
        day = find_date("<html><body></body></html>", extensive_search=False,
                        original_date=True, url=url)
        if day:
            precision = "day" if _URL_DAY.search(url) else "month"
            return day[:7] if precision == "month" else day, precision, f"the page's URL ({url})"
    day = find_date(html, extensive_search=True, original_date=True, url=NO_URL)
    if day:
        return day, "approximate", "a date in the page's text, by htmldate's extensive search"
    return None
