"""coopgraph — a graph knowledge base of international cooperation for city governments."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coopgraph")  # one version: pyproject.toml's, as installed
except PackageNotFoundError:  # run from a tree that was never installed
    __version__ = "0.0.0+unknown"
