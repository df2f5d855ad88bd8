"""The licence is declared where packaging tools and readers look for it, and every vendored
file served by the pages is credited in THIRD_PARTY.md with its licence."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
STATIC = ROOT / "graph_service" / "web" / "static"
OWN_STATIC = {"api-docs.js", "claim.js", "query.js", "style.css"}


def test_the_licence_is_apache_2_and_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
    assert "LICENSE" in project["license-files"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "SPDX-License-Identifier: Apache-2.0" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_vendored_static_file_is_credited():
    credits = (ROOT / "THIRD_PARTY.md").read_text(encoding="utf-8")
    vendored = sorted(p.name for p in STATIC.iterdir() if p.name not in OWN_STATIC)
    assert vendored, "expected vendored files in web/static"
    missing = [name for name in vendored if f"`{name}" not in credits]
    assert not missing, f"not credited in THIRD_PARTY.md: {missing}"


def test_third_party_lists_the_test_data_and_the_model_with_their_licences():
    credits = (ROOT / "THIRD_PARTY.md").read_text(encoding="utf-8")
    assert "tests/data/w3c/" in credits and "3-clause BSD" in credits
    assert "en_core_web_sm" in credits and "MIT" in credits
    for license_file in ("yasgui-4.6.2/LICENSE", "swagger-ui-5.35.0/LICENSE"):
        assert license_file in credits
        assert (STATIC / license_file).is_file()
