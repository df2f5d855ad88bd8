"""Where user SPARQL queries are evaluated: killable worker processes, or threads.

Oxigraph cannot cancel a running evaluation (pyoxigraph has no interrupt, and its maintainers
confirm none is planned), so a query past ``KG_QUERY_TIMEOUT`` can only be stopped by ending
the process that evaluates it. On the embedded store on disk, queries are therefore evaluated
in worker processes (``QueryWorkers``), each of which opens a read-only checkpoint of the store
(``graph_service.store.checkpoint``) and answers one query at a time over a pipe with the
serialized result. At the time limit the request answers 503 and the worker is killed
(SIGKILL), which frees its CPU at once; the next query starts a fresh one. A worker that
dies on its own (a crash, the kernel's OOM killer) gives a 503 that says so, and is replaced.

Workers are started lazily, up to ``KG_QUERY_SLOTS``, by a fork server
(``multiprocessing``'s "forkserver": a small process started once, with this module already
imported, that forks each worker; forking the service itself, with its threads, would not be
safe). A worker that has been idle for ``IDLE_SECONDS`` ends; each one ends with the fork
server, which ends with the service (``PR_SET_PDEATHSIG``), and all are killed when the store
is closed. Each worker forbids itself network connections (``graph_service.sandbox``, for the
whole process).

The result is written by the worker with the same writers, row cap and content negotiation
as in-process (``answer``); negotiation is done by the request beforehand, and the worker only
picks the offer for the kind of result it got.

Worker processes are used when ``KG_QUERY_WORKERS=processes``; by default (``threads``), and
wherever a process cannot open the store (the in-memory store, a remote store), queries run
on threads (``Limits.run``): the client gets 503 at the limit, but the evaluation runs on
until a clock check between result rows. Processes are not the default because of their
memory: each worker holds its own Oxigraph caches and a Python interpreter
(``docs/ARCHITECTURE.md``, "Where user queries are evaluated", has the figures).
"""

from __future__ import annotations

import ctypes
import io
import logging
import math
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
import time
import weakref
from multiprocessing import forkserver, popen_forkserver, spawn, util
from multiprocessing.context import ForkServerProcess, reduction, set_spawning_popen
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .. import sandbox
from ..errors import KGError, QueryError, StoreError
from ..store.checkpoint import Checkpoints
from ..store.embedded import OxigraphStore
from . import context
from .limits import Deadline, Limits
from .negotiation import Offer
from .results import SPOOL_IN_MEMORY, result_kind, serialize_result

log = logging.getLogger(__name__)

IDLE_SECONDS = 30.0      # a worker with no query for this long ends
SLOT_GRACE = 1.0         # seconds a query waits for a slot beyond the time limit
CHUNK = 256 * 1024       # result bytes per message from a worker


@dataclass(frozen=True)
class QueryJob:
    """One query to evaluate, with everything the request decided beforehand."""

    text: str
    base_iri: str
    default_graph: list[str] | None
    named_graphs: list[str] | None
    offers: dict[str, Offer | None]   # "graph", "results": what the client accepts, or None
    limit: int | None                 # a SELECT's outer LIMIT, when it has one
    jsonld: context.Options


class NotOffered(KGError):
    """The result is of a kind (``kind``: "boolean", "solutions", "graph") the client does
    not accept; the request answers with the 406 of its own negotiation."""

    http_status = 406

    def __init__(self, kind: str) -> None:
        super().__init__(f"no format the client accepts for {kind} results")
        self.kind = kind


def refused_call() -> QueryError:
    """The evaluator tried to open a connection where it may not (``sandbox``)."""
    return QueryError("the query tried to call out over the network, which only SERVICE "
                      "<IRI> { … } to an endpoint on the allowlist may do")


def answer(store, job: QueryJob, out: IO[bytes], *, limits: Limits, deadline: Deadline) -> str:
    """Evaluate ``job`` on ``store`` and write its result to ``out``; its media type."""
    deadline.check()
    try:
        result = store.query(job.text, default_graph=job.default_graph,
                             named_graphs=job.named_graphs, base_iri=job.base_iri)
        deadline.check()
        kind = result_kind(result)
        offer = job.offers["graph" if kind == "graph" else "results"]
        if offer is None:
            raise NotOffered(kind)
        serialize_result(result, out, offer.format, limits=limits, deadline=deadline,
                         limit=job.limit, jsonld=job.jsonld)
    except PermissionError:
        raise refused_call() from None
    except RuntimeError as err:  # an evaluation error of Oxigraph's, not of the service
        raise QueryError(f"the query cannot be evaluated: {err}") from None
    return offer.media_type


def evaluate(store, job: QueryJob, limits: Limits) -> tuple[str, IO[bytes], int]:
    """(media type, result file at offset 0, size) of ``job``, in a worker process when the
    store has them, else on a worker thread; 503 past the time limit."""
    if limits.processes is not None and limits.processes.checkpoints.store is store:
        # (a reviewer's query of the staging store runs on a thread: the workers hold
        # checkpoints of the served store only)
        # A slot held by a query that runs to the limit frees up once its worker has started,
        # the time limit has passed and the worker is killed: wait that long, and a little.
        with limits.slot(wait=limits.timeout + SLOT_GRACE):
            return limits.processes.evaluate(job, limits)

    def work(deadline: Deadline) -> tuple[str, IO[bytes], int]:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        try:
            media_type = answer(store, job, spool, limits=limits, deadline=deadline)
        except BaseException:
            spool.close()
            raise
        size = spool.tell()
        spool.seek(0)
        return media_type, spool, size

    return limits.run(work)


# -- the service's side ---------------------------------------------------------------------

class _Popen(popen_forkserver.Popen):
    """multiprocessing's fork-server start, less one step: the worker does not import the
    service's main module (the ``kg`` script, a test runner, a user's script) as
    ``__mp_main__``; it needs nothing but this module, which the fork server has loaded.
    The body is ``popen_forkserver.Popen._launch`` (CPython 3.11-3.13) with that one change."""

    def _launch(self, process_obj) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)   # the child's sentinel of its parent, as multiprocessing keeps
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


class _Worker:
    """One worker process and the service's end of its pipe."""

    def __init__(self, ctx, *, max_rows: int, idle_seconds: float) -> None:
        self.conn, child = ctx.Pipe()
        self.process = _Process(target=_serve, args=(child, max_rows, idle_seconds),
                                name="kg-query-worker", daemon=True)
        self.process.start()
        child.close()
        self.idle_since = time.monotonic()

    def end(self) -> int | None:
        """Kill the process (if it still runs) and wait for it; its exit code."""
        try:
            self.process.kill()
        except (OSError, ValueError, AttributeError):
            pass   # ended already, or never started
        self.process.join(5)
        self.conn.close()
        return self.process.exitcode


class QueryWorkers:
    """Up to ``size`` worker processes over the latest checkpoint of one store."""

    def __init__(self, checkpoints: Checkpoints, *, max_rows: int, size: int,
                 idle_seconds: float = IDLE_SECONDS) -> None:
        self.checkpoints = checkpoints
        self.max_rows = max_rows
        self.size = size
        self.idle_seconds = idle_seconds
        self._ctx = multiprocessing.get_context("forkserver")
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._opened: dict[_Worker, Path] = {}   # the checkpoint each worker has open
        self._pruned: frozenset[Path] = frozenset()
        self._closed = False
        weakref.finalize(self, _end_all, self._all)

    def evaluate(self, job: QueryJob, limits: Limits) -> tuple[str, IO[bytes], int]:
        """Evaluate ``job`` in an idle worker (or a new one); the time limit counts from when
        the worker has the job, so the start of a worker is not taken from the query's time."""
        checkpoint = self.checkpoints.current()
        for attempt in range(2):
            worker = self._take()
            deadline = limits.deadline()
            try:
                reply = self._ask(worker, checkpoint, job, deadline)
            except _TimedOut:
                self._end(worker)
                raise limits.timeout_error() from None
            except KGError:   # the worker's answer was an error: the worker is fine
                self._give_back(worker, checkpoint)
                raise
            except (EOFError, OSError):
                code = self._end(worker)
                if code == 0 and attempt == 0:
                    continue   # it had just ended, idle; the query never ran: run it anew
                raise _ended(code) from None
            except BaseException:
                self._end(worker)
                raise
            self._give_back(worker, checkpoint)
            return reply
        raise AssertionError("unreachable")

    def _ask(self, worker: _Worker, checkpoint: Path, job: QueryJob,
             deadline: Deadline) -> tuple[str, IO[bytes], int]:
        conn = worker.conn
        conn.send((str(checkpoint), job))
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        try:
            while True:
                if not conn.poll(deadline.remaining()):
                    raise _TimedOut()
                message = conn.recv_bytes()
                if message[:1] == b"D":
                    spool.write(memoryview(message)[1:])
                    continue
                (status, value), tail = pickle.loads(memoryview(message)[1:])
                if status == "refused":
                    raise NotOffered(value)
                if status == "error":
                    raise _thaw(value)
                spool.write(tail)
                size = spool.tell()
                spool.seek(0)
                return value, spool, size
        except BaseException:
            spool.close()
            raise

    def _take(self) -> _Worker:
        stale = []
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            worker = None
            while self._idle:
                candidate = self._idle.pop()   # the most recently used: its caches are warm
                # It ends itself after idle_seconds: leave it well before that.
                if time.monotonic() - candidate.idle_since < self.idle_seconds / 2:
                    worker = candidate
                    break
                stale.append(candidate)
            if worker is None:
                worker = _Worker(self._ctx, max_rows=self.max_rows,
                                 idle_seconds=self.idle_seconds)
                self._all.add(worker)
        for candidate in stale:
            self._end(candidate)
        return worker

    def _give_back(self, worker: _Worker, checkpoint: Path) -> None:
        with self._lock:
            self._opened[worker] = checkpoint
            worker.idle_since = time.monotonic()
            if self._closed:
                self._all.discard(worker)
                worker.end()
                return
            self._idle.append(worker)
            in_use = frozenset(self._opened.values())
            if in_use == self._pruned:
                return   # nothing has changed since the last prune: skip the folder listing
            self._pruned = in_use
        self.checkpoints.prune(set(in_use))

    def _end(self, worker: _Worker) -> int | None:
        with self._lock:
            self._all.discard(worker)
            self._opened.pop(worker, None)
            if worker in self._idle:
                self._idle.remove(worker)
        return worker.end()

    def close(self) -> None:
        """Kill every worker and remove the checkpoints."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._opened.clear()
        for worker in workers:
            worker.end()
        self.checkpoints.close()


class _TimedOut(Exception):
    pass


def _end_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        worker.end()


def _ended(code: int | None) -> StoreError:
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exit code {code}"
    log.error("a query worker ended before it answered (%s)", how)
    return StoreError(f"the process evaluating the query ended before it answered ({how}; "
                      "a crash of the query engine, or the system ran out of memory); it has "
                      "been replaced: try again, or narrow the query")


def _freeze(err: KGError) -> tuple:
    return type(err), err.args, dict(err.__dict__)


def _thaw(frozen: tuple) -> KGError:
    """A ``KGError`` sent by a worker (their constructors take keyword-only arguments that
    pickle does not pass, so the class, its arguments and its attributes are sent)."""
    cls, args, attributes = frozen
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(attributes)
    return err


# -- the worker's side ----------------------------------------------------------------------

class _Chunks:
    """The worker's end of the pipe as a binary file: result bytes leave in ``CHUNK``-sized
    messages, and the last bytes leave with the reply."""

    def __init__(self, conn) -> None:
        self._conn = conn
        self._buffer = bytearray(b"D")

    def write(self, data) -> int:
        self._buffer += data
        if len(self._buffer) > CHUNK:
            self._conn.send_bytes(self._buffer)
            self._buffer = bytearray(b"D")
        return len(data)

    def flush(self) -> None:
        pass

    def reply(self, status: str, value, *, keep: bool) -> None:
        tail = bytes(memoryview(self._buffer)[1:]) if keep else b""
        self._conn.send_bytes(b"R" + pickle.dumps(((status, value), tail)))
        self._buffer = bytearray(b"D")


def _serve(conn, max_rows: int, idle_seconds: float) -> None:
    """A worker's life: answer jobs until the pipe closes or no job comes for a while."""
    _end_with_parent()
    sandbox.deny_network()   # the service logs the warning where this is not possible
    limits = Limits(timeout=math.inf, max_rows=max_rows, allowlist=frozenset(), slots=1)
    deadline = Deadline(math.inf, limits)   # the service keeps the time, and kills
    store, opened = None, None
    while conn.poll(idle_seconds):
        try:
            checkpoint, job = conn.recv()
        except EOFError:
            return
        out = _Chunks(conn)
        try:
            if checkpoint != opened:
                store = None   # close the previous checkpoint before opening the next
                store, opened = OxigraphStore(Path(checkpoint), read_only=True), checkpoint
            media_type = answer(store, job, out, limits=limits, deadline=deadline)
        except NotOffered as err:
            out.reply("refused", err.kind, keep=False)
        except KGError as err:
            out.reply("error", _freeze(err), keep=False)
        except Exception as err:   # noqa: BLE001 - handed to the service, which logs it
            out.reply("error", _freeze(StoreError(f"the query worker failed: {err!r}")),
                      keep=False)
        else:
            out.reply("ok", media_type, keep=True)


_PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:
    """Have the kernel kill this process when its parent (the fork server, which ends with
    the service) ends: a worker never outlives the service, even mid-query."""
    if sandbox.supported():
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def start_fork_server() -> None:
    """Start the fork server (once per process), in the background: it imports this module
    (and with it pyoxigraph and the result writers), so that each worker starts without
    imports; the first query waits for it if it is not up yet."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    threading.Thread(target=forkserver.ensure_running, name="kg-fork-server",
                     daemon=True).start()


def workers_for(store, limits: Limits, *, mode: str) -> QueryWorkers | None:
    """The worker processes for ``store`` (None: queries run on threads)."""
    if mode != "processes" or not isinstance(store, OxigraphStore) or store.path is None:
        return None
    start_fork_server()
    pool = QueryWorkers(Checkpoints(store), max_rows=limits.max_rows, size=limits.slots)
    store.on_close(pool.close)
    return pool


