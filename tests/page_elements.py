"""An HTML page read into id -> text content and counts of tags and classes, for page tests
(a DOM dumped by Chromium, or a page as the server sends it)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = ("br", "img", "input", "meta", "link", "hr", "circle", "line", "path")


class Elements(HTMLParser):
    """id -> text content, plus a count of each tag and each class."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.tags: dict[str, int] = {}
        self.classes: dict[str, int] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for c in (attrs.get("class") or "").split():
            self.classes[c] = self.classes.get(c, 0) + 1
        if tag not in VOID:
            self._open.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.text[attrs["id"]] = ""

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, ident in self._open:
            if ident:
                self.text[ident] += data
