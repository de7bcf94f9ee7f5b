"""The `coopgraph` command line: `app` (coopgraph.cli.app) and one module per command group — loading and
queries in `app`, `explore` (search, schema, profile), `prospect`, `breakdown`, `diff`, `history`, `check`,
`rates`, `iati`, `sources`, the interactive `shell` — with what they share in `common` and the tables they
print in `tables`. The entry point is `coopgraph.cli:main`."""
from coopgraph.cli.app import app, main

__all__ = ["app", "main"]
