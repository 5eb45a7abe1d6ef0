"""Countries and cities of the benchmark world, read from the warehouse's own seeds.

The names, spellings and coordinates come from ``dbt_project/seeds``: ``countries.csv`` (English
and ISO3 names), ``country_aliases.csv`` (variants and Cyrillic names), ``place_aliases.csv``
(every spelling of a city) and ``place_centroids.csv`` (its centre). There is no second copy of
the gazetteer here: a city added to the seeds appears in the benchmark.

The seeds lack what only a generator needs, so this module keeps that one small table
(``REGION``): how often each country and its main cities appear in incident data (the seeds have
no populations), and which naming customs its people follow. It also lists the Soviet-era names
the seeds map (Frunze, Leninabad...): a report written 2008-2025 does not use them, so sources do
not write them.
"""

from __future__ import annotations

# ruff: noqa: SIM905 (name lists are written as one string and split)
import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
CYRILLIC = re.compile("[а-яёөүңәғқұһіӣӯҳҷўА-ЯЁӨҮҢӘҒҚҰҺІӢӮҲҶЎ]")

# code: (share of incidents, naming customs of its people, {canonical city: weight}); cities of the
# seed not listed weigh 1; the heaviest city is the capital (mass arrests happen there).
REGION: dict[str, tuple[float, tuple[tuple[str, float], ...], dict[str, float]]] = {
    "KG": (0.24, (("kg", 0.85), ("ru", 0.1), ("uz", 0.05)), {"Bishkek": 5, "Osh": 3}),
    "KZ": (0.2, (("kz", 0.8), ("ru", 0.2)), {"Almaty": 5, "Astana": 3}),
    "TJ": (0.15, (("tj", 0.92), ("uz", 0.05), ("ru", 0.03)), {"Dushanbe": 5, "Khujand": 2}),
    "UZ": (0.14, (("uz", 0.9), ("tj", 0.04), ("ru", 0.06)), {"Tashkent": 5, "Samarkand": 2}),
    "TM": (0.04, (("tm", 0.9), ("ru", 0.1)), {"Ashgabat": 4}),
    "RU": (0.1, (("ru", 0.85), ("kg", 0.05), ("tj", 0.05), ("uz", 0.05)), {"Moscow": 5, "Saint Petersburg": 2}),
    "BY": (0.05, (("ru", 1.0),), {"Minsk": 5}),
    "UA": (0.03, (("ru", 1.0),), {"Kyiv": 4}),
    "MN": (0.02, (("mn", 1.0),), {"Ulaanbaatar": 1}),
    # exiles from Central Asia attacked in Istanbul
    "TR": (0.03, (("kg", 0.25), ("kz", 0.25), ("tj", 0.25), ("uz", 0.2), ("tm", 0.05)), {"Istanbul": 5, "Ankara": 0.2}),
}
HISTORICAL_PLACE_NAMES = frozenset(
    (
        "Frunze|Фрунзе|Pishpek|Przhevalsk|Пржевальск|Verny|Akmola|Ақмола|Акмола|Aqmola|Tselinograd|Целиноград|"
        "Aktyubinsk|Актюбинск|Guryev|Гурьев|Semipalatinsk|Семипалатинск|Ust-Kamenogorsk|Усть-Каменогорск|Dzhambul|"
        "Джамбул|Zhambyl|Shevchenko|Kustanai|Novy Uzen|Новый Узень|Stalinabad|Сталинабад|Leninabad|Ленинабад|"
        "Ura-Tyube|Ура-Тюбе|Poltoratsk|Chardzhou|Чарджоу|Chardzhev|Tashauz|Ташауз|Merv|Nebit-Dag|Небит-Даг|"
        "Krasnovodsk|Красноводск|Leningrad|Ленинград|Sverdlovsk|Свердловск|Gorky|Горький|Constantinople|"
        "Dnipropetrovsk|Днепропетровск|Kurgan-Tube"
    ).split("|")
)


@dataclass(frozen=True)
class City:
    names: tuple[str, ...]  # canonical Latin name first, then the seed's other spellings in seed order
    lat: float
    lon: float
    weight: float

    @property
    def latin(self) -> tuple[str, ...]:
        return tuple(name for name in self.names if not CYRILLIC.search(name))

    @property
    def cyrillic(self) -> tuple[str, ...]:
        return tuple(name for name in self.names if CYRILLIC.search(name))


@dataclass(frozen=True)
class Country:
    code: str
    name: str  # countries.csv country_name
    iso3: str
    weight: float
    groups: tuple[tuple[str, float], ...]  # naming customs of its people
    cities: tuple[City, ...]  # the capital first
    aliases: tuple[str, ...]  # country_aliases.csv, seed order

    @property
    def cyrillic_aliases(self) -> list[str]:
        return [alias for alias in self.aliases if CYRILLIC.search(alias)]

    @property
    def latin_aliases(self) -> list[str]:
        return [alias for alias in self.aliases if not CYRILLIC.search(alias) and alias != self.name]


def _rows(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with (seeds_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(seeds_dir: Path = SEEDS_DIR) -> dict[str, Country]:
    """The countries of ``REGION`` with their seed names, aliases and cities."""
    countries = {row["country_code"]: row for row in _rows(seeds_dir, "countries.csv")}
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in _rows(seeds_dir, "country_aliases.csv"):
        aliases[row["country_code"]].append(row["alias"])
    spellings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _rows(seeds_dir, "place_aliases.csv"):
        if row["place_name"] not in HISTORICAL_PLACE_NAMES:
            spellings[(row["country_code"], row["canonical_place"])].append(row["place_name"])
    cities: dict[str, list[City]] = defaultdict(list)
    for row in _rows(seeds_dir, "place_centroids.csv"):
        code, canonical = row["country_code"], row["canonical_place"]
        if code not in REGION:
            continue
        others = [name for name in spellings[(code, canonical)] if name != canonical]
        weight = REGION[code][2].get(canonical, 1.0)
        cities[code].append(City((canonical, *others), float(row["latitude"]), float(row["longitude"]), weight))
    result = {}
    for code, (weight, groups, _) in REGION.items():
        ordered = sorted(cities[code], key=lambda city: -city.weight)  # stable: seed order among equals
        row = countries[code]
        result[code] = Country(code, row["country_name"], row["iso3_code"], weight, groups, tuple(ordered),
                               tuple(aliases[code]))  # fmt: skip
    return result
