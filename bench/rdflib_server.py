"""rdflib-endpoint over an N-Quads file: what a Python user would otherwise pick.

    python bench/rdflib_server.py corpus.nq --port 8001

Loads the file into ``rdflib.Dataset(default_union=True)`` (the default graph is the union
of the named graphs, as on our service) and serves SPARQL at ``/sparql`` with uvicorn.
"""

from __future__ import annotations

import argparse
import sys
import time

import rdflib
import uvicorn
from rdflib_endpoint import SparqlEndpoint


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    started = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(args.corpus, format="nquads")
    print(f"loaded {len(ds)} triples in {time.perf_counter() - started:.1f} s", file=sys.stderr,
          flush=True)
    app = SparqlEndpoint(graph=ds, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
