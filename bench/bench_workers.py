"""Cheap queries on the two query designs of ``kg serve`` beside Oxigraph's server.

    python bench/bench_workers.py --work bench/out --out bench/results/workers-100k.json

``kg serve`` with ``KG_QUERY_WORKERS=processes`` (queries in worker processes over a
read-only checkpoint) and with ``KG_QUERY_WORKERS=threads`` (in-process), and ``oxigraph
serve``, all at once, on the stores ``bench_query.py`` left in ``--work`` (``kg-store``, copied
for the second kg, since a store folder is locked to one process; ``oxigraph-store``). For
each cheap query: median latency over ``--rounds`` rounds that interleave the targets, then
requests per second with 4 and 16 clients for ``--seconds`` each; and the peak RSS summed
over each server's process tree (the workers included).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import servers  # noqa: E402

QUERIES = {
    "ask": "ASK {}",
    "scan_1000": "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1000",
    "join_100": "PREFIX kg: <https://w3id.org/nkru/ontology#> "
                "PREFIX prov: <http://www.w3.org/ns/prov#> "
                "SELECT ?c ?a ?s WHERE { ?c a kg:Claim ; prov:wasDerivedFrom ?a ; kg:status ?s } "
                "LIMIT 100",
    "describe": "DESCRIBE <https://w3id.org/nkru/id/entity/north-korea>",
}


def ask(target: servers.Target, query: str, session: requests.Session) -> None:
    accept = "application/n-triples" if query.startswith("DESCRIBE") else \
        "application/sparql-results+json"
    response = session.post(target.sparql_url, data={"query": query},
                            headers={"Accept": accept}, timeout=60)
    if response.status_code != 200:
        raise RuntimeError(f"{target.name}: {response.status_code} {response.text[:200]}")


def throughput(target: servers.Target, query: str, clients: int, seconds: float) -> float:
    done = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        session, n = requests.Session(), 0
        while time.perf_counter() < stop:
            ask(target, query, session)
            n += 1
        with lock:
            done[0] += n

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    target.sample()
    return done[0] / (time.perf_counter() - start)


def start_kg(store: Path, mode: str, logdir: Path) -> servers.Target:
    os.environ["KG_QUERY_WORKERS"] = mode   # read by the kg serve process at its start
    try:
        return servers.start_kg(store, logdir=logdir, name=f"kg-{mode}")
    finally:
        del os.environ["KG_QUERY_WORKERS"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", type=Path, default=Path("bench/out"))
    p.add_argument("--out", type=Path)
    p.add_argument("--rounds", type=int, default=60)
    p.add_argument("--seconds", type=float, default=4.0)
    args = p.parse_args(argv)
    logdir = args.work / "logs"
    copy = args.work / "kg-store-threads"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(args.work / "kg-store", copy)
    targets = [start_kg(args.work / "kg-store", "processes", logdir),
               start_kg(copy, "threads", logdir),
               servers.start_oxigraph(args.work / "oxigraph-store", logdir=logdir)]
    result: dict = {"latency_ms": {}, "throughput": {}}
    try:
        sessions = {t.name: requests.Session() for t in targets}
        for name, query in QUERIES.items():
            times: dict[str, list[float]] = {t.name: [] for t in targets}
            for i in range(args.rounds + 5):   # the first five warm up
                for t in targets:
                    start = time.perf_counter()
                    ask(t, query, sessions[t.name])
                    if i >= 5:
                        times[t.name].append((time.perf_counter() - start) * 1000)
            result["latency_ms"][name] = {n: round(statistics.median(v), 2)
                                          for n, v in times.items()}
            print(name, result["latency_ms"][name], flush=True)
        for name, query in QUERIES.items():
            for clients in (4, 16):
                rates = {t.name: round(throughput(t, query, clients, args.seconds), 1)
                         for t in targets}
                result["throughput"][f"{name} x{clients}"] = rates
                print(name, clients, rates, flush=True)
        result["peak_rss_mb"] = {t.name: round(t.peak_rss / 2**20, 1) for t in targets}
        print(result["peak_rss_mb"])
    finally:
        for t in targets:
            t.stop()
        shutil.rmtree(copy, ignore_errors=True)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
