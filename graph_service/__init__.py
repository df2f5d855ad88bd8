"""A provenance-first knowledge graph of North Korea's military cooperation with Russia.

Data flows one way: article -> mentions -> claims -> triples -> validated -> stored -> served.
Each step is a module with one job, and the steps that have several are packages:
``extraction`` (article -> claims), ``validation`` (shapes, submissions), ``store`` (the stores
and their read models), ``linking`` (Wikidata, federation, Wikibase export) and ``web``. The
core modules (``articles``, ``claims``, ``rdfize``, ``iris``, ``vocab`` ...), the pipeline and
the ``kg`` command sit at the top. Each package's ``__init__`` says what it may import; see
docs/ARCHITECTURE.md for the rule and tests/test_layout.py for the check.
"""

__version__ = "0.1.0"
