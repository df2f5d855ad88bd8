"""The ``kg`` command: build, ingest, extract, validate, query, export, serve and more.

Arguments are parsed here and handed to the modules; a KGError raised anywhere becomes a
one-line message on stderr and its exit code (1: does not conform, 2: bad input, 3: store or
remote failure). No traceback for errors the user can fix.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from pathlib import Path

from . import __version__
from .errors import KGError, ShapeViolation
from .formats import RDFFormat


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, metavar="PATH",
                   help="folder of the embedded store (default: $KG_STORE or ./data/store)")
    p.add_argument("--backend", choices=("oxigraph", "sparql"), default="oxigraph",
                   help="oxigraph: the embedded store; sparql: a SPARQL 1.1 store over HTTP")
    p.add_argument("--query-endpoint", metavar="URL", help="with --backend sparql")
    p.add_argument("--update-endpoint", metavar="URL", help="with --backend sparql")


def _open_store(args: argparse.Namespace, *, read_only: bool = False):
    from .store import open_store

    if args.backend == "sparql":
        if not args.query_endpoint or not args.update_endpoint:
            raise KGError("--backend sparql needs --query-endpoint URL and --update-endpoint URL")
        return open_store(backend="sparql", query_endpoint=args.query_endpoint,
                          update_endpoint=args.update_endpoint)
    return open_store(args.store, read_only=read_only)


def _article_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("article", type=Path, metavar="ARTICLE.txt")
    p.add_argument("--meta", type=Path, metavar="META.json",
                   help="metadata: title, outlet, author, published, url "
                        "(default: ARTICLE.json beside the article, if any)")


def _extractor_args(p: argparse.ArgumentParser, *, each: bool = False) -> None:
    p.add_argument("--extractor", choices=("rules", "llm", "both") + (("each",) if each else ()), default="rules",
                   help="rules: the parsed rule pipeline (default); llm: a language model's proposals "
                        "that pass the grounding gate; both: the two merged (a fact both find is one claim)"
                        + ("; each: the three in turn, the model asked once per article" if each else ""))
    p.add_argument("--llm-endpoint", metavar="URL",
                   help="an OpenAI-compatible server (llama.cpp, Ollama, vLLM ...), e.g. "
                        "http://127.0.0.1:8080 (default: $KG_LLM_ENDPOINT); the API key, if any, is "
                        "read from $KG_LLM_API_KEY only")
    p.add_argument("--llm-model", metavar="NAME", help="the model's name on that server (default: $KG_LLM_MODEL)")
    p.add_argument("--llm-timeout", type=float, metavar="S",
                   help="seconds to connect and between bytes of an answer (default: $KG_LLM_TIMEOUT or 120)")
    p.add_argument("--llm-retries", type=int, metavar="N",
                   help="further attempts after a timeout, a refused connection, 429 or 5xx "
                        "(default: $KG_LLM_RETRIES or 2)")
    p.add_argument("--llm-concurrency", type=int, metavar="N",
                   help="requests in flight at once (default: $KG_LLM_CONCURRENCY or 2)")


def _llm_client(args: argparse.Namespace):
    """The chat client the extractor option asks for, or None for the rules alone; the model
    endpoint is contacted only when ``--extractor llm`` or ``both`` is given."""
    if args.extractor == "rules":
        return None
    from .extraction.chat import ChatClient, ChatSettings

    _report_refusals()
    return ChatClient(ChatSettings.from_env(
        endpoint=args.llm_endpoint, model=args.llm_model, timeout=args.llm_timeout,
        retries=args.llm_retries, concurrency=args.llm_concurrency))


def _report_refusals() -> None:
    """Show on stderr, per article, how many proposed records the gate accepted and refused
    and why, the model claims the shapes refused, and the endpoint's retries."""
    for name in ("graph_service.extraction.llm", "graph_service.extraction.chat", "graph_service.pipeline"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _Stderr) for h in logger.handlers):
            logger.addHandler(_Stderr())
        logger.setLevel(logging.INFO)


class _Stderr(logging.Handler):
    """Log lines as "kg: ..." on whatever stderr is when they are written."""

    def emit(self, record) -> None:
        print(f"kg: {record.getMessage()}", file=sys.stderr)


def cmd_build(args) -> int:
    from .pipeline import build
    from .resources import SEEDS_DIR

    client = _llm_client(args)
    with _open_store(args) as store:
        report = build(store, args.seeds or SEEDS_DIR, extractor=args.extractor, client=client)
    if report.outdated is not None:
        print(report.outdated.message())
    print(f"articles {report.articles}  claims {report.claims}  "
          f"triples {report.triples}  graphs {report.graphs}")
    for kind, n in sorted(report.by_type.items()):
        print(f"  {kind:<12}{n:>5}")
    print("validation: conforms")
    return 0


def cmd_ingest(args) -> int:
    from .errors import InputError
    from .ingest import inputs
    from .ingest.progress import reporter
    from .ingest.run import run

    pending = inputs.pending(args.inputs, feeds=args.feed or [], meta_path=args.meta,
                             fetch=inputs.fetch_options(args))
    if not pending:
        raise InputError("no articles in the inputs: the folders hold no .txt, .html, .htm, "
                         ".xml, .rss or .atom file, or the feeds have no items")
    progress = reporter(many=len(pending) > 1)
    client = _llm_client(args)
    with _open_store(args) as store:
        report = run(store, pending, progress=progress, relink=not args.no_events,
                     extractor=args.extractor, client=client)
    return 2 if report.failures else 0


def cmd_extract(args) -> int:
    from .articles import load_article
    from .extraction import extract
    from .extraction import extract_many
    from .pipeline import anchored, marked, readable

    article = marked(load_article(args.article, meta_path=args.meta))
    client = _llm_client(args)
    if args.explain:
        return _explain(article, client)
    if args.extractor == "rules":
        claims = anchored(article, extract(readable(article)))
    else:  # what would be stored: a model claim the shapes refuse is left out
        from .pipeline import admitted

        claims = admitted(article, extract_many([readable(article)], extractor=args.extractor,
                                                client=client)[0])
    if args.format == "facts":
        records = [c.fact_record(article_id=article.id) for c in claims]
        print(json.dumps(records, indent=1, ensure_ascii=False))
        return 0
    from .rdfize import article_graph

    graph = article_graph(article, claims)
    if args.format == "turtle":
        sys.stdout.write(graph.serialize(format="turtle"))
    else:
        import rdflib

        ds = rdflib.Dataset()
        named = ds.graph(rdflib.URIRef(article.graph))
        for triple in graph:
            named.add(triple)
        sys.stdout.write(ds.serialize(format="trig"))
    return 0


def _explain(article, client) -> int:
    """Every record the model proposed, with the gate's verdict (JSON on stdout), and the
    counts of accepted and refused records (stderr)."""
    from .errors import InputError
    from .extraction.grounding import SHAPES
    from .extraction.llm import read_many
    from .pipeline import readable, shape_problem

    if client is None:
        raise InputError("--explain shows the model's proposals: give --extractor llm or both")
    reading = read_many([readable(article)], client)[0]
    for verdict in reading.verdicts:  # the gate's last check: type and roles against the shapes
        problem = shape_problem(article, verdict.claim) if verdict.claim is not None else None
        if problem is not None:
            verdict.claim, verdict.reason, verdict.detail = None, SHAPES, problem
    print(json.dumps([v.as_dict(article.id) for v in reading.verdicts], indent=1, ensure_ascii=False))
    refused = reading.refusals()
    print(f"proposed {len(reading.verdicts)}  accepted {len(reading.verdicts) - sum(refused.values())}  "
          f"refused {sum(refused.values())}" + "".join(f"\n  {n:>4}  {reason}" for reason, n in
                                                      refused.most_common()), file=sys.stderr)
    return 0


def cmd_validate(args) -> int:
    from .pipeline import validation_context
    from .rdfio import load_graph
    from .validation.shapes import validate

    fmt = RDFFormat.from_name(args.format) if args.format else None
    graph = load_graph(args.file, fmt)
    report = validate(graph, extra=validation_context())
    if report.conforms:
        print(f"{args.file}: conforms ({len(graph)} triples)")
        return 0
    print(f"{args.file}: does not conform: {len(report.violations)} violation(s)")
    for v in report.violations:
        print(f"- focus {v.get('focus')}  path {v.get('path')}  shape {v.get('shape')}\n"
              f"  {v.get('severity', 'Violation')}: {v.get('message')}"
              + (f" (value {v['value']})" if v.get("value") else ""))
    return 1


def cmd_query(args) -> int:
    from .query_output import print_results

    if args.file:
        from .rdfio import read_bytes

        text = read_bytes(args.file).decode("utf-8")
    elif args.sparql:
        text = args.sparql
    else:
        raise KGError("give a query as an argument or with --file Q.rq")
    with _open_store(args, read_only=False) as store:
        print_results(store.query(text), fmt=args.format, out=sys.stdout)
    return 0


def cmd_export(args) -> int:
    with _open_store(args) as store:
        if args.format == "wikidata":
            from .linking.wikibase_export import export_wikibase

            for statement in export_wikibase(store):
                sys.stdout.write(json.dumps(statement, ensure_ascii=False) + "\n")
            return 0
        data = store.export(RDFFormat.from_name(args.format))
    sys.stdout.buffer.write(data)
    return 0


def cmd_stats(args) -> int:
    from .stats import stats

    with _open_store(args) as store:
        for key, value in stats(store).items():
            print(f"{key:<24}{value:>10}")
    return 0


def cmd_serve(args) -> int:
    from .web import create_app
    from .web.server import DEFAULT_THREADS, serve

    store = _open_store(args)
    app = create_app(store=store)
    # The JSON API pages from the claim index: build it while the server starts, so that
    # SPARQL is answered at once and the first API request does not pay for the build.
    threading.Thread(target=app.extensions["kg_claim_index"].views, name="kg-claim-index",
                     daemon=True).start()
    serve(app, host=args.host, port=args.port, threads=args.threads or DEFAULT_THREADS)
    return 0


def cmd_eval(args) -> int:
    from .errors import InputError
    from .evaluation import run_eval

    options = {"pred_dir": args.pred, "as_json": args.json, "show_misses": args.show_misses,
               "min_f1": args.min_f1, "extractor": args.extractor, "client": _llm_client(args)}
    if args.gold is None and args.articles is None:
        splits = [args.split] if args.split else None  # None: each split that is there
        return run_eval(corpus=args.corpus or Path("tests/corpus"), splits=splits, **options)
    if args.gold is None or args.articles is None:
        raise InputError("--gold DIR and --articles DIR go together")
    if args.corpus is not None or args.split is not None:
        raise InputError("--corpus and --split score a corpus; --gold and --articles one folder pair")
    return run_eval(args.gold, args.articles, **options)


def cmd_link(args) -> int:
    from .linking import wikidata

    with _open_store(args) as store:
        if args.review:
            for row in wikidata.review(store):
                print(json.dumps(row, ensure_ascii=False))
            return 0
        kwargs = {"endpoint": args.endpoint} if args.endpoint else {}
        result = wikidata.link(store, **kwargs)
    print(result)
    return 0


def cmd_submit(args) -> int:
    from .client import submit_file

    return submit_file(args.file, url=args.url, token=args.token)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0])
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="build the graph from the seed articles, validate, print counts")
    p.add_argument("--seeds", type=Path, metavar="DIR", help="folder of *.txt articles (+ *.json)")
    _extractor_args(p)
    _store_args(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("ingest", help="add articles from text files, saved pages, feeds and URLs",
                       description="Add articles (each replaces its earlier version, if any): "
                                   ".txt (with ARTICLE.json beside it), .html/.htm saved pages, "
                                   ".xml/.rss/.atom feeds, folders of them, and http(s) URLs. "
                                   "A bad input is reported by name and skipped, the others are "
                                   "stored (exit 2 if any failed); articles already in the store "
                                   "are skipped, so an interrupted run can be run again.")
    p.add_argument("inputs", nargs="*", metavar="PATH|URL",
                   help="files, folders, or http:// and https:// URLs of pages")
    p.add_argument("--feed", action="append", metavar="URL",
                   help="fetch an RSS or Atom feed and every item in it (repeatable)")
    p.add_argument("--meta", type=Path, metavar="META.json",
                   help="metadata of a single article (default: ARTICLE.json beside each, if any)")
    _extractor_args(p)
    p.add_argument("--no-events", action="store_true",
                   help="skip recomputing the copies and the cross-article event clusters (do "
                        "it with a later ingest or kg build)")
    p.add_argument("--pages", type=Path, metavar="DIR",
                   help="where fetched pages and feeds are kept (default: $KG_PAGES or "
                        "./data/pages)")
    p.add_argument("--timeout", type=float, default=20.0, metavar="S",
                   help="seconds to connect and between bytes of a response (default 20)")
    p.add_argument("--max-bytes", type=int, default=5_000_000, metavar="N",
                   help="largest page or feed fetched, in bytes (default 5000000)")
    p.add_argument("--delay", type=float, default=1.0, metavar="S",
                   help="seconds between two requests to one host (default 1; robots.txt's "
                        "Crawl-delay wins when longer)")
    _store_args(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("extract", help="print what an article yields, without touching a store")
    _article_args(p)
    p.add_argument("--format", choices=("facts", "turtle", "trig"), default="facts")
    _extractor_args(p)
    p.add_argument("--explain", action="store_true",
                   help="with --extractor llm or both: print each record the model proposed with the "
                        "grounding gate's verdict (accepted, or refused and why)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("validate", help="SHACL-check an RDF file against the shapes and ontology")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", help="RDF format (default: from the file extension)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run a SPARQL query on the store")
    p.add_argument("sparql", nargs="?", metavar="SPARQL")
    p.add_argument("--file", type=Path, metavar="Q.rq")
    p.add_argument("--format", choices=("table", "json", "csv", "tsv", "xml"), default="table")
    _store_args(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="write the whole dataset")
    p.add_argument("--format", choices=("nquads", "trig", "wikidata"), default="nquads")
    _store_args(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="counts of what the graph holds")
    _store_args(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", help="serve the graph over HTTP (SPARQL, JSON API, pages)")
    _store_args(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=None,
                   help="request threads (default 16; the queries evaluated at once are "
                        "bounded separately by KG_QUERY_SLOTS)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="score extraction against gold fact records",
                       description="Extract and score against gold fact records: both splits "
                                   "of the corpus (dev, test) by default, or one folder pair "
                                   "with --gold and --articles.")
    p.add_argument("--corpus", type=Path, metavar="DIR",
                   help="corpus folder with dev/ and test/, each with articles/ and gold/ "
                        "(default: tests/corpus)")
    p.add_argument("--split", choices=("dev", "test"), help="score one split (default: both)")
    p.add_argument("--gold", type=Path, metavar="DIR", help="gold fact records (with --articles)")
    p.add_argument("--articles", type=Path, metavar="DIR", help="the articles (with --gold)")
    p.add_argument("--pred", type=Path, metavar="DIR",
                   help="keep the predicted fact records here (with splits: DIR/<split>/)")
    p.add_argument("--json", action="store_true",
                   help="print the figures as JSON (with splits: an object keyed by split)")
    p.add_argument("--show-misses", action="store_true", help="list missed, wrong and extra facts")
    p.add_argument("--min-f1", type=float, metavar="X",
                   help="exit 1 if the strict F1 (of any split scored) is below X")
    _extractor_args(p, each=True)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("link", help="link entities to Wikidata")
    p.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint (default: Wikidata's)")
    p.add_argument("--review", action="store_true", help="list candidates kept for review")
    _store_args(p)
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("submit", help="send an RDF file or fact records to a running service")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--url", required=True, metavar="URL", help="the service's base URL")
    p.add_argument("--token", required=True, metavar="T", help="the service's write token")
    p.set_defaults(func=cmd_submit)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ShapeViolation as err:
        print(f"kg {args.command}: {err}", file=sys.stderr)
        if err.report_text:
            print(err.report_text, file=sys.stderr)
        else:
            for v in err.violations:
                print(f"- focus {v.get('focus')}  path {v.get('path')}  shape {v.get('shape')}: "
                      f"{v.get('message')}", file=sys.stderr)
        return err.exit_code
    except KGError as err:
        print(f"kg {args.command}: {err}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
