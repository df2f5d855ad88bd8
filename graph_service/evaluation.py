"""Extraction quality: run ``extract`` over a folder of articles and score it against gold
fact records with the evaluation kit's scorer (``scoring.py``, a copy of eval/score.py;
matching rules in eval/FORMAT.md).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from . import scoring
from .articles import load_article
from .errors import ArticleError, InputError
from .extraction import facts


def predict_folder(gold_dir: Path, articles_dir: Path, pred_dir: Path) -> int:
    """Write ``<id>.json`` fact records for every article that has a gold file; return the count."""
    for folder in (gold_dir, articles_dir):
        if not Path(folder).is_dir():
            raise InputError("not a folder", where=str(folder))
    n = 0
    for gold in sorted(Path(gold_dir).glob("*.json")):
        path = Path(articles_dir) / f"{gold.stem}.txt"
        if not path.exists():
            raise ArticleError(f"gold file {gold.name} has no article beside it", where=str(path))
        records = facts(load_article(path))
        (Path(pred_dir) / f"{gold.stem}.json").write_text(json.dumps(records, ensure_ascii=False, indent=1),
                                                         encoding="utf-8")
        n += 1
    return n


def score_folder(gold_dir: Path, articles_dir: Path) -> dict:
    """The scorer's figures for our extraction over ``articles_dir`` against ``gold_dir``:
    ``per_type``, ``total``, ``unquoted_predictions``, ``strict`` and ``grounded`` (each with
    ``p``, ``r``, ``f``), ``fields`` (agreement per field), and ``articles`` (how many)."""
    gold_dir, articles_dir = Path(gold_dir), Path(articles_dir)
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        n = predict_folder(gold_dir, articles_dir, Path(tmp))
        per_type, slots, _, unquoted = scoring.score(gold_dir, Path(tmp), articles_dir)
    tot = {k: sum(v[k] for v in per_type.values()) for k in ("gold", "pred", "grounded", "correct")}
    strict = scoring.prf(tot["correct"], tot["pred"], tot["gold"])
    grounded = scoring.prf(tot["grounded"], tot["pred"], tot["gold"])
    return {
        "articles": n,
        "per_type": per_type,
        "total": tot,
        "unquoted_predictions": unquoted,
        "strict": dict(zip("prf", strict)),
        "grounded": dict(zip("prf", grounded)),
        "fields": {s: (h / k if k else None) for s, (h, k) in slots.items()},
    }


def run_eval(gold_dir: Path, articles_dir: Path, *, pred_dir: Path | None = None,
             as_json: bool = False, show_misses: bool = False, min_f1: float | None = None) -> int:
    """Extract every article with a gold file and print the scorer's own report.

    Returns the scorer's exit status (1 when ``min_f1`` is given and not reached).
    """
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        out = Path(pred_dir or tmp)
        out.mkdir(parents=True, exist_ok=True)
        predict_folder(Path(gold_dir), Path(articles_dir), out)
        argv = ["--gold", str(gold_dir), "--pred", str(out), "--articles", str(articles_dir)]
        argv += ["--json"] * as_json + ["--show-misses"] * show_misses
        argv += ["--min-f1", str(min_f1)] if min_f1 is not None else []
        return scoring.main(argv)
