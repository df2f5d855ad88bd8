"""Validation: what must hold before anything enters the graph.

Owns the SHACL shapes (``shapes``: loading ``shapes/*.ttl``, pySHACL for SHACL Core, Oxigraph
for SHACL-SPARQL constraints, reports with focus node, path and shape) and user submissions
(``submissions``: fact records or RDF, checked with the shapes against the part of the stored
graph they touch, staged, accepted or rejected).

May import: ``store`` and the core modules at the top of the package (``articles``, ``claims``,
``rdfize``, ``rdfio``, ``formats``, ``errors``, ``iris``, ``vocab``, ``resources``,
``sparqltext``). Never ``web``, ``linking``, ``extraction``, ``pipeline`` or ``cli``.
"""
