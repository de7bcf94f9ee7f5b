"""Filter values checked against the graph, so a year, sector or ODS without data is an error that
says what there is, rather than an answer of zeros."""
from __future__ import annotations

from coopgraph.errors import NotFound

YEARS = "MATCH (c:Contribution) WHERE c.year IS NOT NULL RETURN DISTINCT c.year AS year ORDER BY year"
SECTORS = "MATCH (s:Sector) RETURN s.id AS id ORDER BY id"
NETWORKS = "MATCH (n:CityNetwork) RETURN n.id AS id ORDER BY id"
SDG_COUNT = 17


class NoSuchData(NotFound):
    """A filter names years, a sector or an ODS the graph has nothing for."""


def years_with_data(store) -> list[int]:
    return [int(row["year"]) for row in store.read(YEARS)]


def check_years(store, from_year: int = 0, to_year: int = 9999) -> None:
    """Refuse an inverted range, and a range with no data (naming the years that have some)."""
    if from_year > to_year:
        raise NoSuchData(f"from_year {from_year} is after to_year {to_year}")
    known = years_with_data(store)
    if known and not any(from_year <= year <= to_year for year in known):
        asked = str(from_year) if from_year == to_year else f"{from_year}-{to_year}"
        raise NoSuchData(f"no data for {asked}; the graph has data for {', '.join(map(str, known))}", years=known)


def check_sector(store, sector_id: str | None) -> None:
    if sector_id is None:
        return
    known = [row["id"] for row in store.read(SECTORS)]
    if sector_id not in known:
        raise NoSuchData(f"no sector {sector_id!r}; sectors: {', '.join(known)}", sectors=known)


def check_network(store, network_id: str | None) -> None:
    if network_id is None:
        return
    known = [row["id"] for row in store.read(NETWORKS)]
    if network_id not in known:
        raise NoSuchData(f"no city network {network_id!r}; networks: {', '.join(known)}", networks=known)


def check_sdg(sdg: int | None) -> None:
    if sdg is not None and not 1 <= sdg <= SDG_COUNT:
        raise NoSuchData(f"no ODS {sdg}; the ODS are numbered 1 to {SDG_COUNT}")
