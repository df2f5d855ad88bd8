"""Extraction: article -> parse -> mentions -> frames -> claims.

* ``model``: the trained spaCy pipeline with our sentence and entity-ruler components;
* ``entities``: named entities resolved to reference entities or new ones;
* ``frames``: one module per event type, reading roles from dependency arcs;
* ``attribution``: reporting frames (who says it, through which outlet);
* ``quantities`` and ``timex``: numbers with their hedges, dates against the publication date;
* ``assemble``: frames + attribution + status + time -> ``Claim``;
* ``lexicons/``: the trigger, item and reporting word lists, as data;
* ``chat``, ``llm``, ``grounding``, ``combine``: the optional language-model extractor (a client
  for an OpenAI-compatible endpoint, the prompt and its windows, the gate that proves each
  proposed record against the text, and the merge of two extractors' claims).

``extract`` reads one article; ``extract_many`` reads many through ``nlp.pipe`` and, given
several processes, on every core. With ``extractor="llm"`` or ``"both"`` and a
``chat.ChatClient``, the model's grounded claims replace or join the rules' claims; every claim
names the extractors that found it (``Claim.generated_by``).

May import: the core modules at the top of the package (``articles``, ``claims``, ``errors``,
``gazetteer``, ``resources``, ``vocab``). Never ``store``, ``validation``, ``linking``, ``web``,
``pipeline`` or ``cli``: extraction reads text and knows nothing of where claims are kept
(``tests/test_layout.py`` checks this).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from dataclasses import replace

from .. import __version__
from ..articles import Article
from ..claims import Claim, Extractor
from ..errors import InputError
from .assemble import claims_of
from .model import ModelMissing, load_model, model_name, parse, parse_many

EXTRACTORS = ("rules", "llm", "both")

__all__ = ["EXTRACTORS", "RULES", "ModelMissing", "extract", "extract_many", "facts", "load_model", "model_name"]

RULES = Extractor("rules", __version__)


def _ruled(claims: list[Claim]) -> list[Claim]:
    return [replace(c, generated_by=(RULES,)) for c in claims]


def extract(article: Article) -> list[Claim]:
    """Claims of one article, in text order."""
    if not article.text or not article.text.strip():
        return []
    return _ruled(claims_of(parse(article.text), article))


def facts(article: Article) -> list[dict]:
    """The article's claims as FORMAT.md fact records."""
    return [c.fact_record(article_id=article.id) for c in extract(article)]


def _extract_chunk(articles: list[Article]) -> list[list[Claim]]:
    texts = [a.text or "" for a in articles]
    return [_ruled(claims_of(doc, a)) if (a.text or "").strip() else []
            for a, doc in zip(articles, parse_many(texts))]


def workers(requested: int | None = None) -> int:
    """How many processes to use: the request, else every core this process may run on."""
    if requested:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_many(articles: list[Article], *, processes: int | None = None, extractor: str = "rules",
                 client=None) -> list[list[Claim]]:
    """Claims of many articles, in order. ``extractor``: ``rules`` (the default), ``llm`` (the
    model's proposals that pass the grounding gate; needs ``client``, a ``chat.ChatClient``) or
    ``both`` (merged: a fact both found is one claim)."""
    if extractor not in EXTRACTORS:
        raise InputError(f"unknown extractor {extractor!r}: choose one of {', '.join(EXTRACTORS)}")
    if extractor != "rules" and client is None:
        raise InputError(f"--extractor {extractor} needs a model endpoint (--llm-endpoint, --llm-model)")
    articles = list(articles)
    ruled = _rules_many(articles, processes) if extractor != "llm" else None
    if extractor == "rules":
        return ruled
    from .combine import merge
    from .llm import read_many

    grounded = [r.claims for r in read_many(articles, client)]
    if ruled is None:
        return grounded
    return [merge(r, g, a.id) for a, r, g in zip(articles, ruled, grounded)]


def _rules_many(articles: list[Article], processes: int | None) -> list[list[Claim]]:
    """The rules' claims: batched through ``nlp.pipe``, split over processes when there are
    enough articles to pay for starting them."""
    n = min(workers(processes), max(1, len(articles) // 8))
    if n <= 1:
        return _extract_chunk(articles)
    load_model()  # fail here, with the install hint, rather than in a worker
    size = -(-len(articles) // n)
    chunks = [articles[i:i + size] for i in range(0, len(articles), size)]
    with ProcessPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(_extract_chunk, chunks))
    return [claims for chunk in results for claims in chunk]
