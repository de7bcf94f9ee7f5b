"""Realistic synthetic interaction exports for tests and benchmarks.

Entity and cooperant popularity follow a power law (a few partners, like BID or C40, appear in
many interactions; most appear once or twice, as in Tabla 2), about one interaction in ten is
monetary, with log-normal amounts. Seeded: the same arguments give the same file.

Over several years partners come and go: about a third of the cooperants are active for only part
of the span (they enter late, leave early, or both), and each year's rows draw from that year's
active partners. Some monetary rows are written in USD or EUR, as network money is reported.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from coopgraph.loaders.interaction_schema import COLUMNS
from coopgraph.loaders.interactions import ACTION_TYPES, COLLABORATION_TYPES
from coopgraph.loaders.registry import Registry

NETWORKS = ("C40", "UCCI", "CGLU", "Metrópolis", "CIDEU", "ICLEI")
# currency of a monetary row, its share, and COP per unit used to scale the log-normal COP amounts
CURRENCIES = (("COP", 0.85, 1), ("USD", 0.10, 4000), ("EUR", 0.05, 4400))
PART_TIME_SHARE = 0.35  # cooperants active only part of a multi-year span


def _zipf_choice(rng: np.random.Generator, names: list[str], size: int, exponent: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(names) + 1) ** exponent
    return rng.choice(np.array(names, dtype=object), size=size, p=weights / weights.sum())


def synthetic_interactions(rows: int, *, seed: int = 2024, years: tuple[int, int] = (2024, 2024),
                           entities: int | None = None, cooperants: int | None = None,
                           registry: Registry | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    registry = registry or Registry.load()
    known_entities = list(registry.curated.entities.name) if registry.curated is not None else []
    known_orgs = list(registry.curated.organisations.name) if registry.curated is not None else []
    entity_names = (known_entities + [f"ENTIDAD SINTÉTICA {i}" for i in range(max(0, (entities or 0) - len(known_entities)))])
    org_names = (known_orgs + [f"COOPERANTE SINTÉTICO {i}" for i in range(max(0, (cooperants or 0) - len(known_orgs)))])
    entity_names = entity_names[: entities or len(entity_names)]
    org_names = org_names[: cooperants or len(org_names)]
    rng.shuffle(entity_names)
    rng.shuffle(org_names)

    year = rng.integers(years[0], years[1] + 1, size=rows)
    monetary = rng.random(rows) < 0.1
    currency = np.where(monetary, rng.choice([c for c, _, _ in CURRENCIES], size=rows, p=[p for _, p, _ in CURRENCIES]), "COP")
    per_unit = pd.Series(currency).map({c: u for c, _, u in CURRENCIES}).to_numpy()
    cooperant_cents = np.where(monetary, np.maximum(np.round(rng.lognormal(17.5, 1.6, rows) / per_unit), 1) * 100,
                               0).astype("int64")
    counterpart_cents = np.where(monetary & (currency == "COP") & (rng.random(rows) < 0.3),
                                 np.round(rng.lognormal(17.0, 1.4, rows)) * 100, 0).astype("int64")
    in_plan = (year >= 2024) & (year <= 2027)
    frame = pd.DataFrame({
        "id_interaccion": [f"SYN-{y}-{i:07d}" for i, y in enumerate(year)],
        "año": year,
        "entidad_distrital": _zipf_choice(rng, entity_names, rows, 0.9),
        "sector": "",
        "cooperante": _partners_by_year(rng, org_names, year, years),
        "tipo_accion": rng.choice(ACTION_TYPES, size=rows, p=[0.05, 0.7, 0.2, 0.05]),
        "tipo_colaboracion": rng.choice(COLLABORATION_TYPES, size=rows),
        "monetario": np.where(monetary, "Sí", "No"),
        "aporte_cooperante": _written(cooperant_cents, currency, rng),
        "contrapartida_distrital": _written(counterpart_cents, currency, rng),
        "valor_total": "",
        "moneda": currency,
        "ods": rng.integers(1, 18, size=rows),
        "objetivo_pdd": np.where(in_plan, rng.integers(1, 6, size=rows).astype(str), ""),
        "programa_pdd": "",
        "red_ciudades": np.where(rng.random(rows) < 0.05, rng.choice(NETWORKS, size=rows), ""),
        "descripcion": "",
        "cantidad": 1,
    }, columns=[c.name for c in COLUMNS])
    return frame


def _partners_by_year(rng: np.random.Generator, names: list[str], year: np.ndarray, years: tuple[int, int]) -> np.ndarray:
    """A cooperant per row, drawn (power law, by global rank) among those active in the row's year."""
    count = len(names)
    first = np.full(count, years[0])
    last = np.full(count, years[1])
    if years[1] > years[0]:
        part_time = rng.random(count) < PART_TIME_SHARE
        part_time[:3] = False  # the biggest partners stay every year, as BID and C40 do
        a, b = rng.integers(years[0], years[1] + 1, size=(2, count))
        first = np.where(part_time, np.minimum(a, b), first)
        last = np.where(part_time, np.maximum(a, b), last)
    weights = 1.0 / np.arange(1, count + 1) ** 1.1
    pool = np.array(names, dtype=object)
    out = np.empty(len(year), dtype=object)
    for y in range(years[0], years[1] + 1):
        rows = np.flatnonzero(year == y)
        active = (first <= y) & (last >= y)
        w = weights * active
        out[rows] = rng.choice(pool, size=len(rows), p=w / w.sum())
    return out


def _written(cents: np.ndarray, currency: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Half the COP amounts written '$ 1.234.567,89', the rest '1234567.89', as real exports mix them."""
    pesos, centavos = np.divmod(cents, 100)
    plain = np.char.add(np.char.add(pesos.astype(str), "."), np.char.zfill(centavos.astype(str), 2))
    out = plain.astype(object)
    pick = (rng.random(len(cents)) < 0.5) & (currency == "COP")
    out[pick] = [f"$ {p:,}".replace(",", ".") + f",{c:02d}" for p, c in zip(pesos[pick], centavos[pick])]
    return out
