"""Wire credits: "(Reuters)", "(AP) —", "— AFP", "(Yonhap)": the agency whose copy an
outlet ran. Two outlets that run one agency's story are one source, not two
(``events.original_source``). The agencies and the credit forms are data
(``wire_credits.toml``); a name in running text ("Yonhap reported") is not a credit.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

CREDITS_FILE = Path(__file__).with_name("wire_credits.toml")
HEAD_LINES = 12  # datelines and bylines sit at the top; sign-offs at the bottom


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], tuple[re.Pattern, ...]]:
    with CREDITS_FILE.open("rb") as f:
        data = tomllib.load(f)
    names = {credit: a["label"] for a in data["agency"] for credit in a["credits"]}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    forms = tuple(re.compile(p.replace("{credit}", alternatives))
                  for p in data["forms"]["patterns"])
    return names, forms


def wire_credit(text: str) -> str | None:
    """The label of the agency the text credits as its origin, or None.

    Only the first and last lines with text are read, where datelines, bylines and sign-offs
    stand; the first credit found wins.
    """
    names, forms = _table()
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines[:HEAD_LINES] + lines[-3:]:
        for form in forms:
            m = form.search(line)
            if m:
                return names[m.group("credit")]
    return None
