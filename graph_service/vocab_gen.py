"""Generate ``graph_service/vocab.py`` from ``ontology/kg.ttl`` (and ``ontology/links.ttl``).

The generated module follows rdflib's own namespace modules (``rdflib/namespace/_PROV.py``):
one ``DefinedNamespace`` class whose annotations are the terms, so that code writes
``KG.Claim`` and a typo fails at import time instead of minting a wrong IRI.
Run ``python -m graph_service.vocab`` after editing the ontology; ``tests/test_vocab.py``
fails while the generated module is stale.
"""

from __future__ import annotations

import keyword
import textwrap
from pathlib import Path

import rdflib
from rdflib.namespace import RDFS, SKOS

from . import resources

KG_NS = "https://w3id.org/nkru/ontology#"
ONTOLOGY_DIR = resources.ONTOLOGY_DIR
ONTOLOGY_FILE = resources.ONTOLOGY_FILE
# Files that declare kg: terms. links.ttl holds the terms of the Wikidata links graph.
VOCAB_FILES = ("kg.ttl", "links.ttl")
TARGET = Path(__file__).resolve().with_name("vocab.py")
# Namespaces that rdflib has no module for; their IRIs come from the ontology's prefixes.
EXTRA_PREFIXES = ("oa", "sem", "wd")


def terms(graph: rdflib.Graph) -> list[tuple[str, str]]:
    """(local name, one-line description) for every IRI in the kg: namespace, sorted."""
    names = {str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef)
             and str(s).startswith(KG_NS) and len(str(s)) > len(KG_NS)}
    out = []
    for iri in sorted(names, key=lambda i: i[len(KG_NS):]):
        node = rdflib.URIRef(iri)
        label = graph.value(node, RDFS.label) or graph.value(node, SKOS.prefLabel) or ""
        definition = graph.value(node, RDFS.comment) or graph.value(node, SKOS.definition) or ""
        out.append((iri[len(KG_NS):], " ".join(f"{label}: {definition}".split())))
    return out


def render(graph: rdflib.Graph) -> str:
    """The text of vocab.py for this ontology graph."""
    prefixes = dict(graph.namespaces())
    lines = [
        '"""The kg: vocabulary, GENERATED from ontology/kg.ttl and links.ttl: do not edit by hand.',
        "",
        "Regenerate with ``python -m graph_service.vocab``.",
        '"""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
    ]
    for prefix in EXTRA_PREFIXES:
        lines.append(f'{prefix.upper()} = Namespace("{prefixes[prefix]}")')
    lines += ["", "", "class KG(DefinedNamespace):",
              '    """NK–RU cooperation ontology (https://w3id.org/nkru/ontology)."""', ""]
    for name, doc in terms(graph):
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"ontology/kg.ttl: kg:{name} is not a Python identifier; rename it")
        for comment in textwrap.wrap(doc, width=92):
            lines.append(f"    # {comment}")
        lines.append(f"    {name}: URIRef")
    lines += ["", f'    _NS = Namespace("{KG_NS}")', "    _fail = True", "", "",
              'if __name__ == "__main__":',
              "    from graph_service.vocab_gen import main",
              "",
              "    main()", ""]
    return "\n".join(lines)


def vocabulary_graph(folder: Path = ONTOLOGY_DIR) -> rdflib.Graph:
    """kg.ttl plus the other files that declare kg: terms (those present)."""
    g = rdflib.Graph()
    for name in VOCAB_FILES:
        if (folder / name).exists():
            g.parse(folder / name, format="turtle")
    return g


def generate(folder: Path = ONTOLOGY_DIR) -> str:
    return render(vocabulary_graph(folder))


def main() -> None:
    TARGET.write_text(generate(), encoding="utf-8")
    print(f"wrote {TARGET.name} from {', '.join(VOCAB_FILES)}")


if __name__ == "__main__":
    main()
