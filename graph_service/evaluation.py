"""Extraction quality: run extraction over a folder of articles and score the fact records it
gives against gold fact records with the project's scorer (``scorer``; matching rules in
docs/FACT-RECORDS.md).

A corpus folder holds splits (``dev/``, ``test/``), each with ``articles/`` and ``gold/``;
``run_eval`` scores one folder pair or each split of a corpus, with one extractor (``rules``,
``llm``, ``both``) or with ``each`` of them in turn (the model is asked once per article).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import scorer
from .articles import Article, load_article
from .errors import ArticleError, InputError
from .extraction import extract_many, facts

SPLITS = ("dev", "test")
EACH = ("rules", "llm", "both")


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


def _gold_articles(gold_dir: Path, articles_dir: Path) -> list[tuple[str, Article]]:
    _require_folders(gold_dir, articles_dir)
    out = []
    for gold in sorted(Path(gold_dir).glob("*.json")):
        path = Path(articles_dir) / f"{gold.stem}.txt"
        if not path.exists():
            raise ArticleError(f"gold file {gold.name} has no article beside it", where=str(path))
        out.append((gold.stem, load_article(path)))
    return out


def predictions(articles: list[Article], extractors: Sequence[str], *, client=None) -> dict[str, list[list]]:
    """Each extractor's claims of every article; the rules and the model each run once."""
    from .extraction.combine import merge

    rules = extract_many(articles, processes=1) if {"rules", "both"} & set(extractors) else None
    model = (extract_many(articles, extractor="llm", client=client)
             if {"llm", "both"} & set(extractors) else None)
    out = {}
    for name in extractors:
        out[name] = (rules if name == "rules" else model if name == "llm"
                     else [merge(r, m, a.id) for a, r, m in zip(articles, rules, model)])
    return out


def predict_folder(gold_dir: Path, articles_dir: Path, pred_dir: Path, *, extractor: str = "rules",
                   client=None) -> int:
    """Write ``<id>.json`` fact records for every article that has a gold file; return the count."""
    return _predict(gold_dir, articles_dir, {extractor: Path(pred_dir)}, client=client)


def _predict(gold_dir: Path, articles_dir: Path, out: dict[str, Path], *, client=None) -> int:
    pairs = _gold_articles(gold_dir, articles_dir)
    articles = [a for _, a in pairs]
    if list(out) == ["rules"]:  # the rules alone: one article at a time, as ``facts`` reads it
        records = {"rules": [facts(a) for a in articles]}
    else:
        records = {name: [[c.fact_record(article_id=a.id) for c in found] for a, found in zip(articles, claims)]
                   for name, claims in predictions(articles, list(out), client=client).items()}
    for name, per_article in records.items():
        out[name].mkdir(parents=True, exist_ok=True)
        for (stem, _), recs in zip(pairs, per_article):
            (out[name] / f"{stem}.json").write_text(json.dumps(recs, ensure_ascii=False, indent=1),
                                                    encoding="utf-8")
    return len(pairs)


def evaluate(gold_dir: Path, articles_dir: Path, pred_dir: Path | None = None, *,
             extractor: str = "rules", client=None) -> scorer.Scores:
    """Extract every article that has a gold file and score the records; they are kept in
    ``pred_dir`` when given (created if need be), else in a temporary folder."""
    return evaluate_each(gold_dir, articles_dir, pred_dir, extractors=(extractor,), client=client,
                         nest=False)[extractor]


def evaluate_each(gold_dir: Path, articles_dir: Path, pred_dir: Path | None = None, *,
                  extractors: Sequence[str] = EACH, client=None, nest: bool = True) -> dict[str, scorer.Scores]:
    """``evaluate`` for several extractors at once (records under ``pred_dir/<extractor>/``)."""
    gold_dir, articles_dir = Path(gold_dir), Path(articles_dir)
    _require_folders(gold_dir, articles_dir)
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        base = Path(pred_dir) if pred_dir is not None else Path(tmp)
        out = {name: base / name if nest else base for name in extractors}
        _predict(gold_dir, articles_dir, out, client=client)
        return {name: scorer.score(gold_dir, folder, articles_dir) for name, folder in out.items()}


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
             min_f1: float | None = None, extractor: str = "rules", client=None) -> int:
    """Extract and score, and print the report: over ``gold_dir`` and ``articles_dir``, or over
    each split of ``corpus`` (one table per split, titled with its name and article count;
    predictions kept under ``pred_dir/<split>/``, JSON keyed by split). ``extractor`` is
    ``rules``, ``llm``, ``both`` or ``each`` (the three in turn: one table each, predictions
    under ``<extractor>/``, JSON keyed by extractor inside the split).

    Returns 1 when ``min_f1`` is given and a strict F1 scored falls below it, else 0.
    """
    names = EACH if extractor == "each" else (extractor,)
    many = len(names) > 1
    results: dict[str, dict[str, scorer.Scores]] = {}
    if corpus is None:
        if gold_dir is None or articles_dir is None:
            raise InputError("give both a gold folder and an articles folder, or a corpus folder")
        targets = [("", Path(gold_dir), Path(articles_dir), pred_dir)]
    else:
        targets = [(s.name, s.gold, s.articles, Path(pred_dir) / s.name if pred_dir is not None else None)
                   for s in corpus_splits(corpus, splits)]
    for i, (split, gold, articles, out) in enumerate(targets):
        results[split] = scores = evaluate_each(gold, articles, out, extractors=names, client=client, nest=many)
        if as_json:
            continue
        for j, (name, score) in enumerate(scores.items()):
            title = " ".join(t for t in (f"{split} split:" if split else "", f"{name} extractor:" if many else "")
                             if t)
            if title:
                print(("\n" if i or j else "") + f"{title} {score.articles} articles")
            print(scorer.report(score, show_misses=show_misses), flush=True)
    if as_json:
        def body(scores: dict[str, scorer.Scores]) -> dict:
            if many:
                return {name: _as_json(s, show_misses) for name, s in scores.items()}
            return _as_json(next(iter(scores.values())), show_misses)

        data = body(results[""]) if corpus is None else {split: body(s) for split, s in results.items()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    if min_f1 is not None and any(s.strict.f < min_f1 for scores in results.values() for s in scores.values()):
        return 1
    return 0
