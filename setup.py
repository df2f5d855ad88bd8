"""Ship the top-level ``ontology/`` and ``shapes/`` inside the package.

They stay where they are, the one copy that is edited and reviewed; a build (a wheel, ``pip
install .``, ``pipx install``) copies them into ``graph_service/_data/``, where
``graph_service.resources`` finds them when the package is installed away from a checkout.
Everything else is configured in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("ontology", "shapes")  # top-level folders that the package reads at run time


class BuildPyWithData(build_py):
    """``build_py`` that also copies the shipped folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        for name in SHIPPED:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"{source} is missing: the package cannot be built without it")
            self.copy_tree(str(source), str(Path(self.build_lib) / "graph_service" / "_data" / name))


setup(cmdclass={"build_py": BuildPyWithData})
