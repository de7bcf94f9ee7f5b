"""Realistic synthetic interaction exports for tests and benchmarks.

Entity and cooperant popularity follow a power law (a few partners, like BID or C40, appear in
many interactions; most appear once or twice, as in Tabla 2), about one interaction in ten is
monetary, with log-normal amounts. Seeded: the same arguments give the same file.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from coopgraph.loaders.interaction_schema import COLUMNS
from coopgraph.loaders.interactions import ACTION_TYPES, COLLABORATION_TYPES
from coopgraph.loaders.registry import Registry

NETWORKS = ("C40", "UCCI", "CGLU", "Metrópolis", "CIDEU", "ICLEI")


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
    cooperant_cents = np.where(monetary, np.round(rng.lognormal(17.5, 1.6, rows)) * 100, 0).astype("int64")
    counterpart_cents = np.where(monetary & (rng.random(rows) < 0.3),
                                 np.round(rng.lognormal(17.0, 1.4, rows)) * 100, 0).astype("int64")
    in_plan = (year >= 2024) & (year <= 2027)
    frame = pd.DataFrame({
        "id_interaccion": [f"SYN-{y}-{i:07d}" for i, y in enumerate(year)],
        "año": year,
        "entidad_distrital": _zipf_choice(rng, entity_names, rows, 0.9),
        "sector": "",
        "cooperante": _zipf_choice(rng, org_names, rows),
        "tipo_accion": rng.choice(ACTION_TYPES, size=rows, p=[0.05, 0.7, 0.2, 0.05]),
        "tipo_colaboracion": rng.choice(COLLABORATION_TYPES, size=rows),
        "monetario": np.where(monetary, "Sí", "No"),
        "aporte_cooperante": _colombian(cooperant_cents, rng),
        "contrapartida_distrital": _colombian(counterpart_cents, rng),
        "valor_total": "",
        "moneda": "COP",
        "ods": rng.integers(1, 18, size=rows),
        "objetivo_pdd": np.where(in_plan, rng.integers(1, 6, size=rows).astype(str), ""),
        "programa_pdd": "",
        "red_ciudades": np.where(rng.random(rows) < 0.05, rng.choice(NETWORKS, size=rows), ""),
        "descripcion": "",
        "cantidad": 1,
    }, columns=[c.name for c in COLUMNS])
    return frame


def _colombian(cents: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Half the amounts written '$ 1.234.567,89', half '1234567.89', as real exports mix them."""
    pesos, centavos = np.divmod(cents, 100)
    plain = np.char.add(np.char.add(pesos.astype(str), "."), np.char.zfill(centavos.astype(str), 2))
    out = plain.astype(object)
    pick = rng.random(len(cents)) < 0.5
    out[pick] = [f"$ {p:,}".replace(",", ".") + f",{c:02d}" for p, c in zip(pesos[pick], centavos[pick])]
    return out
