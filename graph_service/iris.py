"""Stable IRIs: derived from content, never from counters or clocks.

Every IRI the graph mints lives under ``BASE``; the web layer maps request paths under
``/id/`` and ``/graph/`` back onto it, so that each one dereferences from a running service.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

BASE = "https://w3id.org/nkru/"
ONTOLOGY = BASE + "ontology#"          # classes and properties (prefix kg:)
ONTOLOGY_IRI = BASE + "ontology"        # the owl:Ontology itself
ID = BASE + "id/"                      # minted resources
GRAPH = BASE + "graph/"                # named graphs

# Named graphs that are not article graphs.
ONTOLOGY_GRAPH = GRAPH + "ontology"
ENTITIES_GRAPH = GRAPH + "entities"    # reference entities with labels and aliases
SHAPES_GRAPH = GRAPH + "shapes"
EVENTS_GRAPH = GRAPH + "events"        # cross-article event clusters (corroboration)
LINKS_GRAPH = GRAPH + "links"          # Wikidata links with their provenance
CURATED_LINKS_GRAPH = GRAPH + "links/curated"  # links verified by people (ontology/wikidata-curated.ttl)
SYNDICATION_GRAPH = GRAPH + "syndication"  # near-duplicate articles (kg:copyOf)
SUBMISSIONS_GRAPH = GRAPH + "submissions"  # submission records (status, submitter)
BUILD_GRAPH = GRAPH + "build"          # what the store was built with: the claim IRI scheme


def digest(*parts: object, length: int = 16) -> str:
    """A short hex digest of the parts, stable across runs and machines."""
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def slug(text: str) -> str:
    """``"Kim Jong Un"`` -> ``"kim-jong-un"``: lower-case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text or digest(text, length=8)


def article_id(text: str) -> str:
    """An article's id: the digest of its text, so that the same article keeps its IRI."""
    return digest(text)


def article_iri(aid: str) -> str:
    return f"{ID}article/{aid}"


def article_graph(aid: str) -> str:
    return f"{GRAPH}article/{aid}"


def entity_iri(label: str) -> str:
    """A named entity (state, person, body, place, treaty, outlet) by its canonical label."""
    return f"{ID}entity/{slug(label)}"


def source_iri(aid: str, description: str) -> str:
    """An anonymous source ("a government official") is only known within one article."""
    return f"{ID}source/{aid}-{slug(description)}"


# The version of the claim identity scheme (``Claim.identity``): 2 since the claimer, the
# outlets and the status are part of a claim's identity. A store built under another scheme
# is rebuilt (``pipeline.build``), since its claim IRIs differ.
CLAIM_IRI_SCHEME = 2


def claim_iri(aid: str, *key: object) -> str:
    return f"{ID}claim/{digest(aid, CLAIM_IRI_SCHEME, *key)}"


def extractor_iri(name: str, version: str, model: str | None = None) -> str:
    """One extractor at one version (and, for a language model, one model): the
    prov:Activity that claims point to with prov:wasGeneratedBy."""
    return f"{ID}extractor/{slug(name)}-{slug(version)}" + (f"-{digest(model, length=8)}" if model else "")


def event_iri(*key: object) -> str:
    """A real-world event that several claims (maybe in several articles) report."""
    return f"{ID}event/{digest(*key)}"


def page_iri(sha256: str) -> str:
    """A saved or fetched page (or feed), by the digest of its raw bytes."""
    return f"{ID}page/{sha256[:16]}"


def syndication_iri(copy: str, original: str) -> str:
    """The record of one article being a copy of another."""
    return f"{ID}syndication/{digest(copy, original)}"


def submission_iri(content_digest: str) -> str:
    return f"{ID}submission/{content_digest}"


def submission_graph(content_digest: str) -> str:
    return f"{GRAPH}submission/{content_digest}"


def local_part(iri: str) -> str | None:
    """``https://w3id.org/nkru/id/claim/ab12`` -> ``id/claim/ab12``; None outside BASE."""
    return iri[len(BASE):] if iri.startswith(BASE) else None
