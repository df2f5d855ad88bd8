"""A provenance-first knowledge graph of North Korea's military cooperation with Russia.

Data flows one way: article -> mentions -> claims -> triples -> validated -> stored -> served.
Each step is a module of this package with one job; see docs/ARCHITECTURE.md.
"""

__version__ = "0.1.0"
