"""The package layout keeps data flowing one way (docs/ARCHITECTURE.md): a contract per
package says which parts of ``graph_service`` it must never import, checked on the source with
``ast`` (imports inside functions count too). The store package has no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "graph_service"

# package -> what it must never import (each a module or package of graph_service)
CONTRACTS = {
    "graph_service.extraction": ("graph_service.store", "graph_service.web",
                                 "graph_service.validation", "graph_service.linking",
                                 "graph_service.pipeline", "graph_service.cli"),
    "graph_service.store": ("graph_service.web", "graph_service.validation",
                            "graph_service.linking", "graph_service.extraction",
                            "graph_service.pipeline", "graph_service.cli"),
    "graph_service.validation": ("graph_service.web", "graph_service.linking",
                                 "graph_service.extraction", "graph_service.pipeline",
                                 "graph_service.cli"),
    "graph_service.linking": ("graph_service.web", "graph_service.validation",
                              "graph_service.extraction", "graph_service.pipeline",
                              "graph_service.cli"),
    "graph_service.web": ("graph_service.pipeline", "graph_service.cli"),
}
# The core modules at the top, which every step uses, import no package and no glue.
CORE = ("articles", "claims", "errors", "formats", "gazetteer", "iris", "nesting", "outbound",
        "query_output", "rdfio", "rdfize", "resources", "sandbox", "sparqltext", "vocab",
        "vocab_gen")
CONTRACTS |= {f"graph_service.{m}": ("graph_service.store", "graph_service.web",
                                     "graph_service.validation", "graph_service.linking",
                                     "graph_service.extraction", "graph_service.pipeline",
                                     "graph_service.cli") for m in CORE}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, *, is_package: bool) -> set[str]:
    """The graph_service modules (or names in them) that ``source`` imports, anywhere in it."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return {f for f in found if f.split(".")[0] == "graph_service"}


def top_level_imports(source: str, module: str, *, is_package: bool) -> set[str]:
    """Like ``imports``, but only those run when the module is imported (not in functions)."""
    tree = ast.parse(source)
    tree.body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return imports(ast.unparse(tree), module, is_package=is_package)


def modules() -> dict[str, tuple[str, bool]]:
    return {module_name(p): (p.read_text(encoding="utf-8"), p.name == "__init__.py")
            for p in sorted(PACKAGE.rglob("*.py"))}


def broken(contracts: dict[str, tuple[str, ...]],
           sources: dict[str, tuple[str, bool]]) -> list[str]:
    out = []
    for module, (source, is_package) in sources.items():
        for owner, forbidden in contracts.items():
            if module != owner and not module.startswith(owner + "."):
                continue
            for target in sorted(imports(source, module, is_package=is_package)):
                if any(target == f or target.startswith(f + ".") for f in forbidden):
                    out.append(f"{module} imports {target}")
    return sorted(set(out))


def test_every_package_keeps_its_contract():
    sources = modules()
    assert all(owner in sources for owner in CONTRACTS), "a contract names a missing module"
    assert broken(CONTRACTS, sources) == []


def test_a_broken_contract_is_found():
    fake = {"graph_service.extraction.frames.probe": ("from ...store import Store\n"
                                                      "def f():\n    from ... import web\n", False)}
    assert broken(CONTRACTS, fake) == [
        "graph_service.extraction.frames.probe imports graph_service.store",
        "graph_service.extraction.frames.probe imports graph_service.store.Store",
        "graph_service.extraction.frames.probe imports graph_service.web"]


@pytest.mark.parametrize("package", ["graph_service.store", "graph_service.validation",
                                     "graph_service.linking"])
def test_no_import_cycle_inside(package):
    sources = {m: s for m, s in modules().items() if m == package or m.startswith(package + ".")}
    assert len(sources) > 1, f"{package} holds no modules"
    graph = {m: {t for t in top_level_imports(src, m, is_package=pkg) if t in sources and t != m}
             for m, (src, pkg) in sources.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start] - seen:
            if nxt == goal or reaches(nxt, goal, seen | {nxt}):
                return True
        return False

    cycles = [m for m in graph if m != package and reaches(m, m, set())]
    assert cycles == []
