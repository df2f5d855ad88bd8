"""A Flask app served by the production WSGI server (waitress) on a free loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from graph_service.web.server import make_server, stop


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` for as long as the block runs; gives its base URL."""
    server = make_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop(server, thread)
