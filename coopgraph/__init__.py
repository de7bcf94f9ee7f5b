"""coopgraph — a graph knowledge base of international cooperation for city governments."""

__version__ = "0.1.0"
