"""A wheel that works away from the checkout: build it, install it into a fresh virtual
environment in a temporary folder, build the graph from the seeds with its ``kg`` and serve it.

The ontology and the shapes live at the top of the repository; the build copies them into the
package (setup.py). Nothing here may read the checkout: the commands run from the temporary
folder, with no ``KG_HOME`` and no ``PYTHONPATH``. The dependencies are the test environment's,
reached through a path file, and ``pip check`` confirms that they meet what the wheel declares.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).parents[1]
# What a source tree holds that a build does not need (or that is this machine's, not the repo's).
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "data", "build", "dist", "*.egg-info",
                                    "__pycache__", ".pytest_cache", "out", "tests", "bench")

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _run(args: list, *, cwd: Path, env: dict, timeout: int = 600) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv, away from the checkout, with the wheel built from a copy of the source."""
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items()
           if k not in ("KG_HOME", "PYTHONPATH", "VIRTUAL_ENV", "KG_STORE")}
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
          work / "dist", source], cwd=work, env=env)
    wheel = next((work / "dist").glob("graph_service-*.whl"))
    shutil.rmtree(source)  # the installed package must not find a checkout to fall back on
    venv.EnvBuilder(with_pip=True).create(work / "venv")
    python = work / "venv" / "bin" / "python"
    # The dependencies (and the model) are the ones the tests run with, seen through a path
    # file: unpacking spaCy, pandas and the rest again would only time pip. A path file adds
    # the folder but runs none of its own path files, so the checkout's editable install stays
    # out of sight; the wheel itself is installed into the new environment, and pip checks
    # that what it declares is met.
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   cwd=work, env=env).strip()
    Path(purelib, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([python, "-m", "pip", "install", "--quiet", "--no-compile", "--no-deps", wheel], cwd=work, env=env)
    _run([python, "-m", "pip", "check"], cwd=work, env=env)
    return work, env


def test_the_wheel_carries_the_ontology_and_the_shapes(installed):
    work, env = installed
    out = _run([work / "venv" / "bin" / "python", "-c",
                "import graph_service.resources as r; print(r.ROOT); "
                "print(r.ONTOLOGY_FILE.is_file(), r.SHAPES_DIR.is_dir(), r.ENTITIES_FILE.is_file())"],
               cwd=work, env=env)
    root, found = out.splitlines()
    assert Path(root).is_relative_to(work / "venv") and found == "True True True"


def test_the_installed_kg_builds_and_serves_the_seeds(installed):
    work, env = installed
    kg = work / "venv" / "bin" / "kg"
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    store = work / "store"
    out = _run([kg, "build", "--seeds", seeds, "--store", store], cwd=work, env=env)
    assert "articles 5" in out and "validation: conforms" in out, out
    port = _free_port()
    server = subprocess.Popen([str(kg), "serve", "--store", str(store), "--port", str(port)],
                              cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/health", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "kg serve did not answer within 60 s"
            time.sleep(0.5)
        answer = requests.get(base + "/sparql", timeout=30, headers={
            "Accept": "application/sparql-results+json"}, params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/nkru/ontology#Claim> }"})
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 50
        claims = requests.get(base + "/api/claims", params={"type": "casualties"}, timeout=60)
        assert claims.status_code == 200 and claims.json()["total"] > 0
        page = requests.get(base + "/query", timeout=30)  # templates and vendored static files
        assert page.status_code == 200 and "yasgui" in page.text
        vendored = requests.get(base + "/static/yasgui-4.6.2/yasgui.min.js", timeout=30)
        assert vendored.status_code == 200 and len(vendored.content) > 100_000
    finally:
        server.terminate()
        server.wait(timeout=30)
