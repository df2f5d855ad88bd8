"""Where the project's data files live: ontology/, shapes/ and seeds/ at the top of the repo."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("KG_HOME") or Path(__file__).resolve().parents[1])
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
SEEDS_DIR = ROOT / "seeds"

ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
ENTITIES_FILE = ONTOLOGY_DIR / "entities.ttl"
CURATED_LINKS_FILE = ONTOLOGY_DIR / "wikidata-curated.ttl"
