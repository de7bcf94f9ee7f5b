# The coopgraph image: built once (`docker compose build`), nothing installed at start, nothing
# written into the user's checkout. Python dependencies come from docker/constraints.txt, the same
# versions tests/test_release.py installs the wheel with in CI.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 \
    COOPGRAPH_HOME=/var/lib/coopgraph
# libseccomp2: the query workers' seccomp filter (cypher/confine.py; the slim image has it through apt, said here)
RUN apt-get update && apt-get install -y --no-install-recommends libseccomp2 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# the dependencies first, in their own layer: a change of coopgraph's code does not reinstall them
COPY docker/constraints.txt docker/constraints.txt
RUN pip install -r docker/constraints.txt
COPY pyproject.toml setup.py README.md ./
COPY coopgraph coopgraph
COPY graph graph
COPY loaders loaders
COPY api api
COPY viz viz
COPY cypher cypher
COPY data data
RUN pip install --no-deps -c docker/constraints.txt ".[neo4j]" && rm -rf /src \
    && useradd --system --uid 10001 --home-dir /var/lib/coopgraph --create-home coopgraph
USER coopgraph
WORKDIR /var/lib/coopgraph
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/summary', timeout=4)"]
CMD ["coopgraph", "serve"]
