"""``kg submit FILE --url URL --token T``: send a file to a running service's /api/submissions.

The Content-Type comes from the file's extension: ``.json`` is a list of fact records
(``eval/FORMAT.md``), every other extension is looked up in ``RDFFormat`` (``.jsonld`` for
JSON-LD). Exit codes: 0 stored (or stored before), 1 refused with violations, 2 bad input,
refused for another reason, or the service cannot be reached.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import TextIO

from .errors import KGError
from .formats import RDFFormat
from .rdfio import read_bytes

FACT_RECORDS = "application/json"
TIMEOUT = 120  # seconds; validation of a large submission takes a while


def media_type_for(path: Path) -> str:
    """``.json`` -> fact records; otherwise the RDF format of the extension (or UnsupportedFormat)."""
    if path.suffix.lower() == ".json":
        return FACT_RECORDS
    return RDFFormat.from_path(str(path)).media_type


def post_submission(data: bytes, media_type: str, *, url: str, token: str) -> tuple[int, dict]:
    """POST a body to ``URL/api/submissions``; (status, JSON answer). OSError if unreachable."""
    request = urllib.request.Request(
        url.rstrip("/") + "/api/submissions", data=data, method="POST",
        headers={"Content-Type": media_type, "Authorization": f"Bearer {token}",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as err:
        body = err.read()
        try:
            return err.code, json.loads(body)
        except ValueError:
            return err.code, {"message": body.decode("utf-8", "replace")[:500]}


def submit_file(path: Path, *, url: str, token: str, out: TextIO | None = None) -> int:
    """Send ``path``; print what happened; return the exit code (0, 1 or 2)."""
    out = out or sys.stdout
    try:
        data = read_bytes(path)
        media_type = media_type_for(path)
    except KGError as err:
        print(f"{path}: {err}", file=out)
        return 2
    try:
        status, answer = post_submission(data, media_type, url=url, token=token)
    except (OSError, ValueError) as err:  # URLError is an OSError; ValueError: a malformed URL
        print(f"{path}: cannot reach {url}: {getattr(err, 'reason', err)}", file=out)
        return 2
    if status in (200, 201):
        what = "stored" if status == 201 else "already stored (same content)"
        print(f"{path}: {what} as {answer.get('iri')} ({answer.get('status', 'pending')})", file=out)
        return 0
    if status == 422:
        violations = answer.get("violations", [])
        print(f"{path}: refused: {len(violations)} violation(s)", file=out)
        for v in violations:
            print(f"- focus {v.get('focus')}  path {v.get('path')}\n  {v.get('message')}"
                  + (f" (value {v['value']})" if v.get("value") else ""), file=out)
        return 1
    where = ""
    if answer.get("line") is not None:
        where = f" (line {answer['line']}, column {answer.get('column')})"
    print(f"{path}: refused with HTTP {status}: {answer.get('message', answer)}{where}", file=out)
    return 2
