"""A bounded schemathesis run against a real server: every GET operation of the JSON API
(/api/…, /health), with generated parameters, and schemathesis's checks on (no 5xx, status
codes, content types and bodies as the OpenAPI document says, invalid input refused, valid
input accepted)."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402  (schemathesis brings it)

from graph_service.formats import RDFFormat  # noqa: E402
from graph_service.store import OxigraphStore  # noqa: E402
from graph_service.web import create_app  # noqa: E402
from graph_service.web.openapi import DOCUMENT  # noqa: E402
from serving import serving  # noqa: E402

FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"

schema = schemathesis.openapi.from_path(str(DOCUMENT)).include(
    path_regex=r"^/(api/[a-z]+(/\{id\})?|health)$", method="GET")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("schemathesis") / "store")
    store.bulk_load(FIXTURE.read_bytes(), RDFFormat.TRIG)
    with serving(create_app({"TESTING": True}, store=store)) as url:
        yield url
    store.close()


@pytest.mark.server
@schema.parametrize()
@settings(max_examples=5, phases=[Phase.generate], deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_json_api_conforms_to_its_document(case, server):
    case.call_and_validate(base_url=server)
