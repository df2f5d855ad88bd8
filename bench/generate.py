"""Write a synthetic corpus: N-Quads at a target size, or article texts for the ingest benchmark.

    python bench/generate.py corpus --triples 1M --out bench/out/corpus-1m.nq
    python bench/generate.py texts --articles 1000 --out bench/out/articles

``corpus`` runs every synthetic article through the real ``rdfize.article_graph`` (the shape
the loaders write), one named graph per article, plus the reference graphs (ontology, entities,
shapes) and an events graph linking claims that report the same underlying event. Articles
are rendered in parallel worker processes; a 10M-triple corpus takes minutes.
``texts`` writes ``<stem>.txt`` + ``<stem>.json`` pairs, as ``kg build`` reads them.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

from graph_service import iris  # noqa: E402

BATCH = 64  # articles per worker task
CLAIMS_PER_EVENT = 4  # how many reports an underlying event gets, on average


def parse_size(text: str) -> int:
    """``100k``, ``1M``, ``10m``, ``5000`` -> an integer."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def reference_nquads() -> str:
    """Ontology, reference entities and shapes, each in its named graph."""
    from graph_service import resources
    from graph_service.rdfio import load_graph
    from graph_service.shapes import load_shapes

    graphs = {iris.ONTOLOGY_GRAPH: load_graph(resources.ONTOLOGY_FILE),
              iris.ENTITIES_GRAPH: load_graph(resources.ENTITIES_FILE),
              iris.SHAPES_GRAPH: load_shapes()}
    return "".join(_in_graph(g.serialize(format="nt"), name) for name, g in graphs.items())


def _in_graph(nt: str, graph: str) -> str:
    # N-Triples escapes newlines inside literals, so " .\n" only ends a statement.
    return nt.replace(" .\n", f" <{graph}> .\n")


_POOL: list = []
_SEED = 0


def _init(seed: int, pool_size: int) -> None:
    global _POOL, _SEED
    _SEED = seed
    _POOL = synthetic.event_pool(random.Random(seed), pool_size)


def _render(batch: range) -> tuple[str, str, int, int]:
    """N-Quads of a batch of articles, their events-graph links, triples and claims."""
    from graph_service.rdfize import article_graph

    out, links, triples, claims = [], [], 0, 0
    for i in batch:
        article, cl, keys = synthetic.make_article_with_events(_SEED, i, _POOL)
        g = article_graph(article, cl)
        triples += len(g)
        claims += len(cl)
        out.append(_in_graph(g.serialize(format="nt"), article.graph))
        for c, k in zip(cl, keys):
            event = iris.event_iri(k.type, k.actor.label, k.target.label if k.target else None,
                                   k.item, k.year, k.month)
            links.append(f"<{c.iri(article.id)}> <{iris.ONTOLOGY}reportsEvent> <{event}> "
                         f"<{iris.EVENTS_GRAPH}> .\n")
    return "".join(out), "".join(links), triples, claims


def write_corpus(out: Path, *, triples: int, seed: int = 7, workers: int = 2) -> dict:
    """Write about ``triples`` triples (a little over) to ``out``; a summary dict."""
    started = time.perf_counter()
    est_articles = max(1, triples // 385)
    pool_size = max(8, est_articles * 8 // CLAIMS_PER_EVENT)
    out.parent.mkdir(parents=True, exist_ok=True)
    total = articles = claims = 0
    with out.open("w", encoding="utf-8") as f:
        ref = reference_nquads()
        f.write(ref)
        total += ref.count("\n")
        links_path = out.with_suffix(".events.tmp")
        with links_path.open("w", encoding="utf-8") as links:
            batches = (range(s, s + BATCH) for s in range(0, 10 * est_articles + BATCH, BATCH))
            ctx = mp.get_context("fork")
            with ctx.Pool(workers, initializer=_init, initargs=(seed, pool_size)) as pool:
                for nq, ln, t, c in pool.imap(_render, batches):
                    f.write(nq)
                    links.write(ln)
                    total += t + ln.count("\n")
                    claims += c
                    articles += BATCH
                    if total >= triples:
                        break
                pool.terminate()
        f.write(links_path.read_text(encoding="utf-8"))
        links_path.unlink()
    summary = {"file": str(out), "triples": total, "articles": articles, "claims": claims,
               "seed": seed, "seconds": round(time.perf_counter() - started, 1),
               "bytes": out.stat().st_size}
    out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def write_texts(folder: Path, *, articles: int, seed: int = 11) -> dict:
    """``articles`` synthetic articles as .txt + .json pairs; a summary dict."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = synthetic.event_pool(random.Random(seed), max(8, articles * 2))
    size = claims = 0
    for i in range(articles):
        article, cl = synthetic.make_article(seed, i, pool)
        stem = folder / article.name
        stem.with_suffix(".txt").write_text(article.text, encoding="utf-8")
        stem.with_suffix(".json").write_text(json.dumps(synthetic.article_meta(article)) + "\n")
        size += len(article.text)
        claims += len(cl)
    return {"folder": str(folder), "articles": articles, "planted_claims": claims,
            "characters": size, "seed": seed}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="what", required=True)
    c = sub.add_parser("corpus", help="N-Quads corpus of about --triples triples")
    c.add_argument("--triples", type=parse_size, required=True, help="e.g. 100k, 1M, 10M")
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--seed", type=int, default=7)
    c.add_argument("--workers", type=int, default=2)
    t = sub.add_parser("texts", help="article texts + metadata for the ingest benchmark")
    t.add_argument("--articles", type=int, default=1000)
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--seed", type=int, default=11)
    args = p.parse_args(argv)
    if args.what == "corpus":
        summary = write_corpus(args.out, triples=args.triples, seed=args.seed,
                               workers=args.workers)
    else:
        summary = write_texts(args.out, articles=args.articles, seed=args.seed)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
