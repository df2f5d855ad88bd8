"""Write a synthetic corpus: N-Quads at a target size, or article texts for the ingest benchmark.

    python bench/generate.py corpus --triples 1M --out bench/out/corpus-1m.nq
    python bench/generate.py texts --articles 1000 --out bench/out/articles

``corpus`` runs every synthetic article through the real ``rdfize.article_graph`` (the shape
the loaders write), one named graph per article, plus the reference graphs (ontology, entities,
shapes) and graph/events: one ``kg:EventCluster`` per underlying event, written by the real
``events.add_cluster`` from the claims that report it. Articles
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
    from graph_service.validation.shapes import load_shapes

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


def _render(batch: range) -> tuple[str, list, int, int]:
    """N-Quads of a batch of articles, (event, report) pairs, triples and claims."""
    from graph_service.rdfize import article_graph

    out, reports, triples, claims = [], [], 0, 0
    for i in batch:
        article, cl, keys = synthetic.make_article_with_events(_SEED, i, _POOL)
        g = article_graph(article, cl)
        triples += len(g)
        claims += len(cl)
        out.append(_in_graph(g.serialize(format="nt"), article.graph))
        reports += [(k, _report(article, c)) for c, k in zip(cl, keys)]
    return "".join(out), reports, triples, claims


def _report(article, claim):
    """The claim as ``events.py`` sees it when it clusters reports."""
    from graph_service.events import Report, item_category

    aid = article.id
    q = claim.quantity or next(iter(claim.counts.values()), None)
    t = claim.event_time
    if claim.claimed_by is not None:
        who = claim.claimed_by
        source = (who.affiliation or who).resolved_iri(aid) if who.kind == "AnonymousSource" \
            else who.resolved_iri(aid)
    else:
        source = (claim.via[0].resolved_iri(aid) if claim.via
                  else iris.entity_iri(article.outlet))
    return Report(claim=claim.iri(aid), article=article.iri, type=claim.type,
                  actor=claim.actor.resolved_iri(aid),
                  target=claim.target.resolved_iri(aid) if claim.target else None,
                  category=item_category(claim.item), value=q.value if q else None,
                  lower=q.lower if q else None, upper=q.upper if q else None,
                  earliest=t.earliest if t else None, latest=t.latest if t else None,
                  source=source)


def events_nquads(by_event: dict) -> tuple[str, int]:
    """graph/events in the shape ``events.add_cluster`` writes: one cluster per event."""
    from graph_service.events import add_cluster
    from graph_service.rdfize import new_graph

    labels = {e.iri: e.label for e in synthetic.STATES.values()}
    labels.update({e.iri: e.label for e in synthetic.PLACES + synthetic.PEOPLE})
    g = new_graph()
    for members in by_event.values():
        add_cluster(g, members, labels)
    return _in_graph(g.serialize(format="nt"), iris.EVENTS_GRAPH), len(g)


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
        by_event: dict = {}
        step = max(1, min(BATCH, est_articles // 16))  # small corpora stay small
        batches = (range(s, s + step) for s in range(0, 10 * est_articles + step, step))
        ctx = mp.get_context("fork")
        with ctx.Pool(workers, initializer=_init, initargs=(seed, pool_size)) as pool:
            for nq, reports, t, c in pool.imap(_render, batches):
                f.write(nq)
                for key, report in reports:
                    by_event.setdefault(key, []).append(report)
                total += t
                claims += c
                articles += step
                if total >= triples:
                    break
            pool.terminate()
        events, n = events_nquads(by_event)
        f.write(events)
        total += n
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
