"""Limits that keep the service up: query time, result rows, request bodies, outbound calls.

Each limit is a config key (environment variable in brackets) and each breach is an error
whose message names the limit:

* ``QUERY_TIMEOUT`` (``KG_QUERY_TIMEOUT``, seconds): how long a query may be evaluated; past
  it the request answers 503. With ``KG_QUERY_WORKERS=processes`` on the embedded store on
  disk, queries are evaluated in worker processes (``graph_service.web.query_workers``) and
  the worker is killed at the limit, so its CPU is free at once. Otherwise (the default, the
  in-memory store, a remote store) the query runs in a worker thread and the request waits for it
  at most that long; pyoxigraph cannot cancel a query, so the thread checks the clock between
  result rows and stops there (a COUNT or an ORDER BY gives no rows until it has done all its
  work); Oxigraph releases the GIL while it evaluates, so other requests are served
  meanwhile. Threads are kept between queries (``Workers``): starting one per query cost
  more than a small query does.
* ``QUERY_SLOTS`` (``KG_QUERY_SLOTS``): how many queries are evaluated at once (worker
  processes or threads); a query waits at most ``QUERY_TIMEOUT`` for a slot (one second more
  for a worker process), then 503. An abandoned thread keeps its slot until it stops; a
  killed process frees it at once.
* ``MAX_ROWS`` (``KG_MAX_ROWS``): solutions of a SELECT, triples of a CONSTRUCT/DESCRIBE.
* ``MAX_BODY`` (``KG_MAX_BODY``, bytes): request bodies; werkzeug answers 413 past it.
* ``MAX_NESTING`` (``KG_MAX_NESTING``, levels): brackets (or XML elements) nested in a query,
  an update or an RDF or JSON body, counted by ``graph_service.nesting`` before any parser
  sees the text (parsers recurse per level: thousands of levels crash or stall them); 400
  past it.
* ``SERVICE_ALLOWLIST`` (``KG_SERVICE_ALLOWLIST``): the only endpoints ``SERVICE`` may call;
  the calls themselves are made by ``graph_service.linking.federation`` (with its own timeout), which
  inlines their solutions. ``LOAD`` is refused outright: Oxigraph would fetch its IRI over
  HTTP. ``FROM`` and ``default-graph-uri`` only name graphs of the store. The calls a text
  asks for are read by a SPARQL parser (``graph_service.outbound``) as well as by the
  tokenizer, and on the embedded store Oxigraph evaluates on threads that cannot open a
  connection (``graph_service.sandbox``), so a call that both missed is refused by the kernel.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from flask import Flask, current_app

from .. import nesting, outbound, sandbox
from ..errors import InputError, KGError, LimitExceeded, QueryError
from ..sparqltext import QueryFacts, SparqlText, position

if TYPE_CHECKING:
    from .query_workers import QueryWorkers

T = TypeVar("T")
log = logging.getLogger(__name__)

ENV = {
    "QUERY_TIMEOUT": "KG_QUERY_TIMEOUT",
    "MAX_ROWS": "KG_MAX_ROWS",
    "MAX_BODY": "KG_MAX_BODY",
    "SERVICE_ALLOWLIST": "KG_SERVICE_ALLOWLIST",
    "QUERY_SLOTS": "KG_QUERY_SLOTS",
    "MAX_NESTING": "KG_MAX_NESTING",
    "MAX_BLANK_NODES": "KG_MAX_BLANK_NODES",
    "QUERY_WORKERS": "KG_QUERY_WORKERS",
}
WORKER_MODES = ("processes", "threads")


@dataclass
class Limits:
    timeout: float
    max_rows: int
    allowlist: frozenset[str]
    slots: int
    max_nesting: int = 100
    contained: bool = False     # evaluate on threads that cannot connect (embedded store)
    processes: "QueryWorkers | None" = None   # killable worker processes (query_workers)
    _semaphore: threading.BoundedSemaphore = field(init=False, repr=False)
    _workers: "Workers" = field(init=False, repr=False)
    _updates: "Workers" = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._semaphore = threading.BoundedSemaphore(self.slots)
        setup = _deny_network if self.contained else None
        self._workers = Workers(self.slots, setup=setup)
        self._updates = Workers(2, setup=setup)

    @classmethod
    def from_config(cls, config, *, contained: bool = False) -> "Limits":
        allow = config["SERVICE_ALLOWLIST"]
        if isinstance(allow, str):
            allow = allow.replace(",", " ").split()
        return cls(timeout=float(config["QUERY_TIMEOUT"]), max_rows=int(config["MAX_ROWS"]),
                   allowlist=frozenset(allow), slots=int(config["QUERY_SLOTS"]),
                   max_nesting=int(config.get("MAX_NESTING", 100)), contained=contained)

    # -- time -------------------------------------------------------------------------------

    def timeout_error(self) -> LimitExceeded:
        return LimitExceeded(f"the query exceeded the {self.timeout:g} s limit set by "
                             f"{ENV['QUERY_TIMEOUT']}; narrow it or add a LIMIT",
                             limit=ENV["QUERY_TIMEOUT"])

    def deadline(self) -> "Deadline":
        """The deadline of a query that starts now."""
        return Deadline(time.monotonic() + self.timeout, self)

    @contextmanager
    def slot(self, *, wait: float | None = None) -> Iterator[None]:
        """Hold one of the ``slots`` query slots for the block; 503 when none frees up within
        ``wait`` seconds (default: the time limit)."""
        self._acquire(wait)
        try:
            yield
        finally:
            self._semaphore.release()

    def _acquire(self, wait: float | None = None) -> None:
        if not self._semaphore.acquire(timeout=self.timeout if wait is None else wait):
            raise LimitExceeded(f"all {self.slots} query workers are busy (the limit set by "
                                f"{ENV['QUERY_SLOTS']}); try again shortly",
                                limit=ENV["QUERY_SLOTS"])

    def run(self, work: Callable[["Deadline"], T]) -> T:
        """``work(deadline)`` in a worker thread; its result, or 503 when time runs out."""
        deadline = self.deadline()
        self._acquire()
        box: dict = {}
        done = threading.Event()

        def job() -> None:
            try:
                box["value"] = work(deadline)
            except BaseException as err:  # handed to the request thread, raised there
                if not isinstance(err, KGError):
                    log.exception("query worker failed")
                # Without its traceback, the error holds no frame of this thread: pyoxigraph's
                # result objects must be dropped on the thread that made them.
                err.__traceback__ = err.__context__ = err.__cause__ = None
                box["error"] = err
            finally:
                self._semaphore.release()
                done.set()

        self._workers.submit(job)
        if not done.wait(deadline.remaining()):
            deadline.abandon()
            raise self.timeout_error()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def isolated(self, work: Callable[[], T]) -> T:
        """``work()`` on a thread that cannot connect (when ``contained``), without a time
        limit: for SPARQL updates, which are not abandoned once started."""
        box: dict = {}
        done = threading.Event()

        def job() -> None:
            try:
                box["value"] = work()
            except BaseException as err:
                err.__traceback__ = err.__context__ = err.__cause__ = None
                box["error"] = err
            finally:
                done.set()

        self._updates.submit(job)
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["value"]

    # -- size -------------------------------------------------------------------------------

    def capped(self, items: Iterable[T], deadline: "Deadline", *, what: str) -> Iterator[T]:
        """``items`` with the row cap and the clock checked before each one."""
        for n, item in enumerate(items):
            if n >= self.max_rows:
                raise LimitExceeded(f"the result has more than {self.max_rows} {what}, the limit "
                                    f"set by {ENV['MAX_ROWS']}; add a LIMIT or page with OFFSET",
                                    limit=ENV["MAX_ROWS"], http_status=400)
            deadline.check()
            yield item

    # -- nesting ----------------------------------------------------------------------------

    def check_nesting(self, data: str | bytes, *, syntax: str,
                      what: str = "the request body") -> None:
        """400 when ``data`` nests deeper than ``max_nesting``; ``syntax``: "sparql", "rdf",
        "json" or "xml" (see ``graph_service.nesting``)."""
        if syntax == "xml":
            found = nesting.xml_depth(data if isinstance(data, bytes) else data.encode())
        else:
            # Brackets are ASCII, and no byte of a multi-byte UTF-8 sequence is: latin-1 keeps
            # every bracket where it is and cannot fail.
            text = data.decode("latin-1") if isinstance(data, bytes) else data
            if sum(text.count(c) for c in nesting.OPEN) <= self.max_nesting and \
                    (syntax != "sparql" or "\\" not in text):
                return  # fewer opening brackets than the bound: no deeper nesting possible
            found = nesting.depth(text, syntax=syntax)
        if found > self.max_nesting:
            unit = "elements" if syntax == "xml" else "brackets"
            raise LimitExceeded(f"{what} nests {unit} at least {found} levels deep; the limit "
                                f"is {self.max_nesting}, set by {ENV['MAX_NESTING']}",
                                limit=ENV["MAX_NESTING"], http_status=400)

    # -- outbound calls ---------------------------------------------------------------------

    def check_outbound(self, text: SparqlText | QueryFacts, original: str | None = None, *,
                       update: bool = False, base_iri: str | None = None) -> None:
        """Refuse LOAD and any SERVICE whose endpoint is not on the allowlist (400).

        ``original``: the text as sent, read again by the SPARQL parser of ``outbound``; a
        call it finds that the tokenizer does not, or a text it cannot read that may hold a
        call, is refused as well.
        """
        self._check_tokens(text)
        if original is None:
            return
        try:
            found = outbound.calls(original, update=update, base_iri=base_iri)
        except outbound.Unreadable as err:
            raise QueryError("the text spells SERVICE or LOAD in a way the outbound-call check "
                             f"cannot read ({err}); write SERVICE <IRI> {{ … }} plainly") from None
        if found.loads:
            raise QueryError("LOAD is not allowed: this service never fetches data from the "
                             "network; add data with the Graph Store Protocol (/store) instead")
        for iri in found.services:
            if iri is None:
                raise QueryError("SERVICE needs a fixed endpoint IRI on the allowlist "
                                 f"({ENV['SERVICE_ALLOWLIST']}); a variable cannot be checked")
            if iri not in self.allowlist:
                allowed = ", ".join(sorted(self.allowlist)) or "none"
                raise QueryError(f"SERVICE <{iri}> is not allowed: endpoints on the allowlist "
                                 f"set by {ENV['SERVICE_ALLOWLIST']}: {allowed}")
        if sorted(found.services) != sorted(iri for iri, _ in text.services()):
            raise QueryError("a SERVICE clause is written in a way that could not be located "
                             "in the text (a prefixed name glued to the keyword, an escape); "
                             "write SERVICE <IRI> { … }")

    def _check_tokens(self, text: SparqlText | QueryFacts) -> None:
        for tok in text.loads():
            raise QueryError("LOAD is not allowed: this service never fetches data from the "
                             "network; add data with the Graph Store Protocol (/store) instead",
                             **position(text.text, tok))
        for iri, tok in text.services():
            if iri is None:
                raise QueryError("SERVICE needs a fixed endpoint IRI on the allowlist "
                                 f"({ENV['SERVICE_ALLOWLIST']}); a variable or unknown prefix "
                                 "cannot be checked", **position(text.text, tok))
            if iri not in self.allowlist:
                allowed = ", ".join(sorted(self.allowlist)) or "none"
                raise QueryError(f"SERVICE <{iri}> is not allowed: endpoints on the allowlist "
                                 f"set by {ENV['SERVICE_ALLOWLIST']}: {allowed}",
                                 **position(text.text, tok))


class Workers:
    """Up to ``size`` daemon threads that run jobs, kept between jobs.

    The caller bounds how many jobs are outstanding (``Limits`` holds a slot per job), so a
    job never waits for a thread: an idle one takes it, or a new one starts. A thread idle for
    ``idle_seconds`` ends, so an app that stops serving (a test's) leaves no threads behind.
    A job runs whole on one thread, so the pyoxigraph objects it makes are dropped there.
    """

    def __init__(self, size: int, *, idle_seconds: float = 30.0,
                 setup: Callable[[], None] | None = None) -> None:
        self.size = size
        self.idle_seconds = idle_seconds
        self.setup = setup
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0       # threads waiting for a job that no queued job has claimed

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._jobs.put(job)
            if self._idle:
                self._idle -= 1
                return
        threading.Thread(target=self._loop, name="kg-query", daemon=True).start()

    def _loop(self) -> None:
        if self.setup is not None:
            self.setup()
        while True:
            try:
                job = self._jobs.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():  # puts happen under the lock: none is on its way
                        self._idle -= 1
                        return
                continue
            job()
            del job  # drop the job's closure (and what it holds) before waiting again
            with self._lock:
                self._idle += 1


@dataclass
class Deadline:
    """When a query's time is up; workers call ``check()`` between rows."""

    at: float
    limits: Limits
    abandoned: bool = False

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def abandon(self) -> None:
        self.abandoned = True

    def check(self) -> None:
        if self.abandoned or time.monotonic() > self.at:
            raise self.limits.timeout_error()


_warned = False


def _deny_network() -> None:
    global _warned
    if not sandbox.deny_network() and not _warned:
        _warned = True
        log.warning("this platform cannot stop query threads from connecting; SERVICE and "
                    "LOAD are kept out by the parser check alone")


def check_body(data: bytes, fmt) -> None:
    """What is checked of an RDF or JSON body (``fmt`` an ``RDFFormat``, None for fact
    records) before it is parsed: its nesting, and for RDF/XML that it declares no DTD."""
    from ..formats import RDFFormat
    from ..rdfio import refuse_xml_declarations
    get_limits().check_nesting(data, syntax=syntax_of(fmt))
    if fmt is RDFFormat.RDFXML:
        refuse_xml_declarations(data, where="request body")


def syntax_of(fmt) -> str:
    """The ``check_nesting`` syntax of an ``RDFFormat`` (None: JSON fact records)."""
    from ..formats import RDFFormat
    if fmt is None or fmt is RDFFormat.JSONLD:
        return "json"
    return "xml" if fmt is RDFFormat.RDFXML else "rdf"


def init_app(app: Flask) -> None:
    from ..store import OxigraphStore
    from .query_workers import workers_for
    store = app.extensions.get("kg_store")
    contained = isinstance(store, OxigraphStore)
    limits = Limits.from_config(app.config, contained=contained)
    mode = str(app.config.get("QUERY_WORKERS") or "threads").strip().lower()
    if mode not in WORKER_MODES:
        raise InputError(f"{ENV['QUERY_WORKERS']}={mode!r}: use one of "
                         + ", ".join(WORKER_MODES))
    limits.processes = workers_for(store, limits, mode=mode)
    app.extensions["kg_limits"] = limits


def get_limits() -> Limits:
    return current_app.extensions["kg_limits"]
