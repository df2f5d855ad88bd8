"""The read models saved beside the store, so that a restart reads them instead of the store.

Building the claim index reads the whole store (75-89 s at 10M triples), and counting its
quads per graph another scan; both are what every start of ``kg serve`` paid before the JSON
API and the pages could answer. Here they are written to the store's folder
(``read-models/claim-index`` and ``read-models/statistics``) with the token of the seal the
store gets right after (``OxigraphStore.seal``), and read back at start only when that token
is the store's seal: any write through ``OxigraphStore`` (this service, ``kg build``,
``kg ingest``) removes the seal first, so rows saved before it are never trusted after it,
whatever crashed in between. The claim index's file also keeps a digest of the store's named
graphs, checked on load: it catches what writers that bypass the seal add or drop.
When in doubt the models are rebuilt from the store, as without this module.

The files cannot run code (no pickle): a header line of JSON (format, the seal's token, byte
order, the SHA-256 of the body, the sections) and a body of flat arrays (``array``). The
claim index is stored by columns: every string once in a table, rows as arrays of ids into
it, multi-valued fields as offsets into one array of ids. The claims are kept in report
order and the timeline's dates beside its order, so that a restart sorts and derives
nothing; the postings (claims by entity, by article) are restored as arrays of positions,
checked on load, and a key's tuple of rows is made when first asked for (``Postings``). A
file that is torn, corrupt, of another format or of another byte order is ignored with a
warning, and the models rebuilt.

``Saver`` keeps the files current while the service runs: it wakes when the claim index has
been built or refreshed, waits until writes have been quiet for a few seconds, then saves
and seals (nothing is sealed if a write came in meanwhile: it waits for the next quiet).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping
from itertools import accumulate
from pathlib import Path

from ..errors import StoreError
from .claim_index import ArticleRow, ClaimIndex, ClaimRow, EntityRow, State, Views
from .embedded import OxigraphStore, write_durably
from .statistics import DEFAULT, Statistics

log = logging.getLogger(__name__)

FORMAT = 2         # 2: claims in report order, the timeline's dates, postings read lazily
MAGIC = b"kg-read-models\n"
INDEX_FILE = "claim-index"
STATISTICS_FILE = "statistics"
QUIET = 5.0        # seconds without writes before the models are saved
_NONE = -1         # the id of a missing string
_NO_INT = -(2**63)  # a missing integer

# (field, kind): "s" a string or None, "S" a tuple of strings, "i" an integer or None.
CLAIM_FIELDS = (("claim", "s"), ("graph", "s"), ("article", "s"), ("type", "s"),
                ("status", "s"), ("actors", "S"), ("targets", "S"), ("claimers", "S"),
                ("vias", "S"), ("reported_on", "s"), ("earliest", "s"), ("latest", "s"),
                ("start", "i"), ("reported", "s"), ("extractors", "S"))
ARTICLE_FIELDS = (("article", "s"), ("headline", "s"), ("published", "s"), ("publisher", "s"),
                  ("author", "s"), ("url", "s"), ("first_line", "s"))
ENTITY_FIELDS = (("iri", "s"), ("label", "s"), ("labels", "S"), ("kinds", "S"),
                 ("wikidata", "S"))
# The fields in the order of the row classes: rows are made positionally, for speed.


class SnapshotError(ValueError):
    """A saved file that cannot be used (torn, corrupt, of another format)."""


# -- the container: a JSON header line and a body of sections --------------------------------

def _write(path: Path, token: str, sections: list[tuple[str, bytes]], **meta) -> None:
    body = b"".join(data for _, data in sections)
    header = {"format": FORMAT, "revision": token, "byteorder": sys.byteorder,
              "sha256": hashlib.sha256(body).hexdigest(),
              "sections": [[name, len(data)] for name, data in sections], **meta}
    write_durably(path, MAGIC + json.dumps(header).encode("utf-8") + b"\n" + body)


def _read(path: Path, token: str) -> tuple[dict, dict[str, memoryview]] | None:
    """The header and sections of ``path`` if it was saved under seal ``token``; None if it
    is absent or of another seal (not current); SnapshotError if it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise SnapshotError(f"cannot read it: {err}") from None
    if not data.startswith(MAGIC):
        raise SnapshotError("it does not start as a saved read model does")
    end = data.find(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC):end]) if end > 0 else None
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise SnapshotError("its header is torn")
    if header.get("format") != FORMAT:
        raise SnapshotError(f"it is of format {header.get('format')}, not {FORMAT}")
    if header.get("revision") != token:
        return None
    if header.get("byteorder") != sys.byteorder:
        raise SnapshotError(f"it was written on a {header.get('byteorder')}-endian machine")
    body = memoryview(data)[end + 1:]
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise SnapshotError("its body is torn or corrupt (SHA-256 differs)")
    sections, at = {}, 0
    for name, size in header["sections"]:
        sections[name] = body[at:at + size]
        at += size
    return header, sections


# -- columns ---------------------------------------------------------------------------------

class _Columns:
    """Rows to columns of ids: strings into one table of strings, tuples of strings into one
    table of tuples (the same few recur: an actor, a pair of targets)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tuples: dict[tuple, int] = {}
        self.sections: list[tuple[str, bytes]] = []

    def _id(self, value: str | None) -> int:
        return _NONE if value is None else self.ids.setdefault(value, len(self.ids))

    def _tuple_id(self, value: tuple) -> int:
        found = self.tuples.get(value)
        if found is None:
            found = self.tuples[value] = len(self.tuples)
            for x in value:
                self._id(x)
        return found

    def add(self, table: str, rows: Iterable, spec: tuple) -> None:
        rows = list(rows)
        for name, kind in spec:
            values = [getattr(r, name) for r in rows]
            key = f"{table}.{name}"
            if kind == "s":
                self.sections.append((key, array("i", map(self._id, values)).tobytes()))
            elif kind == "i":
                self.sections.append((key, array("q", (_NO_INT if v is None else v
                                                       for v in values)).tobytes()))
            else:
                self.sections.append((key, array("i", map(self._tuple_id, values)).tobytes()))

    def add_strings(self, table: str, values: list[str | None]) -> None:
        self.sections.append((table, array("i", map(self._id, values)).tobytes()))

    def add_positions(self, name: str, positions: Iterable[int]) -> None:
        self.sections.append((name, array("i", positions).tobytes()))

    def add_postings(self, name: str, postings: dict[str, tuple], position: dict) -> None:
        """``postings``: key -> rows, as the keys' string ids and the rows' positions."""
        self.add_strings(name + ".keys", list(postings))
        self.sections.append((name + ".ends", array("q", accumulate(
            len(rows) for rows in postings.values())).tobytes()))
        self.add_positions(name, (position[id(r)] for rows in postings.values() for r in rows))

    def finish(self) -> list[tuple[str, bytes]]:
        """The sections, the tables first. Strings are kept NUL-separated (split at C speed
        on load); a string holding a NUL itself cannot be kept so: SnapshotError."""
        tuples = list(self.tuples)
        tuple_ends = array("q", accumulate(len(t) for t in tuples))
        tuple_ids = array("i", (self.ids[x] for t in tuples for x in t))
        text = "\0".join(self.ids)
        if text.count("\0") != max(0, len(self.ids) - 1):
            raise SnapshotError("a string holds a NUL character")
        return [("strings", text.encode("utf-8")),
                ("strings.count", array("q", [len(self.ids)]).tobytes()),
                ("tuples.ends", tuple_ends.tobytes()), ("tuples", tuple_ids.tobytes()),
                *self.sections]


class _Rows:
    """Columns back to rows."""

    def __init__(self, sections: dict[str, memoryview]) -> None:
        self.sections = sections
        text = bytes(sections["strings"]).decode("utf-8")
        # Not interned: each string is one object already, shared by every row that names it.
        strings = text.split("\0") if text else []
        if [len(strings)] != list(self._array("strings.count", "q")):
            raise SnapshotError("its table of strings is not whole")
        strings.append(None)         # id -1: no value
        self.strings = strings
        ids, ends = self._str("tuples"), self._array("tuples.ends", "q")
        self.tuples = [tuple(ids[a:b]) for a, b in zip([0, *ends[:-1]], ends)]

    def _array(self, name: str, code: str) -> array:
        out = array(code)
        try:
            out.frombytes(self.sections[name])
        except (KeyError, ValueError):
            raise SnapshotError(f"section {name} is missing or torn") from None
        return out

    def _str(self, name: str) -> list[str | None]:
        try:
            return list(map(self.strings.__getitem__, self._array(name, "i")))
        except IndexError:
            raise SnapshotError(f"section {name} names a string the table lacks") from None

    def column(self, key: str, kind: str) -> list:
        if kind == "s":
            return self._str(key)
        if kind == "i":
            return [None if v == _NO_INT else v for v in self._array(key, "q")]
        try:
            return list(map(self.tuples.__getitem__, self._array(key, "i")))
        except IndexError:
            raise SnapshotError(f"section {key} names a tuple the table lacks") from None

    def rows(self, table: str, spec: tuple, make) -> list:
        columns = [self.column(f"{table}.{name}", kind) for name, kind in spec]
        if len({len(c) for c in columns}) > 1:
            raise SnapshotError(f"the columns of {table} differ in length")
        return list(map(make, *columns))

    def picked(self, name: str, rows: list) -> tuple:
        """The rows at the positions of section ``name``."""
        try:
            return tuple(map(rows.__getitem__, self._array(name, "i")))
        except IndexError:
            raise SnapshotError(f"section {name} names a row the table lacks") from None

    def postings(self, name: str, rows: list) -> "Postings":
        keys, ends, positions = (self._str(name + ".keys"), self._array(name + ".ends", "q"),
                                 self._array(name, "i"))
        if len(keys) != len(ends) or len(set(keys)) != len(keys):
            raise SnapshotError(f"section {name} has keys and postings in different numbers")
        if ends and (ends[-1] != len(positions) or any(map(int.__gt__, [0, *ends], ends))):
            raise SnapshotError(f"section {name} has postings out of order")
        if positions and (min(positions) < 0 or max(positions) >= len(rows)):
            raise SnapshotError(f"section {name} names a row the table lacks")
        return Postings(keys, ends, positions, rows)


class Postings(Mapping):
    """Key -> rows, as restored: the rows' positions are kept in one array, checked on load,
    and a key's tuple of rows is made when first asked for (a restart then makes none of the
    60,000 tuples of the postings by entity before it can answer)."""

    def __init__(self, keys: list[str], ends: array, positions: array, rows: list) -> None:
        self._at = {key: i for i, key in enumerate(keys)}
        self._ends, self._positions, self._rows = ends, positions, rows
        self._made: dict[str, tuple] = {}

    def __getitem__(self, key: str) -> tuple:
        found = self._made.get(key)
        if found is None:
            i = self._at[key]     # KeyError: no such key
            start = self._ends[i - 1] if i else 0
            found = self._made[key] = tuple(
                map(self._rows.__getitem__, self._positions[start:self._ends[i]]))
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def graphs_digest(graphs: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(graphs)).encode("utf-8")).hexdigest()


def _fields(spec: tuple) -> list[str]:
    return [name for name, _ in spec]


# -- the claim index -------------------------------------------------------------------------

def save_index(folder: Path, state: State, token: str, *, graphs: Iterable[str]) -> None:
    columns = _Columns()
    claims = state.claims
    if state.views is not None:
        # in report order: a restart takes that order as it reads the rows
        claims = list(state.views.by_report)
        if len(claims) != len(state.claims):
            raise ValueError("the views are not of these rows")
    columns.add("claims", claims, CLAIM_FIELDS)
    columns.add("articles", state.articles, ARTICLE_FIELDS)
    columns.add_strings("articles.graph", state.article_graphs)
    columns.add("entities", state.entities, ENTITY_FIELDS)
    if state.views is not None:
        _add_views(columns, state, claims)
    folder.mkdir(exist_ok=True)
    _write(folder / INDEX_FILE, token, columns.finish(), graphs=graphs_digest(graphs),
           views=state.views is not None,
           fields={"claims": _fields(CLAIM_FIELDS), "articles": _fields(ARTICLE_FIELDS),
                   "entities": _fields(ENTITY_FIELDS)})


def load_index(folder: Path, token: str, *, graphs: Iterable[str]) -> State | None:
    """The claim index saved under seal ``token``, or None (absent, of another seal, or
    unusable: then with a warning)."""
    path = folder / INDEX_FILE
    try:
        found = _read(path, token)
        if found is None:
            log.info("no claim index saved for this state of the store: it is built")
            return None
        header, sections = found
        if header.get("fields") != {"claims": _fields(CLAIM_FIELDS),
                                    "articles": _fields(ARTICLE_FIELDS),
                                    "entities": _fields(ENTITY_FIELDS)}:
            raise SnapshotError("its rows have other fields than this version's")
        if header.get("graphs") != graphs_digest(graphs):
            log.warning("the saved claim index %s is of other named graphs than the store's "
                        "(a write since it was saved, by this process before the index was "
                        "read, or by one that bypassed the seal): it is rebuilt", path)
            return None
        rows = _Rows(sections)
        claims = rows.rows("claims", CLAIM_FIELDS, ClaimRow)
        articles = rows.rows("articles", ARTICLE_FIELDS, ArticleRow)
        entities = rows.rows("entities", ENTITY_FIELDS, EntityRow)
        article_graphs = rows._str("articles.graph")
        if len(article_graphs) != len(articles):
            raise SnapshotError("its articles and their graphs differ in number")
        views = _views(rows, claims, articles, entities) if header.get("views") else None
        return State(claims=claims, articles=articles, article_graphs=article_graphs,
                     entities=entities, views=views)
    except SnapshotError as err:
        log.warning("the saved claim index %s is ignored and rebuilt: %s", path, err)
        return None


def _add_views(columns: _Columns, state: State, claims: list) -> None:
    """The orders and postings of the views, as positions of rows in the saved tables (a
    restart then sorts nothing); ``claims`` are saved in report order."""
    views = state.views
    claim_at = {id(r): i for i, r in enumerate(claims)}
    columns.add_positions("views.by_time", (claim_at[id(r)] for r in views.by_time))
    columns.add_strings("views.time_firsts", list(views.time_firsts))
    columns.add_strings("views.time_lasts", list(views.time_lasts))
    columns.add_postings("views.by_entity", views.by_entity, claim_at)
    columns.add_postings("views.by_article", views.by_article, claim_at)
    article_at = {id(a): i for i, a in enumerate(state.articles)}
    columns.add_positions("views.articles", (article_at[id(a)] for a in views.articles))
    entity_at = {id(e): i for i, e in enumerate(state.entities)}
    columns.add_positions("views.listed_entities",
                          (entity_at[id(e)] for e in views.listed_entities))


def _views(rows: _Rows, claims: list, articles: list, entities: list) -> Views:
    by_time = rows.picked("views.by_time", claims)
    time_firsts, time_lasts = rows._str("views.time_firsts"), rows._str("views.time_lasts")
    if not len(by_time) == len(time_firsts) == len(time_lasts):
        raise SnapshotError("the timeline and its dates differ in length")
    return Views(by_report=tuple(claims), by_time=by_time,
                 by_entity=rows.postings("views.by_entity", claims),
                 by_article=rows.postings("views.by_article", claims),
                 articles=rows.picked("views.articles", articles),
                 entities={e.iri: e for e in entities},
                 listed_entities=rows.picked("views.listed_entities", entities),
                 time_firsts=tuple(time_firsts), time_lasts=tuple(time_lasts))


# -- the statistics --------------------------------------------------------------------------

def save_statistics(folder: Path, counts: dict[str | None, int], token: str) -> None:
    body = json.dumps({"default": counts.get(DEFAULT, 0),
                       "graphs": sorted([g, n] for g, n in counts.items() if g is not DEFAULT)})
    folder.mkdir(exist_ok=True)
    _write(folder / STATISTICS_FILE, token, [("counts", body.encode("utf-8"))])


def load_statistics(folder: Path, token: str) -> dict[str | None, int] | None:
    path = folder / STATISTICS_FILE
    try:
        found = _read(path, token)
        if found is None:
            return None
        try:
            body = json.loads(bytes(found[1]["counts"]))
            counts: dict[str | None, int] = {DEFAULT: int(body["default"])}
            counts.update((str(g), int(n)) for g, n in body["graphs"])
        except (KeyError, TypeError, ValueError):
            raise SnapshotError("its counts are not as saved") from None
        return counts
    except SnapshotError as err:
        log.warning("the saved statistics %s are ignored and counted again: %s", path, err)
        return None


# -- at start, and while serving ---------------------------------------------------------------

def saved_statistics(store: OxigraphStore) -> dict[str | None, int] | None:
    """The quad counts saved for the store's present state, or None."""
    token = store.revision()
    if token is None or store.read_models_path is None:
        return None
    return load_statistics(store.read_models_path, token)


def restorer(store: OxigraphStore):
    """A ``restore`` for ``ClaimIndex``: the rows saved for the store's state as it is now
    (the seal is read at once, before any write of this process; the rows when asked)."""
    token, folder = store.revision(), store.read_models_path
    if token is None or folder is None:
        return None
    # The named graphs are listed when the rows are read, not now (0.2-0.4 s at 10M, off the
    # path to the first SPARQL answer): a write of this process in between may change them,
    # and then the digest differs and the index is built, which is safe.
    return lambda: load_index(folder, token, graphs=store.named_graphs())


def keep(store: OxigraphStore, index: ClaimIndex, statistics: Statistics | None) -> "Saver":
    """The saver of ``store``'s read models, made and started on first use (one per store)."""
    saver = store.__dict__.get("_read_models_saver")
    if saver is None:
        saver = store.__dict__["_read_models_saver"] = Saver(store, index, statistics).start()
    return saver


class Saver:
    """Saves the claim index and the statistics of one store, and seals it, once writes have
    been quiet for ``quiet`` seconds after the index was built or refreshed."""

    def __init__(self, store: OxigraphStore, index: ClaimIndex, statistics: Statistics | None,
                 *, quiet: float = QUIET, statistics_wait: float = 60.0) -> None:
        self.store, self.index, self.statistics = store, index, statistics
        self.quiet = quiet
        self.statistics_wait = statistics_wait
        self.saves = 0
        self._saved_writes: int | None = None   # ``store.writes`` when last sealed
        self._wake = threading.Event()
        self._saved = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def start(self) -> "Saver":
        self.index.add_observer(self.wake)
        return self

    def wake(self) -> None:
        """Something new to save (the index's observer: only marks, and starts the thread
        on first use)."""
        self._wake.set()
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="kg-read-models-saver",
                                                daemon=True)
                self._thread.start()

    def wait_saved(self, timeout: float) -> bool:
        """Block until a save has sealed the store (for tests and tools); False on timeout."""
        return self._saved.wait(timeout)

    def _run(self) -> None:
        while not self.store.closed:
            self._wake.wait()
            writes = -1
            while writes != self.store.writes:   # until a quiet period without writes
                writes = self.store.writes
                self._wake.clear()
                time.sleep(self.quiet)
            if self.store.closed:
                return
            if writes == self._saved_writes:
                continue    # woken by the refresh its own save made: nothing new
            try:
                self.save()
            except (OSError, StoreError, AttributeError) as err:
                # AttributeError: the store was closed under us
                if not self.store.closed:
                    log.warning("saving the read models failed: %s; they are rebuilt at the "
                                "next start", err)

    def save(self) -> bool:
        """Save the models as they are now and seal the store; False if a write came in
        meanwhile (nothing sealed: the next quiet period tries again)."""
        folder = self.store.read_models_path
        if folder is None or self.store.read_only:
            return False
        writes = self.store.writes
        state = self.index.state()
        counts = None
        if self.statistics is not None and self.statistics.wait(self.statistics_wait):
            counts = self.statistics.counts()
        token = self.store.new_token()
        try:
            save_index(folder, state, token, graphs=self.store.named_graphs())
        except SnapshotError as err:
            log.warning("the claim index cannot be saved (%s): it is built at each start", err)
            return False
        if counts is not None:
            save_statistics(folder, counts, token)
        sealed = self.store.seal(token, writes=writes)
        if sealed:
            self.saves += 1
            self._saved_writes = writes
            self._saved.set()
            log.info("read models saved beside the store (%d claims)", len(state.claims))
        return sealed
