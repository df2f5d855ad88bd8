"""Extraction quality: run extraction over a folder of articles and score the fact records it
gives against gold fact records with the project's scorer (``scorer``; matching rules in
docs/FACT-RECORDS.md).

A corpus folder holds splits (``dev/``, ``test/``), each with ``articles/`` and ``gold/``;
``run_eval`` scores one folder pair or each split of a corpus.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import scorer
from .articles import load_article
from .errors import ArticleError, InputError
from .extraction import facts

SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Split:
    """One split of a corpus: its name and its gold and articles folders."""

    name: str
    gold: Path
    articles: Path


def _require_folders(*folders: Path) -> None:
    for folder in folders:
        if not Path(folder).is_dir():
            raise InputError("not a folder", where=str(folder))


def predict_folder(gold_dir: Path, articles_dir: Path, pred_dir: Path) -> int:
    """Write ``<id>.json`` fact records for every article that has a gold file; return the count."""
    _require_folders(gold_dir, articles_dir)
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


def evaluate(gold_dir: Path, articles_dir: Path, pred_dir: Path | None = None) -> scorer.Scores:
    """Extract every article that has a gold file and score the records; they are kept in
    ``pred_dir`` when given (created if need be), else in a temporary folder."""
    gold_dir, articles_dir = Path(gold_dir), Path(articles_dir)
    _require_folders(gold_dir, articles_dir)
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        out = Path(pred_dir) if pred_dir is not None else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        predict_folder(gold_dir, articles_dir, out)
        return scorer.score(gold_dir, out, articles_dir)


def score_folder(gold_dir: Path, articles_dir: Path) -> dict:
    """The scorer's figures for our extraction over ``articles_dir`` against ``gold_dir``:
    ``per_type``, ``total``, ``unquoted_predictions``, ``strict`` and ``grounded`` (each with
    ``p``, ``r``, ``f``), ``fields`` (agreement per field), and ``articles`` (how many)."""
    scores = evaluate(gold_dir, articles_dir)
    return {"articles": scores.articles, **scores.to_json()}


def corpus_splits(corpus: Path, names: Sequence[str] | None = None) -> list[Split]:
    """The splits of ``corpus`` to score: those named (each must be there), else every one of
    ``SPLITS`` that is there. Each split's ``gold/`` and ``articles/`` must exist."""
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise InputError("no corpus folder here (expected dev/ and test/, each with articles/ "
                         "and gold/)", where=str(corpus))
    if names:
        for name in names:
            if not (corpus / name).is_dir():
                raise InputError(f"the corpus has no {name} split", where=str(corpus / name))
    else:
        names = [name for name in SPLITS if (corpus / name).is_dir()]
        if not names:
            raise InputError(f"the corpus has none of the splits {', '.join(SPLITS)}",
                             where=str(corpus))
    splits = [Split(name, corpus / name / "gold", corpus / name / "articles") for name in names]
    _require_folders(*(folder for s in splits for folder in (s.gold, s.articles)))
    return splits


def _as_json(scores: scorer.Scores, show_misses: bool) -> dict:
    body = {"articles": scores.articles, **scores.to_json()}
    if show_misses:
        body["misses"] = [m.as_dict() for m in scores.misses]
    return body


def run_eval(gold_dir: Path | None = None, articles_dir: Path | None = None, *,
             corpus: Path | None = None, splits: Sequence[str] | None = None,
             pred_dir: Path | None = None, as_json: bool = False, show_misses: bool = False,
             min_f1: float | None = None) -> int:
    """Extract and score, and print the report: over ``gold_dir`` and ``articles_dir``, or over
    each split of ``corpus`` (one table per split, titled with its name and article count;
    predictions kept under ``pred_dir/<split>/``, JSON keyed by split).

    Returns 1 when ``min_f1`` is given and a strict F1 scored falls below it, else 0.
    """
    results: dict[str, scorer.Scores] = {}
    if corpus is None:
        if gold_dir is None or articles_dir is None:
            raise InputError("give both a gold folder and an articles folder, or a corpus folder")
        results[""] = scores = evaluate(gold_dir, articles_dir, pred_dir)
        print(json.dumps(_as_json(scores, show_misses), indent=2, ensure_ascii=False) if as_json
              else scorer.report(scores, show_misses=show_misses))
    else:
        for i, split in enumerate(corpus_splits(corpus, splits)):
            out = Path(pred_dir) / split.name if pred_dir is not None else None
            results[split.name] = scores = evaluate(split.gold, split.articles, out)
            if not as_json:
                print(("\n" if i else "") + f"{split.name} split: {scores.articles} articles")
                print(scorer.report(scores, show_misses=show_misses), flush=True)
        if as_json:
            print(json.dumps({name: _as_json(s, show_misses) for name, s in results.items()},
                             indent=2, ensure_ascii=False))
    if min_f1 is not None and any(s.strict.f < min_f1 for s in results.values()):
        return 1
    return 0
