"""A news site on loopback for the ingest tests: saved pages, a feed, a robots.txt that
forbids /private/, a slow page, a 404, redirect chains and a page over the size cap.

Pages and feed answer conditional requests (ETag, Last-Modified) with 304. Every request is
logged with its path and headers. Import the fixture: ``from news_server import news_site``.
"""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "data" / "pages"
SLOW_SECONDS = 3.0
LAST_MODIFIED = "Tue, 11 Feb 2025 09:00:00 GMT"

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def _feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback Wire Watch</title><link>{base}/</link>
<description>Test feed written for the project</description>
<item><title>Harbour Times copy</title><link>{base}/news/harbour.html</link>
<guid>harbour</guid><pubDate>Tue, 11 Feb 2025 08:30:00 GMT</pubDate>
<description>Teaser only.</description></item>
<item><title>Valley Post copy</title><link>{base}/news/valley.html</link>
<guid>valley</guid><pubDate>Tue, 11 Feb 2025 09:30:00 GMT</pubDate>
<description>Teaser only.</description></item>
</channel></rss>""".encode("utf-8")


@dataclass
class NewsSite:
    url: str
    log: list[tuple[str, dict]] = field(default_factory=list)

    def requests_for(self, path: str) -> list[dict]:
        return [headers for p, headers in self.log if p == path]


def _handler(site: NewsSite):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            site.log.append((self.path, dict(self.headers)))
            route = {
                "/robots.txt": lambda: self._send(ROBOTS, "text/plain"),
                "/news/harbour.html": lambda: self._page("harbour-times-wire.html", '"h1"'),
                "/news/valley.html": lambda: self._page("valley-post-wire.html", '"v1"'),
                "/news/steppe.html": lambda: self._page("steppe-review-url-date.html", '"s1"'),
                "/news/empty.html": lambda: self._page("no-article.html", '"e1"'),
                "/private/secret.html": lambda: self._page("valley-post-wire.html", '"p1"'),
                "/feed.xml": lambda: self._conditional(_feed(site.url), "application/rss+xml",
                                                       '"f1"'),
                "/slow.html": self._slow,
                "/huge.html": lambda: self._send(b"<p>" + b"x" * 300_000 + b"</p>", "text/html"),
                "/huge-unsized.html": self._unsized,
                "/to-private": lambda: self._redirect("/private/secret.html"),
            }.get(self.path)
            if route is not None:
                return route()
            if self.path.startswith("/r/"):  # /r/3 -> /r/2 -> /r/1 -> /r/0 -> the page
                n = int(self.path[3:])
                return self._redirect(f"/r/{n - 1}" if n > 0 else "/news/steppe.html")
            if self.path.startswith("/loop/"):
                return self._redirect(f"/loop/{int(self.path[6:]) + 1}")
            self._send(b"not found", "text/plain", status=404)

        def _send(self, body: bytes, media_type: str, *, status: int = 200,
                  headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _page(self, name: str, etag: str) -> None:
            self._conditional((PAGES / name).read_bytes(), "text/html; charset=utf-8", etag)

        def _conditional(self, body: bytes, media_type: str, etag: str) -> None:
            validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                for k, v in validators.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(body, media_type, headers=validators)

        def _redirect(self, location: str) -> None:
            self._send(b"", "text/plain", status=302, headers={"Location": location})

        def _slow(self) -> None:
            time.sleep(SLOW_SECONDS)
            try:
                self._send((PAGES / "valley-post-wire.html").read_bytes(), "text/html")
            except OSError:
                pass  # the client gave up

        def _unsized(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>" + b"y" * 10_000 + b"</p>")
            except OSError:
                pass  # the client stopped reading at its cap
            self.close_connection = True

    return Handler


@pytest.fixture
def news_site():
    site = NewsSite(url="")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
