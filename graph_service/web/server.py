"""Serving the app with waitress, a production WSGI server (not Flask's development server).

Waitress answers each request on one of ``threads`` worker threads; a slow query holds one of
them while Oxigraph evaluates it (with the GIL released), so the others keep serving.

Connections are bounded so that slow clients cannot hold them all (configuration key,
environment variable, default):

==================  ======================  ==============================================
CONNECTION_LIMIT    KG_CONNECTION_LIMIT     100 (open connections; waitress stops
                                            accepting above it)
CLIENT_CONNECTIONS  KG_CLIENT_CONNECTIONS   20 (open connections per client address; more
                                            are closed at once)
HEADER_TIMEOUT      KG_HEADER_TIMEOUT       10 (seconds from a request's first byte to the
                                            end of its headers)
READ_TIMEOUT        KG_READ_TIMEOUT         60 (seconds from a request's first byte to the
                                            end of its body)
IDLE_TIMEOUT        KG_IDLE_TIMEOUT         30 (seconds a keep-alive connection may wait
                                            between requests)
==================  ======================  ==============================================

Waitress itself has only the idle timeout; ``GuardedChannel`` adds the others. A connection
past a deadline is closed at the next check (every second). Behind a reverse proxy, every
connection comes from the proxy's address: raise ``KG_CLIENT_CONNECTIONS`` to
``KG_CONNECTION_LIMIT`` and let the proxy bound each client (docs/SECURITY.md).
"""

from __future__ import annotations

import logging
import threading

import time

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import create_server

log = logging.getLogger(__name__)

# Request threads: 16 served 16 keep-alive clients 15-25 % faster than 8 on 2 cores (requests
# wait on the store or the network, not on Python); query evaluation is bounded separately
# by KG_QUERY_SLOTS.
DEFAULT_THREADS = 16


CONNECTION_DEFAULTS = {"CONNECTION_LIMIT": 100, "CLIENT_CONNECTIONS": 20, "HEADER_TIMEOUT": 10.0,
                       "READ_TIMEOUT": 60.0, "IDLE_TIMEOUT": 30.0}


class GuardedChannel(HTTPChannel):
    """A waitress channel with deadlines for reading a request and a cap per client address.

    Waitress closes a channel that has no request in hand and whose ``last_activity`` is older
    than its idle timeout; this channel reports its activity as long past once a request has
    taken longer than ``header_timeout`` to send its headers or ``read_timeout`` to arrive
    whole, so the same check closes it.
    """

    header_timeout = CONNECTION_DEFAULTS["HEADER_TIMEOUT"]
    read_timeout = CONNECTION_DEFAULTS["READ_TIMEOUT"]
    per_client = CONNECTION_DEFAULTS["CLIENT_CONNECTIONS"]
    _last_activity = 0.0

    def __init__(self, server, sock, addr, adj, map=None):
        self._reading_since: float | None = None
        self._counted = False
        super().__init__(server, sock, addr, adj, map)
        clients = server.__dict__.setdefault("kg_clients", {})
        self._client = addr[0] if isinstance(addr, tuple) and addr else addr
        clients[self._client] = clients.get(self._client, 0) + 1
        self._counted = True
        if clients[self._client] > self.per_client:
            log.warning("closing a connection from %s: over %d connections from one client",
                        self._client, self.per_client)
            self.will_close = True

    @property
    def last_activity(self) -> float:
        since = self._reading_since
        if since is not None:
            request = self.request
            waited = time.time() - since
            if waited > self.read_timeout or (
                    waited > self.header_timeout and request is not None
                    and not request.headers_finished):
                return 0.0
        return self._last_activity

    @last_activity.setter
    def last_activity(self, value: float) -> None:
        self._last_activity = value

    def received(self, data):
        if data and self.request is None and not self.will_close:
            self._reading_since = time.time()
        try:
            return super().received(data)
        finally:
            if self.request is None:  # whole requests only, or nothing begun
                self._reading_since = None

    def del_channel(self, map=None):
        if self._counted:
            self._counted = False
            clients = self.server.__dict__.get("kg_clients", {})
            left = clients.get(self._client, 1) - 1
            if left > 0:
                clients[self._client] = left
            else:
                clients.pop(self._client, None)
        super().del_channel(map)


def connection_settings(app: Flask) -> dict:
    """The connection bounds from the app's config, else the environment, else the defaults."""
    import os
    from ..errors import InputError
    out = {}
    for key, default in CONNECTION_DEFAULTS.items():
        raw = app.config.get(key, os.environ.get("KG_" + key))
        if raw is None or str(raw).strip() == "":
            out[key] = default
            continue
        try:
            value = type(default)(raw)
        except ValueError:
            raise InputError(f"KG_{key}={raw!r} is not a number") from None
        if value <= 0:
            raise InputError(f"KG_{key} must be greater than 0, not {raw}")
        out[key] = value
    return out


def make_server(app: Flask, *, host: str = "127.0.0.1", port: int = 8000, threads: int = DEFAULT_THREADS):
    """A bound, not yet running waitress server (port 0 picks a free port: ``.effective_port``).

    Request bodies are capped by the app (``MAX_BODY``); waitress gets the same cap so that it
    stops reading an oversized upload early. Connections are bounded as the module says.
    """
    bounds = connection_settings(app)
    server = create_server(app, host=host, port=port, threads=threads,
                           max_request_body_size=int(app.config["MAX_CONTENT_LENGTH"]) + 65536,
                           ident="kg", connection_limit=bounds["CONNECTION_LIMIT"],
                           channel_timeout=bounds["IDLE_TIMEOUT"], cleanup_interval=1)
    server.channel_class = type("KGChannel", (GuardedChannel,), {
        "header_timeout": bounds["HEADER_TIMEOUT"], "read_timeout": bounds["READ_TIMEOUT"],
        "per_client": bounds["CLIENT_CONNECTIONS"]})
    return server


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
    try:
        server.trigger.pull_trigger(server.close)
    except OSError:
        # the trigger is closed: the server's loop has already ended and closed its sockets
        # (the socket map closes the trigger with them), so there is nothing left to wake
        pass
    if thread is not None:
        thread.join(timeout=timeout)
    server.task_dispatcher.shutdown()
