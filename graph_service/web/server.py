"""Serving the app with waitress, a production WSGI server (not Flask's development server).

Waitress answers each request on one of ``threads`` worker threads; a slow query holds one of
them while Oxigraph evaluates it (with the GIL released), so the others keep serving.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask
from waitress.server import create_server

log = logging.getLogger(__name__)

# Request threads: 16 served 16 keep-alive clients 15-25 % faster than 8 on 2 cores (requests
# wait on the store or the network, not on Python); query evaluation is bounded separately
# by KG_QUERY_SLOTS.
DEFAULT_THREADS = 16


def make_server(app: Flask, *, host: str = "127.0.0.1", port: int = 8000, threads: int = DEFAULT_THREADS):
    """A bound, not yet running waitress server (port 0 picks a free port: ``.effective_port``).

    Request bodies are capped by the app (``MAX_BODY``); waitress gets the same cap so that it
    stops reading an oversized upload early.
    """
    return create_server(app, host=host, port=port, threads=threads,
                         max_request_body_size=int(app.config["MAX_CONTENT_LENGTH"]) + 65536,
                         ident="kg")


def serve(app: Flask, *, host: str = "127.0.0.1", port: int = 8000, threads: int = DEFAULT_THREADS) -> None:
    """Serve until interrupted."""
    server = make_server(app, host=host, port=port, threads=threads)
    log.info("serving on http://%s:%s/ (SPARQL at /sparql, graph store at /store)",
             host, server.effective_port)
    print(f"serving on http://{host}:{server.effective_port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def stop(server, thread: threading.Thread | None = None, *, timeout: float = 5.0) -> None:
    """Stop a server that runs in another thread.

    The sockets are closed from inside the server's own loop (through its trigger), so the
    loop never waits on a socket that another thread has closed; then its workers stop.
    """
    server.trigger.pull_trigger(server.close)
    if thread is not None:
        thread.join(timeout=timeout)
    server.task_dispatcher.shutdown()
