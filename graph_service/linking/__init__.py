"""Linking: the graph's entities and claims joined with outside knowledge.

Owns Wikidata reconciliation (``wikidata``: ``owl:sameAs`` links with their provenance in
``graph/links``, curated links never overridden), federation (``federation``: SPARQL
``SERVICE`` calls to allowlisted endpoints, bounded, their answers joined in) and the export
of claims as Wikibase-style statements (``wikibase_export``).

May import: ``store`` and the core modules at the top of the package (``errors``, ``iris``,
``rdfize``, ``resources``, ``sparqltext``, ``vocab``). Never ``web``, ``validation``,
``extraction``, ``pipeline`` or ``cli``.
"""
