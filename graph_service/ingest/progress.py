"""How a long ingest shows where it is: a live bar on a terminal (rich), one summary line
elsewhere (a log, a pipe, CI), and every failure by name as it happens, in both."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Tally:
    """What a run has done so far."""

    total: int = 0
    stored: int = 0
    present: int = 0    # already in the graph (resumed runs)
    failed: int = 0
    claims: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.stored + self.present + self.failed

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.stored / elapsed if elapsed > 0 else 0.0

    def summary(self) -> str:
        return (f"ingest: {self.stored} stored, {self.present} already in the graph, "
                f"{self.failed} failed, of {self.total}; {self.claims} claims; "
                f"{self.rate():.2f} articles/s")


class Progress:
    """The plain reporter: failures as lines on ``err``, the summary line at the end."""

    def __init__(self, *, err: TextIO | None = None, out: TextIO | None = None) -> None:
        self.tally = Tally()
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.quiet_summary = False

    def start(self, total: int) -> None:
        self.tally.total = total

    def stored(self, line: str, claims: int) -> None:
        self.tally.stored += 1
        self.tally.claims += claims
        self._print(line, self.out)

    def present(self) -> None:
        self.tally.present += 1

    def failed(self, message: str) -> None:
        self.tally.failed += 1
        self._print(message, self.err)

    def close(self) -> None:
        if not self.quiet_summary:
            self._print(self.tally.summary(), self.err)

    def _print(self, line: str, stream: TextIO) -> None:
        print(line, file=stream, flush=True)


class LiveProgress(Progress):
    """A rich progress bar on the terminal: articles done of all, claims, failures, rate."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, \
            TimeElapsedColumn

        self.console = Console(file=self.err)
        self.bar = Bar(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[claims]} claims"),
                       TextColumn("{task.fields[failed]} failed"),
                       TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                       console=self.console, transient=False)
        self.task = None

    def start(self, total: int) -> None:
        super().start(total)
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=total, claims=0, failed=0, rate="")

    def _refresh(self) -> None:
        t = self.tally
        self.bar.update(self.task, completed=t.done, claims=t.claims, failed=t.failed,
                        rate=f"{t.rate():.2f} articles/s")

    def stored(self, line: str, claims: int) -> None:
        super().stored(line, claims)
        self._refresh()

    def present(self) -> None:
        super().present()
        self._refresh()

    def failed(self, message: str) -> None:
        super().failed(message)
        self._refresh()

    def close(self) -> None:
        if self.task is not None:
            self._refresh()
            self.bar.stop()
        super().close()

    def _print(self, line: str, stream: TextIO) -> None:
        if stream is self.out and not self.out.isatty():
            print(line, file=stream, flush=True)  # the per-article lines stay pipeable
        else:
            self.console.print(line, markup=False, highlight=False)


def reporter(*, many: bool, err: TextIO | None = None, out: TextIO | None = None) -> Progress:
    """A live bar on a terminal, the plain reporter elsewhere; a run of one input prints no
    summary (its one line, or its one error, says everything)."""
    err = err or sys.stderr
    if many and err.isatty():
        return LiveProgress(err=err, out=out)
    progress = Progress(err=err, out=out)
    progress.quiet_summary = not many
    return progress
