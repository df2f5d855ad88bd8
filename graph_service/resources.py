"""Where the project's data files live: ontology/, shapes/ and seeds/.

In a checkout (and an editable install) they are the folders at the top of the repository, the
one copy that is edited. A built package (a wheel, ``pip install .``) carries ``ontology/`` and
``shapes/`` in ``graph_service/_data/``, copied there by the build (``setup.py``); it does not
carry the seed articles, so ``kg build`` needs ``--seeds`` there. ``KG_HOME`` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SHIPPED = PACKAGE / "_data"   # present in a built package only


def _root() -> Path:
    if os.environ.get("KG_HOME"):
        return Path(os.environ["KG_HOME"])
    return SHIPPED if SHIPPED.is_dir() else PACKAGE.parent


ROOT = _root()
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
SEEDS_DIR = ROOT / "seeds"

ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
ENTITIES_FILE = ONTOLOGY_DIR / "entities.ttl"
CURATED_LINKS_FILE = ONTOLOGY_DIR / "wikidata-curated.ttl"
