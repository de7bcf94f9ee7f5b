"""Packages and package data are discovered, never listed by hand (a listed tree drifts: a new
subpackage works in an editable checkout and is missing from the wheel).

The design card's top-level folders install as subpackages of `coopgraph`, so nothing generic
(`graph`, `api`, …) lands in site-packages. Everything else is in pyproject.toml.
"""
from pathlib import Path

from setuptools import setup

# import name -> folder in the checkout
ROOTS = {"coopgraph": "coopgraph", "coopgraph.graph": "graph", "coopgraph.analysis": "analysis", "coopgraph.loaders": "loaders",
         "coopgraph.api": "api", "coopgraph.viz": "viz", "coopgraph.cypher": "cypher", "coopgraph.data": "data"}
NOT_DATA = {".py", ".pyc", ".pyo"}
# viz/editor's npm packages build viz/static/cypher-editor.js; they are never package data
NOT_DATA_DIRS = {"node_modules"}


def _packages() -> tuple[list[str], dict[str, list[str]]]:
    """Every folder with an __init__.py under a root is a package; every other file in it is its data."""
    here = Path(__file__).parent
    packages, data = [], {}
    for name, folder in ROOTS.items():
        for init in sorted((here / folder).rglob("__init__.py")):
            package_dir = init.parent
            if "__pycache__" in package_dir.parts:
                continue
            package = ".".join([name, *package_dir.relative_to(here / folder).parts])
            packages.append(package)
            files = [str(path.relative_to(package_dir)) for path in sorted(package_dir.rglob("*"))
                     if path.is_file() and path.suffix not in NOT_DATA and "__pycache__" not in path.parts
                     and not NOT_DATA_DIRS & set(path.relative_to(package_dir).parts[:-1])
                     and not _inside_subpackage(path, package_dir)]
            if files:
                data[package] = files
    return packages, data


def _inside_subpackage(path: Path, package_dir: Path) -> bool:
    """A file belongs to the nearest package folder above it, not to every one."""
    parent = path.parent
    while parent != package_dir:
        if (parent / "__init__.py").exists():
            return True
        parent = parent.parent
    return False


PACKAGES, PACKAGE_DATA = _packages()
setup(packages=PACKAGES, package_dir=ROOTS, package_data=PACKAGE_DATA)
