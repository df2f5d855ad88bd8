"""Ingest: what analysts have (text files, saved pages, feeds, URLs) -> articles -> the store.

* ``sources``: inputs by kind (one extension table), folders walked, each a pending article;
* ``inputs``: the command line's paths, URLs and feeds as pending articles;
* ``fetch``: a polite HTTP client (robots.txt, per-host delay, bounds, conditional requests);
* ``webpage``: a page's main text and metadata (trafilatura), its date (htmldate);
* ``feeds``: RSS and Atom (feedparser);
* ``boilerplate`` and ``wire``: debris lines to skip and wire credits, patterns as data;
* ``run``: one run over many inputs: bad ones skipped by name, stored ones skipped on resume;
* ``progress``: a live bar on a terminal, a summary line elsewhere.

This package comes before ``articles`` is handed to the pipeline: it imports ``articles``,
``pipeline`` and ``extraction``'s public API, and nothing after them but ``syndication``
(through ``pipeline.refresh_links``).
"""
