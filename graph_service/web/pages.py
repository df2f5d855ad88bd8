"""HTML pages: the landing page, the SPARQL query page, the timeline chart, and lists of
articles and entities. Pages for single resources are the HTML face of ``/id/…``
(``linked_data``). Everything is served from here: no CDN, the service works offline.

The query page is YASGUI (MIT, vendored in ``static/yasgui-<version>/`` from the npm package
``@zazuko/yasgui`` by ``scripts/vendor-yasgui.sh``), started by ``static/query.js``. The API
documentation at ``/api/docs`` is
Swagger UI (Apache-2.0, vendored in ``static/swagger-ui-<version>/`` from the npm package
``swagger-ui-dist`` by ``scripts/vendor-swagger-ui.sh``), started by ``static/api-docs.js``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, current_app, render_template, request, url_for

from .. import iris
from . import CONTENT_SECURITY_POLICY, context, get_store, queries
from .records import Reader, py

bp = Blueprint("pages", __name__, static_folder="static", static_url_path="/static",
               template_folder="templates")

EXAMPLES = Path(__file__).with_name("examples")
SWAGGER_UI = "swagger-ui-5.35.0"   # the folder under static/ (scripts/vendor-swagger-ui.sh)
YASGUI = "yasgui-4.6.2"            # the folder under static/ (scripts/vendor-yasgui.sh)
# The inline styles YASGUI makes, which the strict policy of every other page forbids: the
# column resizer of its results table adds a <style> element when it draws the table and
# another while a column is dragged, and the editor's syntax-error tooltip underlines with
# a style attribute. The query page allows these exact texts by their hashes (the attribute
# by 'unsafe-hashes'), not 'unsafe-inline': no other inline style, and scripts as everywhere.
# tests/test_pages.py checks that the vendored script holds these texts.
YASGUI_STYLES = (
    " .grip-resizable{table-layout:fixed;} .grip-resizable > tbody > tr > td, .grip-resizable"
    " > tbody > tr > th{overflow:hidden} .grip-padding > tbody > tr > td, .grip-padding > tbody"
    " > tr > th{padding-left:0!important; padding-right:0!important;} .grip-container{"
    " height:0px; position:relative;} .grip-handle{margin-left:-5px; position:absolute;"
    " z-index:5; } .grip-handle .grip-resizable{position:absolute;background-color:red;"
    "filter:alpha(opacity=1);opacity:0;width:10px;height:100%;cursor: col-resize;top:0px}"
    " .grip-lastgrip{position:absolute; width:1px; } .grip-drag{ border-left:1px dotted"
    " black;\t} .grip-flex{width:auto!important;} .grip-handle.grip-disabledgrip"
    " .grip-resizable{cursor:default; display:none;}",
    "*{cursor:col-resize!important}",
    "text-decoration:underline",
)
QUERY_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-hashes' " + " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in YASGUI_STYLES))
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f"]


def examples() -> list[dict]:
    """The example queries shipped in ``examples/*.rq`` (first comment line = title)."""
    out = []
    for path in sorted(EXAMPLES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip()
        out.append({"title": title, "query": text})
    return out


@bp.get("/")
def index():
    store = get_store(current_app)
    reader = Reader(store)
    views = reader.index
    counts = {r["what"].value: py(r["n"]) for r in store.query(queries.load("summary"))}
    counts.update({"articles": len(views.articles), "claims": len(views.by_report),
                   "entities": sum(1 for e in views.entities.values() if e.label is not None)})
    types = Counter(r.type for r in views.by_report if r.type).most_common()
    stats = current_app.extensions.get("kg_statistics")
    totals = stats.totals() if stats is not None else None
    return render_template("index.html", counts=counts, types=types, examples=examples(),
                           triples=totals.named if totals is not None else store.count(),
                           articles=article_cards(reader, reader.articles()[:20]))


def article_cards(reader: Reader, rows) -> list[dict]:
    """Article records for the pages: with ``title`` and ``outlet`` (``Reader.article_title``,
    ``Reader.article_outlet``)."""
    return [{**a, "title": reader.article_title(a["iri"], a["headline"]),
             "outlet": reader.article_outlet(a["publisher"], a["url"])}
            for a in reader.article_items(rows)]


def plural(n: int, word: str) -> str:
    """``1 claim``, ``2 claims``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@bp.app_template_filter("plural")
def plural_filter(n: int, word: str) -> str:
    return plural(n, word)


@bp.get("/query")
def query():
    """The query page: YASGUI with this service's endpoint, the JSON-LD context's prefixes and
    the shipped examples as tabs. ``?example=N`` opens example N's tab, ``?query=`` a tab with
    that query (YASGUI's own link parameters); ``?run=1`` runs the example it opens."""
    shipped = examples()
    number = request.args.get("example", "")
    selected = int(number) if number.isdigit() and int(number) < len(shipped) else None
    config = {"endpoint": url_for("sparql.endpoint"), "base": iris.BASE,
              "prefixes": {**context.PREFIXES, **context.MINTED},
              "examples": shipped, "example": selected}
    html = render_template("query.html", examples=shipped, config=config, yasgui=YASGUI)
    return html, {"Content-Security-Policy": QUERY_PAGE_POLICY}


@bp.get("/api/docs")
def api_docs():
    """Interactive documentation of the JSON API, rendered from ``/openapi.json``."""
    return render_template("api_docs.html", swagger_ui=SWAGGER_UI)


# Rows per page of the list pages: a large graph has tens of thousands of entities and
# articles, and one page of them all takes seconds to make and to show.
LIST_PAGE = 500


def _list_page(path: str, total: int) -> tuple[slice, dict]:
    """The rows ``?page=N`` (1-based) shows, and the links to the pages beside it."""
    pages = max(1, -(-total // LIST_PAGE))
    try:
        number = min(max(1, int(request.args.get("page", "1"))), pages)
    except ValueError:
        number = 1
    start = (number - 1) * LIST_PAGE
    return slice(start, start + LIST_PAGE), {
        "total": total, "number": number, "pages": pages,
        "first": start + 1 if total else 0, "last": min(start + LIST_PAGE, total),
        "previous": f"{path}?page={number - 1}" if number > 1 else None,
        "next": f"{path}?page={number + 1}" if number < pages else None}


@bp.get("/articles")
def articles():
    reader = Reader(get_store(current_app))
    listed = reader.articles()
    shown, nav = _list_page("/articles", len(listed))
    return render_template("list.html", title="Articles", nav=nav,
                           rows=[{"href": "/id/article/" + a["id"], "label": a["title"],
                                  "note": f"{a['outlet'] or ''} · {a['published'] or ''} · "
                                          f"{plural(a['claim_count'], 'claim')}"}
                                 for a in article_cards(reader, listed[shown])])


@bp.get("/entities")
def entities():
    reader = Reader(get_store(current_app))
    listed = reader.entities(search=None, kind=None)
    shown, nav = _list_page("/entities", len(listed))
    return render_template("list.html", title="Entities", nav=nav,
                           rows=[{"href": "/id/" + e["id"], "label": e["label"],
                                  "note": f"{', '.join(e['types'])} · "
                                          f"{plural(e['claim_count'], 'claim')}"}
                                 for e in reader.entity_items(listed[shown])])


# --- the timeline chart -------------------------------------------------------------------

@dataclass(frozen=True)
class Panel:
    """One chart: what it counts, title, and the SVG geometry the template draws."""

    key: str
    title: str
    marks: list
    x_ticks: list
    y_ticks: list
    sources: list


WIDTH, HEIGHT = 900, 320
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 20, 40

# One chart per thing counted, so that one y-axis never mixes troops, shells and containers:
# (key, title, event type, words of the item that put a transfer in the chart). A transfer
# whose item names none of them goes to "other materiel".
CHARTS = [
    ("deployment", "Troops deployed", "deployment", None),
    ("shells", "Shells and munitions", "transfer", ("shell", "munition", "ammunition", "round",
                                                     "artillery", "mortar")),
    ("missiles", "Missiles and rockets", "transfer", ("missile", "rocket")),
    ("containers", "Shipping containers", "transfer", ("container",)),
    ("transfer", "Other materiel", "transfer", ()),
]


@bp.get("/timeline")
def timeline():
    reader = Reader(get_store(current_app))
    rows = [r for r in reader.claim_rows(filters={}) if r.type in ("deployment", "transfer")]
    figures = [r for r in reader.claims(rows)
               if r["quantity"] and isinstance(r["quantity"].get("value"), (int, float))
               and r["quantity"]["value"] > 0 and (_event_span(r) or r["reported_on"])]
    groups: dict[str, list[dict]] = {key: [] for key, *_ in CHARTS}
    for r in figures:
        groups[chart_of(r)].append(r)
    panels = [chart(key, title, groups[key]) for key, title, *_ in CHARTS]
    dated = sum(1 for r in figures if _event_span(r))
    return render_template("timeline.html", panels=panels, width=WIDTH, height=HEIGHT,
                           count=len(figures), dated=dated, undated=len(figures) - dated)


def chart_of(record: dict) -> str:
    """The chart a figure belongs in (``CHARTS``): troops, or what the transfer counts."""
    item = (record.get("item") or "").lower()
    for key, _, event_type, words in CHARTS:
        if record["type"] != event_type:
            continue
        if words is None or words == () or any(w in item for w in words):
            return key
    return "transfer"


def _event_span(record: dict) -> tuple[dt.date, dt.date] | None:
    first = record["event_earliest"] or record["event_latest"]
    if not first:
        return None
    return _day(first), _day(record["event_latest"] or record["event_earliest"])


def chart(key: str, title: str, rows: list[dict]) -> Panel:
    """Marks for one chart: x = event time (a span drawn as a line), or the report date when
    the event's date is unknown (a hollow dot); y = figure on a log scale (a range drawn as a
    line); colour = who made the claim."""
    if not rows:
        return Panel(key, title, [], [], [], [])
    spans = {r["claim"]: _event_span(r) or (_day(r["reported_on"]),) * 2 for r in rows}
    days = [d for span in spans.values() for d in span]
    x0, x1 = min(days) - dt.timedelta(days=20), max(days) + dt.timedelta(days=20)
    values = [r["quantity"]["value"] for r in rows] + \
             [r["quantity"]["upper"] for r in rows if r["quantity"].get("upper")]
    e0, e1 = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)) + 1e-9)
    e1 = max(e1, e0 + 1)

    def x(day: dt.date) -> float:
        return LEFT + (day - x0).days / max(1, (x1 - x0).days) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (e1 - math.log10(value)) / (e1 - e0) * (HEIGHT - TOP - BOTTOM)

    sources = sorted({_source(r) for r in rows})
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    marks = []
    for r in rows:
        start, end = spans[r["claim"]]
        estimated = _event_span(r) is None
        q = r["quantity"]
        mid = start + (end - start) / 2
        when = ("event date unknown: placed at the report date, " if estimated else "") + \
            f"reported {r['reported_on']}"
        marks.append({"x": round(x(mid), 1), "y": round(y(q["value"]), 1),
                      "x_start": round(x(start), 1), "x_end": round(x(end), 1),
                      "y_upper": round(y(q["upper"]), 1) if q.get("upper") else None,
                      "colour": colour[_source(r)], "source": _source(r),
                      "estimated": estimated,
                      "label": f"{q.get('text') or q['value']} ({q['qualifier']}) {r['item'] or ''}"
                               f" — {_source(r)}, {when}",
                      "href": "/" + r["claim"][len(iris.BASE):]})
    x_ticks = []
    month = dt.date(x0.year, x0.month, 1)
    step = max(1, math.ceil(((x1 - x0).days / 30) / 12))   # at most about a dozen labels
    index = 0
    while month <= x1:
        if month >= x0 and index % step == 0:
            x_ticks.append({"x": round(x(month), 1), "label": month.strftime("%b %Y")})
        index += 1
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    y_ticks = [{"y": round(y(10 ** e), 1), "label": f"{10 ** e:,}"} for e in range(e0, e1 + 1)]
    return Panel(key, title, marks, x_ticks, y_ticks,
                 [{"name": s, "colour": colour[s]} for s in sources])


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _source(record: dict) -> str:
    return record["claimed_by"] or record["via"] or "unattributed"
