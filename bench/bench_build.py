"""Build and restart: bulk-load triples per second, per-article writes, and time to serve again.

    python bench/bench_build.py --corpus bench/out/corpus-10m.nq --out bench/results/build-10m.json

* ``bulk``: the N-Quads corpus into a fresh on-disk embedded store (``OxigraphStore``,
  Oxigraph's bulk loader), and with ``--oxigraph-load`` the same through ``oxigraph load``;
* ``writes`` (``--writes``): one ``replace_graphs`` update per article graph, as ingest writes,
  into the embedded store and into an Oxigraph server through the remote backend;
* ``restart``: ``kg serve`` (and ``oxigraph serve``) on the built store, from spawn to the
  first answered query, ``--restarts`` times, the two interleaved; for ours also until its
  read models are ready (``/health``), the first JSON API and page answers after that, and the
  peak resident memory while starting. Ours starts once cold first (its read models built
  from the store and saved beside it), then from the saved read models. Nothing is reloaded:
  the store is opened where it lies.

The built store is left where ``bench_query.py`` looks for it, so the query benchmark at the
same size reuses it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import servers  # noqa: E402


def bulk(corpus: Path, work: Path) -> dict:
    """Bulk-load into ``work/kg-store`` and copy to ``work/oxigraph-store`` (bench_query layout)."""
    import pyoxigraph as ox

    from graph_service.store import OxigraphStore

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    store = OxigraphStore(work / "kg-store")
    store.oxigraph.bulk_load(path=str(corpus), format=ox.RdfFormat.N_QUADS)
    store.close()
    seconds = time.perf_counter() - started
    store = OxigraphStore(work / "kg-store")
    triples = len(store.oxigraph)
    store.close()
    shutil.copytree(work / "kg-store", work / "oxigraph-store")
    (work / "loaded.json").write_text(json.dumps({"triples": triples,
                                                  "bulk_load_seconds": round(seconds, 1)}))
    return {"triples": triples, "seconds": round(seconds, 1),
            "triples_per_second": round(triples / seconds),
            "store_bytes": sum(f.stat().st_size for f in (work / "kg-store").rglob("*")
                               if f.is_file())}


def oxigraph_load(corpus: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="oxload-") as tmp:
        started = time.perf_counter()
        subprocess.run([str(servers.BIN / "oxigraph"), "load", "--location", tmp,
                        "--file", str(corpus)], check=True, capture_output=True)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1)}


def article_graphs(corpus: Path) -> dict[str, str]:
    """N-Triples per named graph (the corpus writes each graph's lines together)."""
    graphs: dict[str, list[str]] = {}
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            head, _, graph = line.rstrip(" .\n").rpartition(" <")
            graphs.setdefault(graph.rstrip(">"), []).append(head + " .\n")
    return {g: "".join(lines) for g, lines in graphs.items()}


def writes(corpus: Path) -> dict:
    """One update per graph, embedded and remote; triples per second."""
    from graph_service.store.remote import SparqlStore
    from graph_service.store import OxigraphStore

    graphs = article_graphs(corpus)
    triples = sum(nt.count("\n") for nt in graphs.values())
    out = {"graphs": len(graphs), "triples": triples}
    with tempfile.TemporaryDirectory(prefix="kg-writes-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        started = time.perf_counter()
        for g, nt in graphs.items():
            store.replace_graphs({g: nt})
        seconds = time.perf_counter() - started
        store.close()
        out["embedded"] = {"seconds": round(seconds, 2),
                           "triples_per_second": round(triples / seconds),
                           "graphs_per_second": round(len(graphs) / seconds, 1)}
        server = servers.start_oxigraph(Path(tmp) / "oxigraph", logdir=Path(tmp))
        try:
            base = server.sparql_url.rsplit("/", 1)[0]
            remote = SparqlStore(base + "/query", base + "/update")
            started = time.perf_counter()
            for g, nt in graphs.items():
                remote.replace_graphs({g: nt})
            seconds = time.perf_counter() - started
        finally:
            server.stop()
        out["remote"] = {"seconds": round(seconds, 2),
                         "triples_per_second": round(triples / seconds),
                         "graphs_per_second": round(len(graphs) / seconds, 1)}
    return out


def restart(work: Path, *, runs: int, cold: bool = True) -> dict:
    """Seconds from spawn to the first answered query, for ``kg serve`` and ``oxigraph serve``,
    interleaved run by run. Ours first starts cold (no read models saved beside the store: the
    claim index and the statistics are built from it, then saved); every run after that starts
    from the saved read models, as a restart of the service does."""
    logdir = work / "logs"
    out: dict = {"kg": {}, "oxigraph": {}}
    if cold or not (work / "kg-store" / "read-models" / "seal").exists():
        shutil.rmtree(work / "kg-store" / "read-models", ignore_errors=True)
        t = servers.start_kg(work / "kg-store", logdir=logdir, timeout=1800)
        saved = _poll_file(work / "kg-store" / "read-models" / "seal", t, timeout=600)
        out["kg"]["cold"] = {"ready_seconds": round(t.ready_seconds, 2),
                             "read_models_built_seconds": round(t.warm_seconds, 2),
                             "read_models_saved_seconds": round(saved, 2),
                             "peak_rss_mb": round(t.peak_rss / 2**20, 1)}
        t.stop()
    runs_of: dict = {"kg": [], "oxigraph": []}
    firsts: list[dict] = []
    for _ in range(runs):
        for name in ("kg", "oxigraph"):
            if name == "kg":
                t = servers.start_kg(work / "kg-store", logdir=logdir)
                firsts.append(_first_answers(t))
            else:
                t = servers.start_oxigraph(work / "oxigraph-store", logdir=logdir)
            t.sample()
            runs_of[name].append((t.ready_seconds, t.warm_seconds, t.peak_rss / 2**20))
            t.stop()
    for name, got in runs_of.items():
        out[name].update({"ready_seconds": round(statistics.median(r for r, _, _ in got), 2),
                          "runs": [round(r, 2) for r, _, _ in got],
                          "peak_rss_mb": round(statistics.median(m for _, _, m in got), 1)})
        if name == "kg":   # our service: until the claim index and the statistics are ready
            out[name]["read_models_ready_seconds"] = round(
                statistics.median(w for _, w, _ in got), 2)
            out[name]["read_models_ready_runs"] = [round(w, 2) for _, w, _ in got]
            out[name]["first_answers_seconds"] = {
                url: round(statistics.median(f[url] for f in firsts), 3) for url in firsts[0]}
    out["kg"]["ratio_to_oxigraph"] = round(out["kg"]["ready_seconds"] /
                                           out["oxigraph"]["ready_seconds"], 2)
    return out


def _first_answers(target: servers.Target) -> dict[str, float]:
    """Seconds for the first answer of a JSON API route and of two pages, once ready."""
    import requests

    out = {}
    for url in ("/api/claims?limit=20", "/api/timeline?limit=20", "/", "/entities"):
        started = time.perf_counter()
        requests.get(target.base_url + url, timeout=120).raise_for_status()
        out[url] = time.perf_counter() - started
    return out


def _poll_file(path: Path, target: servers.Target, *, timeout: float) -> float:
    """Seconds from the target's spawn until ``path`` exists (sampling its memory)."""
    started = time.perf_counter()
    while not path.exists():
        target.sample()
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{path} not written after {timeout} s")
        time.sleep(0.2)
    return target.warm_seconds + time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--work", type=Path, help="default: bench/out/query-<corpus stem>")
    p.add_argument("--out", type=Path)
    p.add_argument("--oxigraph-load", action="store_true")
    p.add_argument("--writes", action="store_true")
    p.add_argument("--restarts", type=int, default=3)
    p.add_argument("--no-cold", action="store_true",
                   help="restarts only from the read models an earlier run saved, if any")
    p.add_argument("--no-bulk", action="store_true",
                   help="reuse the stores an earlier run left in --work (restarts only)")
    args = p.parse_args(argv)
    work = args.work or HERE / "out" / f"query-{args.corpus.stem}"
    result: dict = {"corpus": str(args.corpus)}
    if not args.no_bulk:
        result["bulk"] = bulk(args.corpus, work)
        print("bulk", result["bulk"], file=sys.stderr, flush=True)
    if args.oxigraph_load:
        result["oxigraph_load"] = oxigraph_load(args.corpus)
        result["oxigraph_load"]["triples_per_second"] = round(
            result["bulk"]["triples"] / result["oxigraph_load"]["seconds"])
    if args.writes:
        result["writes"] = writes(args.corpus)
        print("writes", result["writes"], file=sys.stderr, flush=True)
    if args.restarts:
        result["restart"] = restart(work, runs=args.restarts, cold=not args.no_cold)
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
