"""The API's SPARQL queries, one ``.rq`` file each, read once.

Values never enter the text: callers bind variables of the projection with
``Store.query(..., bindings=...)``. Each file's header says which variables it expects.
"""

from __future__ import annotations

import functools
from pathlib import Path

HERE = Path(__file__).parent


@functools.cache
def load(name: str) -> str:
    """The text of ``<name>.rq``."""
    return (HERE / f"{name}.rq").read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.rq"))
