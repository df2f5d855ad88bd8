"""RDF/XML bodies may not declare a DTD or entities: "billion laughs" is refused with 400.

The entity tree here expands to a million characters only (not a billion), so that a
regression fails the test instead of exhausting the machine's memory.
"""

from __future__ import annotations

import pytest
import requests

from conftest import AUTH
from graph_service.errors import ParseError
from graph_service.rdfio import refuse_xml_declarations

RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/"'

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "aaaaaaaaaa">\n'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'
                    for i in range(5))
          + f']>\n<rdf:RDF {RDF}><rdf:Description rdf:about="http://example.org/x">'
          '<e:p>&f;</e:p></rdf:Description></rdf:RDF>')
EXTERNAL = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://example.org/x"><e:p>&x;</e:p>'
            '</rdf:Description></rdf:RDF>')
PLAIN = (f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://example.org/x"><e:p>v</e:p>'
         '</rdf:Description></rdf:RDF>')


def test_billion_laughs_is_small():
    assert len(LAUGHS.encode()) < 1000


@pytest.mark.parametrize("method, path, token", [("POST", "/api/validate", False),
                                                 ("POST", "/api/submissions", True),
                                                 ("PUT", "/store?graph=http://example.org/g", True)])
@pytest.mark.parametrize("body", [LAUGHS, EXTERNAL], ids=["internal", "external"])
def test_entity_declarations_are_refused(live_server, method, path, token, body):
    r = requests.request(method, live_server + path, data=body.encode(),
                         headers={"Content-Type": "application/rdf+xml",
                                  **(AUTH if token else {})}, timeout=30)
    assert r.status_code == 400, r.text[:300]
    assert "DOCTYPE or entity declarations" in r.json()["message"]
    assert requests.get(live_server + "/health", timeout=10).status_code == 200


def test_rdfxml_without_a_dtd_is_read(live_server):
    r = requests.put(live_server + "/store?graph=http://example.org/g", data=PLAIN.encode(),
                     headers={"Content-Type": "application/rdf+xml", **AUTH}, timeout=30)
    assert r.status_code == 201, r.text[:300]


def test_declarations_in_other_encodings_are_found():
    with pytest.raises(ParseError):
        refuse_xml_declarations(LAUGHS.replace('"1.0"', '"1.0" encoding="UTF-16"')
                                .encode("utf-16"))
    refuse_xml_declarations(PLAIN.encode("utf-16"))
