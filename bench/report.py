"""Render bench/results/*.json as the Markdown tables of bench/README.md.

    python bench/report.py > bench/out/tables.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_query import table  # noqa: E402

RESULTS = HERE / "results"


def load(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def targets_check(q1m: dict | None, q10m: dict | None, build10m: dict | None,
                  q100k: dict | None = None, q1m_rdflib: dict | None = None) -> list[str]:
    rows = ["| target | measured | met? |", "|---|---|---|"]
    for size, q in (("100k", q100k), ("1M", q1m_rdflib)):
        if not q or "rdflib" not in q["targets"]:
            continue
        T = q["targets"]
        for c in ("1", "4", "16"):
            kg, rd = (T[n]["throughput"]["sparql"][c]["rps"] for n in ("kg", "rdflib"))
            if rd:
                x, said = kg / rd, f"{kg / rd:.0f}x"
            else:   # none completed in the phase: at most one request per phase
                phase = max(r["seconds"] for r in T["rdflib"]["throughput"]["sparql"][c]["runs"])
                x = kg * phase
                said = f"> {x:.0f}x (rdflib-endpoint completed no request in {phase:.0f} s)"
            rows.append(f"| kg >= 20 x rdflib-endpoint throughput (at {size}), {c} clients | "
                        f"{said} | {'yes' if x >= 20 else 'no'} |")
    if q1m:
        T = q1m["targets"]
        for c in ("1", "4", "16"):
            r = T.get("kg", {}).get("ratio_to_oxigraph", {}).get("throughput", {}).get(c)
            if r is not None:
                rows.append(f"| kg >= 0.8 x oxigraph throughput, mix at 1M, {c} clients | "
                            f"{r:.2f} | {'yes' if r >= 0.8 else 'no'} |")
            if "rdflib" in T:
                kg = T["kg"]["throughput"]["sparql"][c]["rps"]
                rd = T["rdflib"]["throughput"]["sparql"][c]["rps"]
                x = kg / rd if rd else float("inf")
                rows.append(f"| kg >= 20 x rdflib-endpoint throughput at 1M, {c} clients | "
                            f"{x:.1f}x | {'yes' if x >= 20 else 'no'} |")
        api = {k: v for k, v in T.get("kg", {}).get("latency_ms", {}).items()
               if k.startswith("api_") or k == "health"}
        for k, v in api.items():
            rows.append(f"| JSON API median < 50 ms at 1M: {k} | "
                        f"{'timeout/error' if v is None else f'{v:.1f} ms'} | "
                        f"{'yes' if v is not None and v < 50 else 'no'} |")
    if q10m:
        lat = q10m["targets"].get("kg", {}).get("latency_ms", {})
        for k, v in lat.items():
            rows.append(f"| no query > 1 s at 10M: {k} | "
                        f"{'timeout/error' if v is None else f'{v:.0f} ms'} | "
                        f"{'yes' if v is not None and v < 1000 else 'no'} |")
    if build10m and "restart" in build10m:
        r = build10m["restart"]["kg"]["ready_seconds"]
        rows.append(f"| restart ready < 5 s at 10M | {r} s | {'yes' if r < 5 else 'no'} |")
    return rows


def main() -> int:
    out: list[str] = []
    for size in ("100k", "1m", "1m-rdflib", "10m", "10m-run2"):
        q = load(f"query-{size}.json")
        if q:
            title = size.upper().replace("-RDFLIB", ", with rdflib-endpoint").replace(
                "-RUN2", ", second run")
            out += [f"### Query mix at {title}", "", table(q), ""]
    for size in ("100k", "1m", "10m"):
        b = load(f"build-{size}.json")
        if b:
            out += [f"### Build and restart at {size.upper()}", "", "```json",
                    json.dumps(b, indent=1), "```", ""]
    for name in ("restart-10m.json", "extract-1000.json", "ingest-200.json"):
        e = load(name)
        if e:
            out += [f"### {name}", "", "```json", json.dumps(e, indent=1), "```", ""]
    # restart-10m.json: restarts measured again on the built store (bench_build --no-bulk)
    restarts = load("restart-10m.json") or load("build-10m.json")
    out += ["### Targets", ""] + targets_check(load("query-1m.json"), load("query-10m.json"),
                                                restarts, load("query-100k.json"),
                                                load("query-1m-rdflib.json"))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
