"""Extraction and ingest throughput: articles per second and peak memory, per core.

    python bench/generate.py texts --articles 1000 --out bench/out/articles
    python bench/bench_extract.py --articles bench/out/articles --runs 3 \
        --phases extract,extract-regex,extract-all-cores --source HEAD \
        --out bench/results/extract.json

Each phase runs in its own process, so that its peak RSS (``ru_maxrss``) is its own; every
phase but ``extract-all-cores`` is pinned to one CPU (the same one for all of them):

* ``extract``: the parsed extractor as it is meant to be used, every article through
  ``graph_service.extraction.extract_many(articles, processes=1)`` (``nlp.pipe`` batches);
* ``extract-regex``: the regular-expression extractor it replaced (``graph_service.extract``
  at commit ``--regex-commit``, default 8ac4066), on the same articles and the same CPU. The
  commit's tree is exported into a temporary directory (``git archive``) and the phase runs
  with that directory first on ``PYTHONPATH``, so that the whole ``graph_service`` package is
  the old one; the directory is removed afterwards;
* ``extract-all-cores``: ``extract_many(articles)`` with its default process count (every
  core this process may use), not pinned; articles/s overall and per process;
* ``ingest``: ``pipeline.ingest`` (extract, rdfize, SHACL-validate, one update per article)
  into a fresh on-disk store, events recomputed once at the end (as ``kg build`` does);
* ``ingest-remote``: the same into an Oxigraph server through the remote backend.

Each extract phase reports wall time and CPU time (user + system, workers included): on a
machine other work shares, ``articles_per_cpu_second`` is the per-core rate and
``articles_per_second`` what the run got. Before timing, the model (or rules) and shapes are
loaded and the first article is processed once; ``rss_after_warmup_mb`` is read then. The
extract phases time every article, the ingest phases every article after the first. The
results record the commit measured; ``--source REV`` measures a commit's tree, exported like
the regex one, rather than the working tree (whose changes during a run are flagged). The
target (8 articles/s per core, parsed) is checked against the median CPU-time rate.
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
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

PHASES = ("extract", "extract-regex", "extract-all-cores", "ingest", "ingest-remote")
REGEX_COMMIT = "8ac4066"  # the last commit with graph_service/extract.py
TARGET_PER_CORE = 8  # parsed extractor, articles per second on one core


def _cpus() -> list[int]:
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return list(range(os.cpu_count() or 1))


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {_cpus()[0]})


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 2)


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timing(n: int, seconds: float, cpu: float) -> dict:
    """Wall and CPU time; on a shared machine the CPU-time rate is the per-core figure."""
    return {"seconds": round(seconds, 2), "articles_per_second": _rate(n, seconds),
            "cpu_seconds": round(cpu, 2), "articles_per_cpu_second": _rate(n, cpu)}


def phase_extract(folder: Path) -> dict:
    from graph_service.articles import iter_articles
    from graph_service.extraction import extract, extract_many, model_name

    articles = iter_articles(folder)
    extract(articles[0])  # loads the model
    base = _maxrss_mb()
    cpu, started = _cpu_seconds(), time.perf_counter()
    results = extract_many(articles, processes=1)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"articles": len(articles), "claims": sum(map(len, results)),
            **_timing(len(articles), seconds, cpu),
            "rss_after_warmup_mb": base, "peak_rss_mb": _maxrss_mb(),
            "extractor": "graph_service.extraction.extract_many(processes=1)",
            "model": model_name()}


def _check_tree(required: bool = False) -> None:
    """Fail unless ``graph_service`` comes from the exported tree this process was given."""
    import graph_service

    tree = os.environ.get("KG_BENCH_TREE", "")
    if not tree and not required:
        return
    where = Path(graph_service.__file__).resolve()
    if not tree or not where.is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"graph_service was imported from {where}, not from the exported tree")


def phase_extract_regex(folder: Path) -> dict:
    from graph_service.articles import iter_articles
    from graph_service.extract import extract

    _check_tree(required=True)
    articles = iter_articles(folder)
    extract(articles[0])
    base = _maxrss_mb()
    cpu, started = _cpu_seconds(), time.perf_counter()
    claims = sum(len(extract(a)) for a in articles)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"articles": len(articles), "claims": claims,
            **_timing(len(articles), seconds, cpu),
            "rss_after_warmup_mb": base, "peak_rss_mb": _maxrss_mb(),
            "extractor": "graph_service.extract.extract",
            "commit": os.environ.get("KG_BENCH_COMMIT", "")}


def phase_extract_all_cores(folder: Path) -> dict:
    from graph_service.articles import iter_articles
    from graph_service.extraction import extract, extract_many, workers

    articles = iter_articles(folder)
    extract(articles[0])  # the model loads once here; forked workers inherit it
    base = _maxrss_mb()
    processes = min(workers(), max(1, len(articles) // 8))  # what extract_many will start
    cpu, started = _cpu_seconds(), time.perf_counter()
    results = extract_many(articles)  # the workers have exited when it returns
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"articles": len(articles), "claims": sum(map(len, results)),
            **_timing(len(articles), seconds, cpu),
            "processes": processes, "cores": len(_cpus()),
            "articles_per_second_per_process": _rate(len(articles), seconds * processes),
            "rss_after_warmup_mb": base, "peak_rss_mb": _maxrss_mb(),
            "peak_rss_largest_worker_mb": _maxrss_mb(resource.RUSAGE_CHILDREN)}


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
            from graph_service.store.remote import SparqlStore
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
            "articles_per_second": _rate(n, seconds),
            "events_refresh_seconds": round(events_seconds, 2),
            "articles_per_second_with_events": _rate(n, seconds + events_seconds),
            "one_ingest_with_events_seconds": round(one_with_events, 2),
            "triples": triples, "triples_per_second": round(triples / seconds),
            "rss_after_warmup_mb": base_rss, "peak_rss_mb": _maxrss_mb(),
            "backend": "sparql (oxigraph serve)" if remote else "oxigraph (embedded)"}


def export_tree(commit: str, dest: Path) -> None:
    """The tree of ``commit`` written into ``dest`` (no checkout or worktree is touched)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def git(*args: str) -> str:
    out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


def tree_env(commit: str, dest: Path) -> dict:
    """Environment for a phase that runs ``commit``'s graph_service, exported into ``dest``."""
    if not (dest / "graph_service").is_dir():
        export_tree(commit, dest)
    path = [str(dest), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(path),
            "KG_BENCH_TREE": str(dest), "KG_BENCH_COMMIT": git("rev-parse", "--short", commit)}


def source_state() -> dict:
    """The commit of the working tree, and extraction files changed on top of it (if any)."""
    changed = git("status", "--porcelain", "--", "graph_service/extraction",
                  "graph_service/pipeline.py")
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted_extraction_files": [line[3:] for line in changed.splitlines()]}


def run_phase(phase: str, folder: Path, env: dict | None = None) -> dict:
    """One phase in a fresh process (pinned to one CPU unless all cores); its JSON result."""
    out = subprocess.run([sys.executable, __file__, "--articles", str(folder), "--phase", phase],
                         capture_output=True, text=True, check=False,
                         env={**os.environ, **(env or {})})
    if out.returncode != 0:
        return {"error": out.stderr[-3000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_child(phase: str, folder: Path) -> dict:
    if phase != "extract-all-cores":
        _pin()
    _check_tree()
    if phase == "extract":
        return phase_extract(folder)
    if phase == "extract-regex":
        return phase_extract_regex(folder)
    if phase == "extract-all-cores":
        return phase_extract_all_cores(folder)
    return phase_ingest(folder, remote=phase == "ingest-remote")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=Path, required=True, help="folder of .txt + .json")
    p.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)  # the child process
    p.add_argument("--phases", default=",".join(PHASES),
                   help=f"comma-separated, of: {', '.join(PHASES)} (default: all)")
    p.add_argument("--runs", type=int, default=1, help="runs per phase (median reported)")
    p.add_argument("--regex-commit", default=REGEX_COMMIT,
                   help="commit whose graph_service.extract the extract-regex phase runs")
    p.add_argument("--source", metavar="REV",
                   help="run the other phases on this commit's tree, exported like the regex "
                        "one (default: the working tree)")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    if args.phase:
        print(json.dumps(run_child(args.phase, args.articles)))
        return 0
    phases = [s.strip() for s in args.phases.split(",") if s.strip()]
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        p.error(f"unknown phase(s): {', '.join(unknown)}")
    import statistics
    results: dict = {}
    before = source_state()
    with tempfile.TemporaryDirectory(prefix="kg-bench-trees-") as tmp:
        old, new = Path(tmp) / "regex", Path(tmp) / "source"
        old.mkdir()
        new.mkdir()
        for phase in phases:
            env = None
            if phase == "extract-regex":
                env = tree_env(args.regex_commit, old)
            elif args.source:
                env = tree_env(args.source, new)
            runs = [run_phase(phase, args.articles, env) for _ in range(args.runs)]
            ok = [r for r in runs if "error" not in r]
            if not ok:
                results[phase] = runs[0]
            else:
                best = sorted(ok, key=lambda r: r["articles_per_second"])[len(ok) // 2]
                results[phase] = {**best, "runs_articles_per_second":
                                  [r["articles_per_second"] for r in ok],
                                  "median_articles_per_second":
                                  statistics.median(r["articles_per_second"] for r in ok)}
                if all("articles_per_cpu_second" in r for r in ok):
                    results[phase]["median_articles_per_cpu_second"] = statistics.median(
                        r["articles_per_cpu_second"] for r in ok)
            print(phase, json.dumps(results[phase])[:400], file=sys.stderr, flush=True)
    results["single_core"] = [ph for ph in phases if ph != "extract-all-cores"]
    results["cores"] = len(_cpus())
    if args.source:
        results["source"] = {"commit": git("rev-parse", "--short", args.source),
                             "tree": "exported"}
    else:
        after = source_state()
        results["source"] = {**after, "tree": "working tree",
                             "changed_during_run": after != before}
    results["target_articles_per_second_per_core"] = TARGET_PER_CORE
    if "median_articles_per_cpu_second" in results.get("extract", {}):
        results["target_met"] = (results["extract"]["median_articles_per_cpu_second"]
                                 >= TARGET_PER_CORE)
    text = json.dumps(results, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
