"""Time to validate a 1,000-triple submission against stores of 100k and 1M triples.

The stores are synthetic but shaped like the real graph: articles with text and metadata and
their claims, built by ``rdfize.article_graph`` from generated ``Claim`` objects, plus the
ontology, entities and shapes graphs. The submission is a set of new claims about one stored
article, as Turtle.

Two figures per store size:

* ``submission``: ``submissions.validate_submission`` (the service's path: the submission with
  its neighbourhood fetched by one bounded CONSTRUCT, the shapes, the graph checks);
* ``full_graph``: ``shapes.validate`` (pySHACL + the SHACL-SPARQL constraints) over the whole
  store plus the submission, run in a child process with a time limit, because on 1M triples it
  may not finish in reasonable time; a run that hits the limit is reported as such.

Usage: ``python bench/bench_validation.py [--sizes 100000 1000000] [--full-limit 900]
[--out bench/results/validation.json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import rdflib

from graph_service import iris, rdfize, resources
from graph_service.validation import submissions
from graph_service.articles import Article
from graph_service.claims import Claim, Entity, Quantity, TimeSpec
from graph_service.formats import RDFFormat
from graph_service.rdfio import load_graph
from graph_service.validation.shapes import load_shapes
from graph_service.store import OxigraphStore

RESULTS = Path(__file__).with_name("results") / "validation.json"
SUBMISSION_TRIPLES = 1_000
RUNS = 5
CLAIMS_PER_ARTICLE = 10
TARGET_SENTENCES = 80  # the article the submission cites is long enough to quote 30+ times

ACTORS = [("North Korea", "State"), ("Russia", "State")]
TARGETS = [("Russia", "State"), ("Kursk Oblast", "Region"), ("North Korea", "State")]
SENTENCE = ("Report {n}: {actor} sent {q} {item} to {target} in {month}, officials said. ")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]


def _entity(label: str, kind: str) -> Entity:
    return Entity(label=label, kind=kind, iri=iris.entity_iri(label))


def synthetic_article(k: int, claims: int = CLAIMS_PER_ARTICLE) -> tuple[Article, list[Claim]]:
    """Article ``k``: ``claims`` sentences, one claim quoting each at its offsets."""
    text, out = f"Synthetic report {k} on military cooperation.\n\n", []
    for n in range(claims):
        actor, target = ACTORS[n % 2], TARGETS[(k + n) % 3]
        if actor == target:
            target = TARGETS[(k + n + 1) % 3]
        q = 100 + (k * 7 + n * 13) % 9000
        sentence = SENTENCE.format(n=n, actor=actor[0], q=q, item="artillery shells",
                                   target=target[0], month=MONTHS[(k + n) % 8])
        start = len(text)
        text += sentence
        quote = sentence.split(",")[0]
        out.append(Claim(
            type="transfer" if n % 2 else "deployment", actor=_entity(*actor),
            target=_entity(*target), item=f"lot {k}-{n}", quote=quote, start=start,
            end=start + len(quote), status="reported",
            quantity=Quantity(text=str(q), qualifier="exact", value=q),
            event_time=TimeSpec(text=MONTHS[(k + n) % 8], normalized=f"2024-{(k + n) % 8 + 1:02d}",
                                earliest=dt.date(2024, (k + n) % 8 + 1, 1),
                                latest=dt.date(2024, (k + n) % 8 + 1, 28)),
            claimed_by=_entity("South Korea", "State") if n % 3 == 0 else None))
    article = Article(text=text, title=f"Synthetic report {k}", outlet="Yonhap",
                      published=dt.date(2024, 9, 1) + dt.timedelta(days=k % 300),
                      published_precision="day", language="en")
    return article, out


def reference_graphs() -> dict[str, rdflib.Graph]:
    return {iris.ONTOLOGY_GRAPH: load_graph(resources.ONTOLOGY_FILE),
            iris.ENTITIES_GRAPH: load_graph(resources.ENTITIES_FILE),
            iris.SHAPES_GRAPH: load_shapes()}


def build_store(path: Path, target: int) -> tuple[OxigraphStore, Article, int]:
    """A store of about ``target`` triples; returns it, the first article, and the real count."""
    store = OxigraphStore(path)
    store.replace_graphs(reference_graphs())
    count, k, first = store.count(), 0, None
    chunk: list[str] = []
    while count < target:
        article, claims = synthetic_article(k, TARGET_SENTENCES if k == 0 else CLAIMS_PER_ARTICLE)
        g = rdfize.article_graph(article, claims)
        first = first or article
        count += len(g)
        chunk.append(g.serialize(format="nt").replace(" .\n", f" <{article.graph}> .\n"))
        k += 1
        if len(chunk) >= 200:
            store.bulk_load("".join(chunk).encode("utf-8"), RDFFormat.NQUADS)
            chunk = []
    if chunk:
        store.bulk_load("".join(chunk).encode("utf-8"), RDFFormat.NQUADS)
    store.oxigraph.optimize()
    return store, first, store.count()


def submission_body(article: Article) -> tuple[bytes, int]:
    """New claims about a stored article, about SUBMISSION_TRIPLES triples, as Turtle."""
    _, sentences = synthetic_article(0, TARGET_SENTENCES)
    n = 1
    while True:
        claims = [Claim(**{**c.__dict__, "item": f"submitted {c.item}"}) for c in sentences[:n]]
        g = rdfize.article_graph(article, claims)
        g.remove((rdflib.URIRef(article.iri), None, None))
        g.remove((rdflib.URIRef(iris.entity_iri("Yonhap")), None, None))
        if len(g) >= SUBMISSION_TRIPLES or n >= TARGET_SENTENCES:
            return g.serialize(format="turtle").encode("utf-8"), len(g)
        n += 1


def time_submission(store: OxigraphStore, body: bytes) -> dict:
    report = submissions.validate_submission(store, body, "text/turtle")  # warm-up
    if not report.conforms:
        raise SystemExit("the benchmark submission does not conform:\n" + report.text[:3000])
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        submissions.validate_submission(store, body, "text/turtle")
        times.append(time.perf_counter() - t)
    sub = submissions.read_submission(store, body, "text/turtle")
    return {"median_s": round(statistics.median(times), 4), "runs_s": [round(x, 4) for x in times],
            "neighbourhood_triples": len(submissions.neighbourhood(store, sub.graph))}


FULL_CHILD = r"""
import sys, time, json, rdflib
from graph_service.validation.shapes import validate
t = time.perf_counter()
g = rdflib.Graph()
g.parse(sys.argv[1], format="nt")
g.parse(sys.argv[2], format="turtle")
parsed = time.perf_counter() - t
t = time.perf_counter()
report = validate(g)
print(json.dumps({"parse_s": round(parsed, 2), "validate_s": round(time.perf_counter() - t, 2),
                  "triples": len(g), "conforms": report.conforms,
                  "violations": len(report.violations)}))
"""


def time_full(store: OxigraphStore, body: bytes, workdir: Path, limit: float) -> dict:
    """shapes.validate over the whole store plus the submission, in a child process, bounded."""
    data = workdir / "all.nt"
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                          f"FILTER(?g != <{iris.SHAPES_GRAPH}>) }}")
    import pyoxigraph as ox
    data.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    sub = workdir / "submission.ttl"
    sub.write_bytes(body)
    t = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-c", FULL_CHILD, str(data), str(sub)],
                             capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return {"finished": False, "limit_s": limit,
                "note": f"did not finish within {limit:.0f} s (parse + validate)"}
    except subprocess.CalledProcessError as err:
        return {"finished": False, "error": err.stderr[-2000:]}
    return {"finished": True, "wall_s": round(time.perf_counter() - t, 2), **json.loads(out.stdout)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--full-limit", type=float, default=900.0,
                    help="seconds allowed for each full-graph pySHACL run")
    ap.add_argument("--full-sizes", type=int, nargs="*", default=None,
                    help="store sizes to run the full-graph validation on (default: all)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the results")
    args = ap.parse_args(argv)
    results = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "machine": {"python": platform.python_version(), "platform": platform.platform(),
                           "processor": platform.processor() or platform.machine()},
               "runs": RUNS, "stores": []}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            store, article, count = build_store(Path(tmp) / "store", size)
            built = time.perf_counter() - t
            body, n = submission_body(article)
            results["submission_triples"] = n
            row = {"target_triples": size, "store_triples": count, "build_s": round(built, 1),
                   "submission": time_submission(store, body)}
            print(f"{count:,} triples: submission validated in "
                  f"{row['submission']['median_s']:.3f} s (median of {RUNS})", flush=True)
            if args.full_sizes is None or size in args.full_sizes:
                row["full_graph"] = time_full(store, body, Path(tmp), args.full_limit)
                print(f"{count:,} triples: full graph: {row['full_graph']}", flush=True)
            store.close()
            results["stores"].append(row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
