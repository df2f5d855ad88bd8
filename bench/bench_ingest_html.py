"""HTML ingest throughput: saved pages per second, from page bytes to stored article.

    python bench/bench_ingest_html.py --pages 200 --out bench/results/ingest-html-200.json

Writes ``--pages`` synthetic news pages (the synthetic article texts of ``generate.py``,
wrapped in the markup of ``tests/data/pages/harbour-times-wire.html``: JSON-LD, OpenGraph,
byline, share row, caption, related links, subscribe footer) into a temporary folder, then
times two phases on them, each after one warm-up page:

* ``read``: ``sources.html_article`` on every page (trafilatura main text and metadata,
  htmldate with its basis, boilerplate spans, wire credit), no extraction;
* ``ingest``: ``ingest.run.run`` over the folder into a fresh on-disk store, as
  ``kg ingest FOLDER`` does (read, ``extract_many`` batches on every core, SHACL, one update
  per page), then the copies and event clusters once, timed apart;
* ``ingest-text``: the same run over the same articles as ``.txt`` + ``.json`` files, in the
  same conditions, so that the cost of reading HTML shows as a ratio on a shared machine.

Prints and writes pages per second for both; no figure is asserted anywhere.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synthetic  # noqa: E402

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Bench Gazette</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Bench Gazette">
<meta property="article:published_time" content="{published}T08:00:00+00:00">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{title}", "datePublished": "{published}",
 "author": {{"@type": "Person", "name": "Bench Writer"}}}}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="weather">61.2 F Seoul</div></header>
<div class="ad-slot">- Advertisement -</div>
<main><article>
<h1>{title}</h1><p class="byline">By Bench Writer</p>
<div class="share"><a href="#">Facebook</a> | <a href="#">Twitter</a></div>
{paragraphs}
<figure><img src="/i.jpg" alt=""><figcaption>A file picture. (Photo: Bench Gazette)</figcaption></figure>
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Other news</a></li></ul></aside>
</main>
<footer><p>Discover more from Bench Gazette</p><p>Subscribe to get the latest posts.</p></footer>
</body></html>
"""


def write_pages(folder: Path, *, pages: int, seed: int = 11) -> int:
    """``pages`` synthetic pages; returns their total size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = synthetic.event_pool(random.Random(seed), max(8, pages * 2))
    size = 0
    for i in range(pages):
        article, _ = synthetic.make_article(seed, i, pool)
        meta = synthetic.article_meta(article)
        paragraphs = "\n".join(f"<p>{html.escape(line)}</p>"
                               for line in article.text.splitlines() if line.strip())
        page = TEMPLATE.format(title=html.escape(meta.get("title") or f"Report {i}"),
                               published=meta.get("published") or "2025-01-01",
                               paragraphs=paragraphs)
        path = folder / f"{article.name}.html"
        path.write_text(page, encoding="utf-8")
        size += path.stat().st_size
        texts = folder.parent / "texts"
        texts.mkdir(exist_ok=True)
        (texts / f"{article.name}.txt").write_text(article.text, encoding="utf-8")
        (texts / f"{article.name}.json").write_text(json.dumps(meta), encoding="utf-8")
    return size


def phase_read(folder: Path) -> dict:
    from graph_service.ingest import sources

    paths = sorted(folder.glob("*.html"))
    sources.html_article(paths[0])  # warm-up: imports, lxml, htmldate
    started = time.perf_counter()
    for path in paths:
        sources.html_article(path)
    seconds = time.perf_counter() - started
    return {"pages": len(paths), "seconds": round(seconds, 2),
            "pages_per_second": round(len(paths) / seconds, 1)}


def phase_ingest_text(folder: Path) -> dict:
    return phase_ingest(folder.parent / "texts", pattern="*.txt")


def phase_ingest(folder: Path, *, pattern: str = "*.html") -> dict:
    from graph_service.extraction import extract, load_model
    from graph_service.ingest import sources
    from graph_service.ingest.progress import Progress
    from graph_service.ingest.run import run
    from graph_service.pipeline import prepare, refresh_links
    from graph_service.store import OxigraphStore

    paths = sorted(folder.glob(pattern))
    load_model()
    prepare(sources.text_article(paths[0]) if pattern == "*.txt"
            else sources.html_article(paths[0]))  # warm-up: the model, the shapes
    extract  # noqa: B018  (imported for the warm-up above)
    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        try:
            pending = list(sources.from_path(folder))
            started = time.perf_counter()
            report = run(store, pending, progress=Progress(err=io.StringIO(), out=io.StringIO()),
                         relink=False)
            seconds = time.perf_counter() - started
            links_started = time.perf_counter()
            refresh_links(store)
            links = time.perf_counter() - links_started
        finally:
            store.close()
    stored = len(report.stored)
    return {"pages": len(paths), "stored": stored, "failed": len(report.failures),
            "claims": report.claims, "seconds": round(seconds, 2),
            "pages_per_second": round(stored / seconds, 2),
            "copies_and_events_seconds": round(links, 2),
            "pages_per_second_with_links": round(stored / (seconds + links), 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=200)
    p.add_argument("--phases", default="read,ingest,ingest-text")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    results: dict = {"commit": commit, "pages": args.pages}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        results["bytes"] = write_pages(folder, pages=args.pages)
        for phase in args.phases.split(","):
            results[phase] = {"read": phase_read, "ingest": phase_ingest,
                              "ingest-text": phase_ingest_text}[phase](folder)
            print(phase, json.dumps(results[phase]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
