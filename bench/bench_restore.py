"""Restoring the claim index from the read models saved beside a store, in process.

    python bench/bench_restore.py --store bench/out/query-corpus-1m/kg-store --replicate 10

Reads ``<store>/read-models/claim-index`` (saved by a run of ``kg serve`` on the store, e.g.
bench_build.py's cold start) and times what a restart does with it: read and check the file,
make the rows and views (``snapshot.load_index``), and hand them to the index
(``ClaimIndex._install``), with the collector paused as at a restart. ``--replicate K``
first writes, to a scratch folder, the same rows K times over under other IRIs (claims,
articles, graphs and entities get a suffix; dates, types and statuses are kept): a file of
the size a store K times larger saves, without building that store. Wall and CPU seconds,
best and median of ``--runs``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import statistics
import tempfile
import time
from pathlib import Path

from graph_service.store import claim_index, snapshot
from graph_service.store.claim_index import ArticleRow, ClaimIndex, ClaimRow, EntityRow

KEPT = {"type", "status", "reported_on", "earliest", "latest", "start", "reported",
        "extractors", "headline", "published", "publisher", "author", "first_line", "label",
        "labels", "kinds", "wikidata"}


def saved_rows(folder: Path):
    path = folder / snapshot.INDEX_FILE
    data = path.read_bytes()
    header = json.loads(data[len(snapshot.MAGIC):data.find(b"\n", len(snapshot.MAGIC))])
    _, sections = snapshot._read(path, header["revision"])
    rows = snapshot._Rows(sections)
    return (rows.rows("claims", snapshot.CLAIM_FIELDS, ClaimRow),
            rows.rows("articles", snapshot.ARTICLE_FIELDS, ArticleRow),
            rows.rows("entities", snapshot.ENTITY_FIELDS, EntityRow),
            rows._str("articles.graph"))


def replicate(folder: Path, k: int, out: Path) -> None:
    claims, articles, entities, graphs = saved_rows(folder)

    def renamed(value, i):
        if isinstance(value, tuple):
            return tuple(renamed(v, i) for v in value)
        return f"{value}-{i}" if isinstance(value, str) else value

    def copy(row, i):
        return type(row)(*[getattr(row, f.name) if f.name in KEPT else
                           renamed(getattr(row, f.name), i) for f in dataclasses.fields(row)])

    index = ClaimIndex.__new__(ClaimIndex)
    index._rows, index._articles, index._article_graph, index._entities = {}, {}, {}, {}
    for i in range(k):
        index._rows.update((r.claim, r) for r in (copy(r, i) for r in claims))
        for a, g in zip(articles, graphs):
            a = copy(a, i)
            index._articles[a.article], index._article_graph[a.article] = a, f"{g}-{i}"
        index._entities.update((e.iri, e) for e in (copy(e, i) for e in entities))
    views = index._derive()
    state = claim_index.State(claims=list(index._rows.values()),
                              articles=list(index._articles.values()),
                              article_graphs=list(index._article_graph.values()),
                              entities=list(index._entities.values()), views=views)
    snapshot.save_index(out, state, "bench", graphs=[])


def restore(folder: Path, token: str) -> tuple[float, float, int]:
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        state = snapshot.load_index(folder, token, graphs=[])
        index = ClaimIndex.__new__(ClaimIndex)
        index._dirty, index.restores = set(), 0
        assert index._install(state)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return wall, cpu, len(state.claims)
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--replicate", type=int, default=1)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-restore-") as tmp:
        folder = Path(tmp)
        replicate(args.store / "read-models", args.replicate, folder)
        size = (folder / snapshot.INDEX_FILE).stat().st_size
        got = [restore(folder, "bench") for _ in range(args.runs)]
    result = {"store": str(args.store), "replicate": args.replicate, "rows": got[0][2],
              "file_bytes": size, "format": snapshot.FORMAT,
              "wall_seconds": {"best": round(min(w for w, _, _ in got), 3),
                               "median": round(statistics.median(w for w, _, _ in got), 3)},
              "cpu_seconds": {"best": round(min(c for _, c, _ in got), 3),
                              "median": round(statistics.median(c for _, c, _ in got), 3)}}
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
