"""Fetching pages and feeds over HTTP(S), politely and within bounds.

Only what the user asked for is fetched: the URLs given, the feeds given and their items'
links, and each of those hosts' robots.txt. Every request:

- carries the project's User-Agent (``USER_AGENT``) and is checked against the host's
  robots.txt (RFC 9309: a 4xx robots.txt allows everything; a 5xx or unreachable one
  forbids everything until it can be read);
- waits for the host's turn (``delay`` seconds between two requests to one host, or the
  robots.txt Crawl-delay if longer);
- times out (``timeout`` to connect and between two reads, four times that in all) and
  stops reading past ``max_bytes``;
- follows at most ``max_redirects`` redirects, each checked like the first request;
- is conditional when the URL was fetched before (If-None-Match, If-Modified-Since), so
  that polling a feed again transfers only what changed.

Every fetched body is kept in the pages folder under its SHA-256, with a ``.json`` record
beside it (URL, fetch time, validators), so that a rebuild reads the same bytes without the
network (``kg ingest PAGES_DIR``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..errors import ArticleError

USER_AGENT = f"nkru-kg/{__version__} (+https://w3id.org/nkru/; news ingest; honours robots.txt)"
ROBOTS_AGENT = "nkru-kg"   # the token robots.txt groups are matched against
REDIRECTS = (301, 302, 303, 307, 308)
INDEX = "index.json"


class FetchError(ArticleError):
    """A URL that could not be fetched: refused by robots.txt, an HTTP error, a timeout, too
    large, too many redirects, not http(s)."""


@dataclass(frozen=True)
class FetchOptions:
    pages: Path
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    delay: float = 1.0
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """A body as fetched (or as kept, when the server said it had not changed)."""

    url: str                  # the URL asked for
    final_url: str            # after redirects
    data: bytes
    media_type: str
    fetched_at: dt.datetime
    changed: bool             # False: 304 Not Modified, the kept copy was used
    path: Path                # where the body is kept


def default_pages_dir() -> Path:
    return Path(os.environ.get("KG_PAGES", "data/pages"))


@dataclass
class Fetcher:
    """One polite HTTP client for a run (robots.txt and the host turns are remembered)."""

    options: FetchOptions
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _session: object = None
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _index: dict[str, dict] | None = None

    # ------------------------------------------------------------ public

    def get(self, url: str, *, media_type: str = "text/html", reuse: bool = False) -> Fetched:
        """The body at ``url``; FetchError naming the URL when it cannot be had.

        ``reuse``: a URL fetched before is not asked for again (a feed item's page); else
        it is asked for conditionally.
        """
        _check_scheme(url)
        kept = self.index().get(url)
        if reuse and kept and self._kept_path(kept).exists():
            return self._from_kept(url, kept, changed=False)
        headers = {"User-Agent": self.options.user_agent,
                   "Accept": f"{media_type}, */*;q=0.5"}
        if kept and self._kept_path(kept).exists():
            if kept.get("etag"):
                headers["If-None-Match"] = kept["etag"]
            if kept.get("last_modified"):
                headers["If-Modified-Since"] = kept["last_modified"]
        response, final_url = self._follow(url, headers)
        with response:
            if response.status_code == 304 and kept:
                return self._from_kept(url, kept, changed=False)
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason or ''}".strip(),
                                 where=url)
            data = self._read(response, url)
            return self._keep(url, final_url, data, response)

    # ------------------------------------------------------------ requests

    def session(self):
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.trust_env = False  # no proxy or netrc from the environment
        return self._session

    def _follow(self, url: str, headers: dict):
        current = url
        for hop in range(self.options.max_redirects + 1):
            self._allowed(current)
            response = self._request(current, headers)
            if response.status_code not in REDIRECTS:
                return response, current
            location = response.headers.get("Location")
            response.close()
            if not location:
                raise FetchError(f"redirect {response.status_code} without a Location", where=url)
            current = urljoin(current, location)
            _check_scheme(current, where=url)
        raise FetchError(f"more than {self.options.max_redirects} redirects "
                         f"(last to {current})", where=url)

    def _request(self, url: str, headers: dict):
        import requests

        self._wait_turn(url)
        try:
            return self.session().get(url, headers=headers, stream=True, allow_redirects=False,
                                      timeout=(self.options.timeout, self.options.timeout))
        except requests.Timeout:
            raise FetchError(f"no answer within {self.options.timeout:g} s", where=url) from None
        except requests.RequestException as err:
            raise FetchError(f"cannot connect: {_reason(err)}", where=url) from None

    def _read(self, response, url: str) -> bytes:
        import requests

        limit = self.options.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"the page is {int(declared):,} bytes; the limit is {limit:,} "
                             "(--max-bytes)", where=url)
        deadline = self.clock() + 4 * self.options.timeout
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"the page is over the limit of {limit:,} bytes "
                                     "(--max-bytes)", where=url)
                if self.clock() > deadline:
                    raise FetchError(f"the page took more than {4 * self.options.timeout:g} s "
                                     "to arrive", where=url)
                chunks.append(chunk)
        except requests.RequestException as err:
            raise FetchError(f"the transfer failed: {_reason(err)}", where=url) from None
        return b"".join(chunks)

    def _wait_turn(self, url: str) -> None:
        host = _host(url)
        robots = self._robots.get(host)
        delay = self.options.delay
        if robots is not None:
            delay = max(delay, float(robots.crawl_delay(ROBOTS_AGENT) or 0))
        last = self._last.get(host)
        if last is not None:
            wait = last + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    # ------------------------------------------------------------ robots.txt

    def _allowed(self, url: str) -> None:
        host = _host(url)
        if host not in self._robots:
            self._robots[host] = self._read_robots(url)
        robots = self._robots[host]
        if robots is None:
            raise FetchError("the host's robots.txt could not be read, so nothing on it is "
                             "fetched", where=url)
        if not robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchError("robots.txt forbids fetching this page", where=url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            response = self._request(robots_url, {"User-Agent": self.options.user_agent})
            for _ in range(self.options.max_redirects):  # RFC 9309 2.3.1.2: follow some
                location = response.headers.get("Location")
                if response.status_code not in REDIRECTS or not location:
                    break
                response.close()
                robots_url = urljoin(robots_url, location)
                _check_scheme(robots_url)
                response = self._request(robots_url, {"User-Agent": self.options.user_agent})
        except FetchError:
            return None
        with response:
            if 400 <= response.status_code < 500:
                parser.parse([])  # no robots.txt: everything is allowed
                return parser
            if response.status_code >= 300:
                return None
            try:
                text = self._read(response, robots_url).decode("utf-8", errors="replace")
            except FetchError:
                return None
        parser.parse(text.splitlines())
        return parser

    # ------------------------------------------------------------ the pages folder

    def index(self) -> dict[str, dict]:
        if self._index is None:
            self._index = read_index(self.options.pages)
        return self._index

    def _kept_path(self, record: dict) -> Path:
        return self.options.pages / record["file"]

    def _from_kept(self, url: str, record: dict, *, changed: bool) -> Fetched:
        path = self._kept_path(record)
        return Fetched(url=url, final_url=record.get("final_url") or url, data=path.read_bytes(),
                       media_type=record.get("media_type") or "text/html",
                       fetched_at=dt.datetime.fromisoformat(record["fetched_at"]),
                       changed=changed, path=path)

    def _keep(self, url: str, final_url: str, data: bytes, response) -> Fetched:
        media_type = (response.headers.get("Content-Type") or "application/octet-stream") \
            .split(";")[0].strip().lower()
        sha = hashlib.sha256(data).hexdigest()
        ext = ".xml" if "xml" in media_type or "rss" in media_type or "atom" in media_type \
            else ".html"
        fetched_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        record = {"file": sha + ext, "url": url, "final_url": final_url,
                  "media_type": media_type, "fetched_at": fetched_at.isoformat(),
                  "etag": response.headers.get("ETag"),
                  "last_modified": response.headers.get("Last-Modified")}
        pages = self.options.pages
        try:
            pages.mkdir(parents=True, exist_ok=True)
            _write(pages / record["file"], data)
            _write(pages / (sha + ".json"), json.dumps(
                {"url": final_url, "fetched_at": record["fetched_at"],
                 "media_type": media_type}, indent=1).encode("utf-8"))
            self.index()[url] = record
            _write(pages / INDEX, json.dumps(self.index(), indent=1, sort_keys=True)
                   .encode("utf-8"))
        except OSError as err:
            raise FetchError(f"cannot keep the fetched page in {pages}: {err.strerror}",
                             where=url) from None
        return Fetched(url=url, final_url=final_url, data=data, media_type=media_type,
                       fetched_at=fetched_at, changed=True, path=pages / record["file"])


def saved_record(path: Path) -> tuple[str | None, dt.datetime | None]:
    """The URL and fetch time kept beside a fetched page (``<sha256>.json``), if any."""
    record = path.with_suffix(".json")
    if not record.exists():
        return None, None
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        when = data.get("fetched_at")
        return data.get("url"), dt.datetime.fromisoformat(when) if when else None
    except (OSError, ValueError, AttributeError) as err:
        raise FetchError(f"cannot read the fetch record: {err}", where=str(record)) from None


def read_index(pages: Path) -> dict[str, dict]:
    """The pages folder's index: URL -> record of the kept body (empty when there is none)."""
    path = pages / INDEX
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise FetchError(f"cannot read the pages index: {err}", where=str(path)) from None
    if not isinstance(index, dict):
        raise FetchError("the pages index is not a JSON object", where=str(path))
    return index


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: a stopped run leaves no half-written page."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _check_scheme(url: str, *, where: str | None = None) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FetchError(f"only http and https URLs are fetched, not {url!r}",
                         where=where or url)


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _reason(err: Exception) -> str:
    text = " ".join(str(err).split())
    return text[:200] or type(err).__name__
