"""Extraction and ingest throughput: articles per second and peak memory, on one core.

    python bench/generate.py texts --articles 1000 --out bench/out/articles
    python bench/bench_extract.py --articles bench/out/articles --out bench/results/extract.json

Each phase runs in its own process pinned to one CPU, so that its peak RSS
(``ru_maxrss``) is its own:

* ``extract``: ``graph_service.extract.extract`` over every article;
* ``ingest``: ``pipeline.ingest`` (extract, rdfize, SHACL-validate, one update per article)
  into a fresh on-disk store, events recomputed once at the end (as ``kg build`` does);
* ``ingest-remote``: the same into an Oxigraph server through the remote backend.

The first article is processed before timing (models and shapes load once per process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def phase_extract(folder: Path) -> dict:
    from graph_service.articles import iter_articles
    from graph_service.extract import extract

    articles = iter_articles(folder)
    extract(articles[0])
    base = _maxrss_mb()
    started = time.perf_counter()
    claims = sum(len(extract(a)) for a in articles)
    seconds = time.perf_counter() - started
    return {"articles": len(articles), "claims": claims, "seconds": round(seconds, 2),
            "articles_per_second": round(len(articles) / seconds, 1),
            "rss_after_warmup_mb": base, "peak_rss_mb": _maxrss_mb()}


def phase_ingest(folder: Path, *, remote: bool) -> dict:
    from graph_service import pipeline
    from graph_service.articles import iter_articles
    from graph_service.store import OxigraphStore

    articles = iter_articles(folder)
    with tempfile.TemporaryDirectory(prefix="kg-ingest-") as tmp:
        server = None
        if remote:
            import servers
            server = servers.start_oxigraph(Path(tmp) / "oxigraph", logdir=Path(tmp))
            from graph_service.remote_store import SparqlStore
            base = server.sparql_url.rsplit("/", 1)[0]
            store = SparqlStore(base + "/query", base + "/update")
        else:
            store = OxigraphStore(Path(tmp) / "store")
        try:
            store.replace_graphs(pipeline.reference_graphs())
            pipeline.ingest(store, articles[0], relink=False)
            base_rss = _maxrss_mb()
            started = time.perf_counter()
            for a in articles[1:]:
                pipeline.ingest(store, a, relink=False)
            seconds = time.perf_counter() - started
            t = time.perf_counter()
            pipeline.refresh_events(store)
            events_seconds = time.perf_counter() - t
            t = time.perf_counter()
            pipeline.ingest(store, articles[-1], relink=True)  # one ingest as `kg ingest` does it
            one_with_events = time.perf_counter() - t
            triples = store.count()
        finally:
            store.close()
            if server is not None:
                server.stop()
    n = len(articles) - 1
    return {"articles": n, "seconds": round(seconds, 2),
            "articles_per_second": round(n / seconds, 1),
            "events_refresh_seconds": round(events_seconds, 2),
            "articles_per_second_with_events": round(n / (seconds + events_seconds), 1),
            "one_ingest_with_events_seconds": round(one_with_events, 2),
            "triples": triples, "triples_per_second": round(triples / seconds),
            "rss_after_warmup_mb": base_rss, "peak_rss_mb": _maxrss_mb(),
            "backend": "sparql (oxigraph serve)" if remote else "oxigraph (embedded)"}


def run_phase(phase: str, folder: Path) -> dict:
    """One phase in a fresh, single-CPU process; its JSON result."""
    out = subprocess.run([sys.executable, __file__, "--articles", str(folder), "--phase", phase],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"error": out.stderr[-3000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=Path, required=True, help="folder of .txt + .json")
    p.add_argument("--phase", choices=("extract", "ingest", "ingest-remote"))
    p.add_argument("--phases", default="extract,ingest,ingest-remote")
    p.add_argument("--runs", type=int, default=1, help="runs per phase (median reported)")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    if args.phase:  # the child process
        _pin()
        result = (phase_extract(args.articles) if args.phase == "extract"
                  else phase_ingest(args.articles, remote=args.phase == "ingest-remote"))
        print(json.dumps(result))
        return 0
    import statistics
    results = {}
    for phase in args.phases.split(","):
        runs = [run_phase(phase, args.articles) for _ in range(args.runs)]
        ok = [r for r in runs if "error" not in r]
        if not ok:
            results[phase] = runs[0]
        else:
            best = sorted(ok, key=lambda r: r["articles_per_second"])[len(ok) // 2]
            results[phase] = {**best, "runs_articles_per_second":
                              [r["articles_per_second"] for r in ok],
                              "median_articles_per_second":
                              statistics.median(r["articles_per_second"] for r in ok)}
        print(phase, json.dumps(results[phase])[:400], file=sys.stderr, flush=True)
    results["single_core"] = True
    results["target_articles_per_second"] = 50
    text = json.dumps(results, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
