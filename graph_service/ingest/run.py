"""One ``kg ingest`` run over many inputs: load, skip what is stored, extract in parallel,
write one article per transaction, keep going past bad inputs.

A bad input (unreadable, not an article, a page with no text, a feed item with only a
teaser, an article that does not validate) is reported by name and skipped; the others are
stored. What is stored stays stored if the run is stopped, and the next run skips every
article whose text digest already names a graph in the store, so a run can be resumed.
Extraction goes through ``extract_many`` in batches (``nlp.pipe``, several processes);
writes stay one article per SPARQL Update, so an article lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..articles import Article
from ..errors import KGError, StoreError
from ..extraction import extract_many, workers
from ..pipeline import Prepared, marked, prepare, readable, refresh_links, write
from ..store import Store
from .progress import Progress
from .sources import Pending

BATCH_PER_WORKER = 32  # articles per extraction process and batch: pays for its start


@dataclass
class Failure:
    name: str
    message: str


@dataclass
class RunReport:
    stored: list[Prepared] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def claims(self) -> int:
        return sum(len(p.claims) for p in self.stored)


def run(store: Store, pending: Iterable[Pending], *, progress: Progress,
        relink: bool = True, batch_size: int | None = None, extractor: str = "rules",
        client=None) -> RunReport:
    """Ingest every pending article; returns what was stored, skipped and failed."""
    pending = list(pending)
    progress.start(len(pending))
    report = RunReport()
    size = batch_size or BATCH_PER_WORKER * workers()
    seen: set[str] = set()
    batch: list[tuple[str, Article]] = []
    for item in pending:
        try:
            article = item.load()
        except StoreError:
            raise
        except KGError as err:  # this input's own fault (or its server's): skip it
            _fail(report, progress, item.name, err)
            continue
        if article.id in seen or store.has_graph(article.graph):
            report.present.append(item.name)
            progress.present()
            continue
        seen.add(article.id)
        batch.append((item.name, marked(article)))
        if len(batch) >= size:
            _store_batch(store, batch, report, progress, extractor=extractor, client=client)
            batch = []
    _store_batch(store, batch, report, progress, extractor=extractor, client=client)
    if relink and report.stored:
        refresh_links(store)
    progress.close()
    return report


def _store_batch(store: Store, batch: list[tuple[str, Article]], report: RunReport,
                 progress: Progress, *, extractor: str = "rules", client=None) -> None:
    if not batch:
        return
    claims = extract_many([readable(a) for _, a in batch], extractor=extractor, client=client)
    for (name, article), found in zip(batch, claims):
        try:
            prepared = prepare(article, found)
            write(store, prepared)
        except StoreError:
            raise  # the store is not this article's fault: stop, what is stored stays
        except KGError as err:
            _fail(report, progress, name, err)
            continue
        report.stored.append(prepared)
        progress.stored(f"{article.iri}: {len(prepared.claims)} claims, {len(prepared.graph)} "
                        f"triples in <{article.graph}>", len(prepared.claims))


def _fail(report: RunReport, progress: Progress, name: str, err: KGError) -> None:
    message = err.message if err.where in (None, name) else str(err)
    violations = getattr(err, "violations", None)
    if violations:
        first = violations[0]
        message += f" (first: focus {first.get('focus')}, path {first.get('path')}: " \
                   f"{first.get('message')})"
    report.failures.append(Failure(name, message))
    progress.failed(f"{name}: {message}")
