"""Reading W3C protocol manifests (HTTP-in-RDF vocabulary) into plain test cases, with rdflib.

Shared by ``test_sparql_protocol_w3c.py`` and ``test_gsp_w3c.py``. The data comes from
``tests/data/w3c`` (see its README for the origin and licence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

W3C_DATA = Path(__file__).parent / "data" / "w3c"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

_STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404},
           "StatusCode2xx": set(range(200, 300)), "StatusCode3xx": set(range(300, 400)),
           "StatusCode4xx": set(range(400, 500))}


@dataclass
class Expected:
    statuses: set[int]
    format: str | None = None           # "boolean", "tabular" or "RDF" (protocol tests)
    boolean: bool | None = None
    content_type: str | None = None     # exact header value (graph store tests)
    body: str | None = None             # Turtle the response must be isomorphic to
    capture_location: bool = False


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass
class Case:
    name: str
    title: str
    requests: list[Request]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)  # (file, graph IRI)


def load_cases(manifest: Path) -> list[Case]:
    g = Graph().parse(manifest, format="turtle")
    (root,) = list(g.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(g, g.value(root, MF.entries)):
        action = g.value(entry, MF.action)
        requests = [_request(g, r) for r in Collection(g, g.value(action, HT.requests))]
        data = [(manifest.parent / Path(str(g.value(d, UT.graph))).name, str(g.value(d, RDFS.label)))
                for d in g.objects(entry, UT.graphData)]
        cases.append(Case(str(entry).rsplit("#", 1)[-1], str(g.value(entry, MF.name)),
                          requests, sorted(data)))
    return cases


def _headers(g: Graph, node) -> dict[str, str]:
    if node is None:
        return {}
    return {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
            for h in Collection(g, node)}


def _request(g: Graph, node) -> Request:
    body = g.value(node, HT.body)
    data = None
    if body is not None:
        encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(g.value(body, CNT.chars)).encode(encoding)
    resp = g.value(node, HT.resp)
    statuses = set()
    for code in g.objects(resp, MF.expectedStatus):
        statuses |= _STATUS[str(code).rsplit("#", 1)[-1]]
    fmt = g.value(resp, MF.expectedFormat)
    boolean = g.value(resp, MF.expectedBoolean)
    resp_body = g.value(resp, HT.body)
    expected = Expected(
        statuses=statuses,
        format=str(fmt) if fmt is not None else None,
        boolean=boolean.toPython() if boolean is not None else None,
        content_type=_headers(g, g.value(resp, HT.headers)).get("content-type"),
        body=str(g.value(resp_body, CNT.chars)) if resp_body is not None else None,
        capture_location=g.value(resp, MF.expectedLocation) is not None,
    )
    return Request(str(g.value(node, HT.methodName)), str(g.value(node, HT.absolutePath)),
                   _headers(g, g.value(node, HT.headers)), data, expected)
