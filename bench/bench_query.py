"""The query benchmark: the same mix, on the same data, against every target, in one run.

    python bench/bench_query.py --corpus bench/out/corpus-1m.nq --out bench/results/query-1m.json

Targets (``--targets``): ``kg`` (our service, ``kg serve``), ``oxigraph`` (``oxigraph serve``),
``rdflib`` (rdflib-endpoint), ``kg-remote`` (``kg serve --backend sparql`` in front of the
Oxigraph server). All run at once, each its own process; the rounds interleave the targets so
that the machine's noise falls on all of them alike.

Reported per target: median latency per query over ``--rounds`` rounds; requests per second
with 1, 4 and 16 concurrent clients (each phase bounded by ``--tp-requests`` and
``--tp-seconds``; median of ``--tp-runs`` runs); peak RSS of the server process; seconds from
spawn to ready. Every figure is also given as a ratio to the Oxigraph server. The JSON API
routes run on the ``kg`` targets only (the others have no such API).
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mix  # noqa: E402
import servers  # noqa: E402

ACCEPT_RESULTS = "application/sparql-results+json"
ACCEPT_GRAPH = "application/n-triples"
CONCURRENCY = (1, 4, 16)


def prepare_stores(corpus: Path, work: Path) -> tuple[Path, Path, dict]:
    """Bulk-load the corpus once into an embedded store; copy it for the Oxigraph server."""
    from graph_service.store import OxigraphStore

    kg_dir, ox_dir = work / "kg-store", work / "oxigraph-store"
    marker = work / "loaded.json"
    if marker.exists():
        return kg_dir, ox_dir, json.loads(marker.read_text())
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    store = OxigraphStore(kg_dir)
    store.oxigraph.bulk_load(path=str(corpus), format=__import__("pyoxigraph").RdfFormat.N_QUADS)
    triples = store.count()
    store.close()
    seconds = time.perf_counter() - started
    shutil.copytree(kg_dir, ox_dir)
    info = {"triples": triples, "bulk_load_seconds": round(seconds, 1)}
    marker.write_text(json.dumps(info))
    return kg_dir, ox_dir, info


# -- requests ---------------------------------------------------------------------------------

def sparql_request(session: requests.Session, url: str, q: mix.Query, *, timeout: float):
    accept = ACCEPT_GRAPH if q.construct else ACCEPT_RESULTS
    r = session.post(url, data={"query": q.sparql}, headers={"Accept": accept}, timeout=timeout)
    body = r.content
    if r.status_code != 200:
        raise RuntimeError(f"HTTP {r.status_code}: {body[:300]!r}")
    return body


def api_request(session: requests.Session, base: str, path: str, *, timeout: float):
    r = session.get(base + path, headers={"Accept": "application/json"}, timeout=timeout)
    if r.status_code != 200:
        raise RuntimeError(f"HTTP {r.status_code}: {r.content[:300]!r}")
    return r.content


def timed(fn, *args, **kwargs) -> tuple[float | None, str | None, int]:
    started = time.perf_counter()
    try:
        body = fn(*args, **kwargs)
        return time.perf_counter() - started, None, len(body)
    except (requests.RequestException, RuntimeError) as err:
        return None, str(err)[:300], 0


def jobs(target: servers.Target, sparql: list[mix.Query], api: list[tuple[str, str]],
         which: str) -> list[tuple[str, callable]]:
    """(name, call(session, timeout)) for each request of the mix this target serves."""
    out = []
    if which in ("sparql", "all"):
        for q in sparql:
            out.append((q.name, lambda s, t, q=q: sparql_request(s, target.sparql_url, q,
                                                                 timeout=t)))
    if which in ("api", "all") and target.base_url:
        for name, path in api:
            out.append((name, lambda s, t, path=path: api_request(s, target.base_url, path,
                                                                  timeout=t)))
    return out


def throughput(target: servers.Target, work: list, *, clients: int, max_requests: int,
               max_seconds: float, timeout: float) -> dict:
    """Requests per second with ``clients`` concurrent loopback clients cycling the mix."""
    lock = threading.Lock()
    counter = itertools.count()
    done, failed = [0], [0]
    deadline = time.perf_counter() + max_seconds

    def client(offset: int) -> None:
        session = requests.Session()
        while time.perf_counter() < deadline:
            n = next(counter)
            if n >= max_requests:
                return
            _, call = work[(n + offset) % len(work)]
            try:
                call(session, timeout)
                ok = True
            except (requests.RequestException, RuntimeError):
                ok = False
            with lock:
                if ok:
                    done[0] += 1
                else:
                    failed[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"rps": round(done[0] / elapsed, 2), "completed": done[0], "failed": failed[0],
            "seconds": round(elapsed, 2)}


def drain(target: servers.Target, *, timeout: float) -> None:
    """Wait until the server answers a trivial query again (a single-threaded server may
    still be working on requests whose clients gave up)."""
    try:
        requests.post(target.sparql_url, data={"query": "ASK {}"},
                      headers={"Accept": ACCEPT_RESULTS}, timeout=timeout)
    except requests.RequestException:
        pass


class Sampler(threading.Thread):
    """Samples every target's RSS until stopped; keeps the peak."""

    def __init__(self, targets: list[servers.Target], every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.targets, self.every, self.stopped = targets, every, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            for t in self.targets:
                t.sample()
            time.sleep(self.every)


# -- the run ----------------------------------------------------------------------------------

def run(args) -> dict:
    work = args.work
    kg_dir, ox_dir, loaded = prepare_stores(args.corpus, work)
    logdir = work / "logs"
    names = args.targets.split(",")
    targets: dict[str, servers.Target] = {}
    try:
        if "oxigraph" in names or "kg-remote" in names:
            targets["oxigraph"] = servers.start_oxigraph(ox_dir, logdir=logdir)
        if "kg" in names:
            targets["kg"] = servers.start_kg(kg_dir, logdir=logdir)
        if "kg-remote" in names:
            targets["kg-remote"] = servers.start_kg_remote(targets["oxigraph"], logdir=logdir)
        if "rdflib" in names and args.rdflib_url:
            targets["rdflib"] = servers.attach("rdflib", args.rdflib_url, args.rdflib_pid)
        elif "rdflib" in names:
            targets["rdflib"] = servers.start_rdflib(args.corpus, logdir=logdir)
        return measure(args, targets, loaded)
    finally:
        for t in targets.values():
            t.stop()


def measure(args, targets: dict[str, servers.Target], loaded: dict) -> dict:
    from graph_service.store.remote import SparqlStore

    first = next(iter(targets.values()))
    params = mix.pick_parameters(SparqlStore(first.sparql_url, read_only=True, check=False))
    sparql, api = mix.sparql_mix(params), mix.api_mix(params)
    timeouts = {name: (args.slow_timeout if name == "rdflib" else args.timeout)
                for name in targets}
    sampler = Sampler(list(targets.values()))
    sampler.start()
    latency: dict = {n: {} for n in targets}
    sizes: dict = {n: {} for n in targets}
    errors: list = []
    if args.no_api:
        api = []
    for t in targets.values():                         # warm-up, not timed (SPARQL mix only:
        if t.name == "rdflib" and args.no_slow_warmup:  # the API routes are warmed by it)
            continue
        for name, call in jobs(t, sparql, api, "sparql"):
            dt, err, size = timed(call, requests.Session(), timeouts[t.name])
            if err:
                errors.append({"target": t.name, "request": name, "phase": "warm-up",
                               "error": err})
        drain(t, timeout=args.slow_timeout)
    for rnd in range(args.rounds):
        for t in targets.values():
            if t.name == "rdflib" and rnd >= args.slow_rounds:
                continue
            session = requests.Session()
            which = "all" if rnd < args.api_rounds else "sparql"
            for name, call in jobs(t, sparql, api, which):
                timeout = args.api_timeout if name in dict(api) else timeouts[t.name]
                dt, err, size = timed(call, session, timeout)
                latency[t.name].setdefault(name, []).append(dt)
                sizes[t.name][name] = size
                if err:
                    errors.append({"target": t.name, "request": name, "round": rnd,
                                   "error": err})
            drain(t, timeout=args.slow_timeout)
        print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    tput: dict = {n: {} for n in targets}
    for which in ("sparql", "api") if args.api_throughput else ("sparql",):
        for clients in CONCURRENCY:
            for _ in range(args.tp_runs):
                for t in targets.values():
                    work = jobs(t, sparql, api, which)
                    if not work:
                        continue
                    seconds = args.tp_seconds * (args.slow_factor if t.name == "rdflib" else 1)
                    res = throughput(t, work, clients=clients, max_requests=args.tp_requests,
                                     max_seconds=seconds, timeout=timeouts[t.name])
                    tput[t.name].setdefault(which, {}).setdefault(str(clients), []).append(res)
                    drain(t, timeout=args.slow_timeout)
            print(f"throughput {which} x{clients} done", file=sys.stderr, flush=True)
    sampler.stopped.set()
    sampler.join()
    return summarize(args, targets, loaded, params, sparql, api, latency, sizes, tput, errors)


def _median(values: list) -> float | None:
    ok = [v for v in values if v is not None]
    if len(ok) < max(1, len(values) // 2 + 1):
        return None  # most runs failed or timed out: no honest median
    return statistics.median(ok)


def _ratio(a, b) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def summarize(args, targets, loaded, params, sparql, api, latency, sizes, tput, errors) -> dict:
    out: dict = {
        "corpus": str(args.corpus), "triples": loaded["triples"],
        "bulk_load_seconds": loaded.get("bulk_load_seconds"), "parameters": params,
        "rounds": args.rounds, "api_rounds": args.api_rounds, "slow_rounds": args.slow_rounds,
        "tp_runs": args.tp_runs, "tp_requests": args.tp_requests,
        "tp_seconds": args.tp_seconds, "timeout": args.timeout,
        "slow_timeout": args.slow_timeout,
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                    "platform": platform.platform()},
        "queries": {q.name: q.what for q in sparql}, "api": dict(api),
        "targets": {}, "errors": errors[:200],
    }
    for name, t in targets.items():
        lat = {q: (round(m * 1000, 2) if (m := _median(v)) is not None else None)
               for q, v in latency[name].items()}
        tp = {which: {c: {"rps": statistics.median(r["rps"] for r in runs),
                          "runs": runs} for c, runs in per.items()}
              for which, per in tput[name].items()}
        # The JSON API's first request per route is cold: the records of its page are read
        # from the store; later rounds find them in the claim index's record cache.
        first = {q: (round(v[0] * 1000, 2) if v and v[0] is not None else None)
                 for q, v in latency[name].items() if q in dict(api)}
        out["targets"][name] = {
            "api_first_ms": first,
            "ready_seconds": round(t.ready_seconds, 2), "peak_rss_mb": round(t.peak_rss / 2**20, 1),
            "warm_seconds": None if t.warm_seconds is None else round(t.warm_seconds, 2),
            "latency_ms": lat, "response_bytes": sizes[name], "throughput": tp,
            "max_latency_ms": max((v for v in lat.values() if v is not None), default=None),
        }
    base = out["targets"].get("oxigraph")
    if base:
        for name, r in out["targets"].items():
            r["ratio_to_oxigraph"] = {
                "latency": {q: _ratio(v, base["latency_ms"].get(q))
                            for q, v in r["latency_ms"].items() if q in base["latency_ms"]},
                "throughput": {c: _ratio(v["rps"], base["throughput"]["sparql"][c]["rps"])
                               for c, v in r["throughput"].get("sparql", {}).items()},
                "peak_rss": _ratio(r["peak_rss_mb"], base["peak_rss_mb"]),
                "ready": _ratio(r["ready_seconds"], base["ready_seconds"]),
            }
    return out


def table(result: dict) -> str:
    """The result as Markdown tables (latency, throughput, memory)."""
    names = list(result["targets"])
    T = result["targets"]
    lines = [f"Corpus: {result['triples']:,} triples. Medians of {result['rounds']} rounds "
             f"(latency) and {result['tp_runs']} runs (throughput).", "",
             "| query | " + " | ".join(f"{n} ms (x oxigraph)" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    queries = list(result["queries"]) + list(result["api"])
    for q in queries:
        cells = []
        for n in names:
            v = T[n]["latency_ms"].get(q)
            if q not in T[n]["latency_ms"]:
                cells.append("–")
                continue
            r = T[n].get("ratio_to_oxigraph", {}).get("latency", {}).get(q)
            cells.append("timeout/error" if v is None else
                         f"{v:.1f}" + (f" ({r:.2f})" if r is not None else ""))
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    if any(T[n].get("api_first_ms") for n in names):
        lines += ["", "JSON API, first request of each route (records read from the store, "
                  "not yet cached):", "",
                  "| route | " + " | ".join(f"{n} ms" for n in names) + " |",
                  "|---|" + "---|" * len(names)]
        for q in result["api"]:
            cells = []
            for n in names:
                v = T[n].get("api_first_ms", {}).get(q, "–")
                cells.append("timeout/error" if v is None else
                             v if isinstance(v, str) else f"{v:.1f}")
            lines.append(f"| {q} | " + " | ".join(cells) + " |")
    lines += ["", "| throughput (req/s) | " + " | ".join(names) + " |",
              "|---|" + "---|" * len(names)]
    for which in ("sparql", "api"):
        for c in map(str, CONCURRENCY):
            cells = []
            for n in names:
                v = T[n]["throughput"].get(which, {}).get(c)
                if v is None:
                    cells.append("–")
                    continue
                r = T[n].get("ratio_to_oxigraph", {}).get("throughput", {}).get(c) \
                    if which == "sparql" else None
                cells.append(f"{v['rps']:.1f}" + (f" ({r:.2f})" if r is not None else ""))
            lines.append(f"| {which} mix, {c} clients | " + " | ".join(cells) + " |")
    lines += ["", "| server | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key, label in (("peak_rss_mb", "peak RSS MB"), ("ready_seconds", "spawn to ready s"),
                       ("warm_seconds", "spawn to read models built s")):
        if not any(T[n].get(key) is not None for n in names):
            continue
        cells = []
        for n in names:
            if T[n].get(key) is None:
                cells.append("–")
                continue
            r = None if key == "warm_seconds" else T[n].get("ratio_to_oxigraph", {}).get(
                "peak_rss" if key == "peak_rss_mb" else "ready")
            cells.append(f"{T[n][key]}" + (f" ({r:.2f})" if r is not None else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, required=True, help="N-Quads from generate.py")
    p.add_argument("--work", type=Path, help="folder for stores and logs "
                   "(default: bench/out/query-<corpus stem>)")
    p.add_argument("--out", type=Path, help="result JSON (default: print only)")
    p.add_argument("--targets", default="kg,oxigraph,rdflib,kg-remote")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--tp-runs", type=int, default=3)
    p.add_argument("--tp-requests", type=int, default=200)
    p.add_argument("--tp-seconds", type=float, default=15)
    p.add_argument("--timeout", type=float, default=60, help="per request, seconds")
    p.add_argument("--slow-timeout", type=float, default=120,
                   help="per request for rdflib-endpoint, seconds")
    p.add_argument("--no-api", action="store_true", help="leave the JSON API out")
    p.add_argument("--no-slow-warmup", action="store_true",
                   help="no warm-up round for rdflib-endpoint (its queries take seconds)")
    p.add_argument("--api-rounds", type=int, default=5, help="latency rounds for the API")
    p.add_argument("--api-timeout", type=float, default=60, help="per API request, seconds")
    p.add_argument("--api-throughput", action="store_true",
                   help="also measure the API mix's throughput")
    p.add_argument("--slow-rounds", type=int, default=3,
                   help="latency rounds for rdflib-endpoint (it is slow)")
    p.add_argument("--rdflib-url", help="an rdflib-endpoint already serving this corpus "
                   "(its load takes minutes at 1M)")
    p.add_argument("--rdflib-pid", type=int, help="its process id (for its memory)")
    p.add_argument("--slow-factor", type=float, default=2,
                   help="rdflib-endpoint's throughput phases may run this many times longer")
    args = p.parse_args(argv)
    args.work = args.work or HERE / "out" / f"query-{args.corpus.stem}"
    result = run(args)
    text = table(result)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1) + "\n")
        args.out.with_suffix(".md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
