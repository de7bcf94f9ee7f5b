"""One settings object. Every value comes from a COOPGRAPH_* environment variable or its default."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from coopgraph.errors import CoopgraphError


class SettingsError(CoopgraphError):
    """A setting has a value coopgraph refuses to run with (the operator's fault: HTTP 500, exit 2)."""

    exit_code = 2


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "coopgraph"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COOPGRAPH_", extra="ignore")

    # Directory holding the embedded store and load records.
    home: Path = Field(default_factory=_default_home)
    # Which store serves reads and takes loads: "embedded" (no server) or "neo4j".
    store: Literal["embedded", "neo4j"] = "embedded"
    # Address the API listens on; loopback unless deliberately changed.
    host: str = "127.0.0.1"
    # Port the API listens on.
    port: int = 8000
    # Seconds an analyst's query may run before the engine interrupts it.
    query_timeout_s: float = Field(10.0, gt=0)
    # Most rows an analyst's query returns.
    query_max_rows: int = 10_000
    # Most bytes an analyst's answer may take (JSON); a larger one is refused, not cut.
    query_max_bytes: int = 20_000_000
    # Memory (MB) the process running an analyst's query may add once the store is open.
    query_memory_mb: int = 1024
    # Run analysts' Cypher where the kernel lacks Landlock, with rlimits only (weaker; off by default).
    sandbox_without_landlock: bool = False
    # Query workers the API keeps (each answers one query at a time); further requests wait
    # API_QUEUE_WAIT_S, then get 503.
    api_query_processes: int = Field(2, ge=1)
    # A query worker is replaced after this many queries, or once it has grown this many MB.
    query_worker_max_queries: int = Field(500, ge=1)
    query_worker_max_growth_mb: int = Field(256, ge=16)
    # Generations of the embedded store kept for `coopgraph rollback` (the current one included).
    history_keep: int = Field(5, ge=2)
    # Seconds a request waits for a free query process before 503 with Retry-After.
    api_queue_wait_s: float = 2.0
    # Largest request body (bytes) the API reads; larger ones get 413 before authentication.
    api_max_body_bytes: int = 65_536
    # Seconds a client has to send a request's headers and body (from its first byte); then 408 and close.
    api_read_timeout_s: float = Field(10.0, gt=0)
    # Files a load reads are bounded before they are read: size on disk, and for .xlsx the inflated
    # size of each member and its inflation ratio (a 1 MB workbook of 1 GB of whitespace is refused).
    load_max_file_mb: float = Field(512.0, gt=0)
    load_max_xlsx_inflated_mb: float = Field(1024.0, gt=0)
    load_max_xlsx_ratio: float = Field(200.0, gt=1)
    # CPU niceness a load takes (`coopgraph load`): reads served meanwhile keep their usual time; 0 = none.
    load_nice: int = Field(10, ge=0, le=19)
    # A row's `cantidad` above this is a typo, not a year of work (one row once made 1.000.000.606).
    load_max_interactions_per_row: int = Field(10_000, gt=0)
    # Web origins allowed to call the API from a browser (CORS), comma-separated; empty = none (the default).
    cors_origins: str = ""
    # Key the API's ad-hoc `cypher` endpoint requires (header X-API-Key); unset = endpoint off.
    api_key: SecretStr | None = None
    # IATI export (docs/iati.md). The district's IATI organisation identifier: an agency code of the
    # OrganisationRegistrationAgency codelist (CO-RUE: RUES, whose identifier is the NIT), a hyphen,
    # and Bogotá D.C.'s NIT 899999061 without its verification digit.
    iati_reporting_org: str = "CO-RUE-899999061"
    # Its IATI OrganisationType: 11 Local Government (a sub-national government); 10 is a national one.
    iati_reporting_org_type: int = 11
    # ActivityStatus of every activity: 2 Implementation (the report tells the year's execution).
    iati_activity_status: int = 2
    # Where the report the activities come from is published (document-link); a URL ending in .pdf is
    # written as application/pdf, any other as text/html.
    iati_report_url: str = "https://www.sdp.gov.co/"
    # Where the district development plan (the policy-marker vocabulary 99 of PDD objectives and
    # programs) is published.
    iati_pdd_uri: str = "https://www.sdp.gov.co/"
    # Neo4j connection (used when store = "neo4j"); the password has no default on purpose.
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    # Seconds one of a load's write transactions may run on Neo4j (the server's default bounds
    # every other client: db.transaction.timeout in docker-compose.yml).
    neo4j_write_timeout_s: float = Field(600.0, gt=0)

    @field_validator("neo4j_password")
    @classmethod
    def _neo4j_password_length(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 8:
            raise ValueError("Neo4j 5 refuses passwords shorter than 8 characters "
                             "(dbms.security.auth_minimum_password_length); choose a longer one")
        return value

    def check_api_key(self) -> None:
        """An empty key would turn the cypher endpoint on for an empty header: refuse to start."""
        if self.api_key is not None and not self.api_key.get_secret_value().strip():
            raise SettingsError("COOPGRAPH_API_KEY is set but empty; unset it to keep /api/v1/cypher off, "
                                "or give it a real key")

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def store_dir(self) -> Path:
        return self.home / "store"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment; a bad value is one clear error naming its variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = "COOPGRAPH_" + "_".join(map(str, error["loc"])).upper()
            shown = "" if "KEY" in name or "PASSWORD" in name else f"={error.get('input')!r}"  # never echo a secret
            problems.append(f"{name}{shown}: {error['msg']}")
        raise SettingsError("; ".join(problems)) from None
