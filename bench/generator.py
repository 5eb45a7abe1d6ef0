"""Synthetic ground truth for the matching benchmark, rendered into the real source formats.

    python bench/generator.py --reports 10000 --seed 2 --out /tmp/bench-sources

``generate(n_reports, seed, out_dir)`` writes an ``HRDW_SOURCES_DIR``: one YAML per source at the
top of ``out_dir``, the data under ``out_dir/data/<source>/``, and the ground truth next to them:

- ``truth_reports.csv``: ``source_name, source_record_id, true_event_id``: one row per report as
  staging sees it (``source_record_id`` is exactly ``stg_<source>__reports.source_record_id``).
- ``truth_mentions.csv``: ``source_name, source_record_id, victim_position, true_actor_id,
  true_event_id``: one row per victim named in a report; ``victim_position`` is the 1-based order of
  the victim in the record's ``options.victim_separator``-separated name list (1 when one victim).
- ``truth_events.csv``, ``truth_actors.csv``: the events and actors themselves (for diagnosis).
- ``expected_quarantine.csv``: ``source_name, source_file, source_row, reason``: rows injected on
  purpose that the loader must quarantine; they are not in the truth files.
- ``manifest.json``: counts per source and of every kind of noise produced.

The world: actors (journalists, media workers, bloggers, HRDs, lawyers and media outlets) of
Central Asia (KG, KZ, TJ, UZ, TM) and elsewhere (RU, BY, UA, MN, exiles in TR), each with a
canonical Cyrillic name (``bench.names``); events with a date, country, city, coordinates,
violation types (the codes of ``dbt_project/seeds/violation_type_crosswalk.csv``), a perpetrator
and one or more victims; each event reported by 1 to 4 sources. Decisions (see ``bench/README.md``):

- a mass arrest is ONE event with many victims (same day, same city, same act); sources list it as
  one multi-victim record, as one record per victim, or only some of the victims;
- unrelated attacks on the same day in the same city (``same_day_sibling``) are different events;
- the same person attacked twice (``repeat_victim``, 60 to 500 days later) is two events, one actor;
- relatives with one surname in one event are different actors; namesakes (the same Cyrillic name)
  in different countries are different actors.

Generation is deterministic for a seed (every random draw comes from one ``random.Random``), and
fast: 100,000 reports take a few seconds.
"""

# ruff: noqa: SIM905 (word lists are written as one string and split: shorter, easier to review)

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import io
import itertools
import json
import random
import re
import time
import uuid
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import yaml

try:  # `python bench/generator.py` puts bench/ itself on sys.path
    from bench import names as nm
except ImportError:  # pragma: no cover
    import names as nm  # type: ignore[no-redef]

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
STAGING_MACROS_DIR = REPO_ROOT / "dbt_project" / "macros" / "staging"

FIRST_DATE = dt.date(2008, 1, 1)
LAST_DATE = dt.date(2025, 9, 30)
FORMS_FROM = dt.date(2016, 1, 1)  # KoboToolbox and ODK monitoring forms start here
UWAZI_FROM = dt.date(2012, 1, 1)
XLSX_MAX_ROWS = 150  # the small partner workbook stays small
VICTIM_SEPARATOR = ";"
MONTHS = ("January February March April May June July August September October November December").split()


# --- the world -------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    names: tuple[str, ...]  # standard Latin first, then Latin variants and Cyrillic spellings
    lat: float
    lon: float
    weight: float


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    weight: float
    groups: tuple[tuple[str, float], ...]  # naming customs of its people
    cities: tuple[City, ...]


def _c(names: str, lat: float, lon: float, weight: float = 1.0) -> City:
    return City(tuple(names.split("|")), lat, lon, weight)


COUNTRIES: dict[str, Country] = {
    country.code: country
    for country in (
        Country(
            "KG",
            "Kyrgyzstan",
            0.24,
            (("kg", 0.85), ("ru", 0.1), ("uz", 0.05)),
            (
                _c("Bishkek|Бишкек|Bishkek city", 42.8746, 74.5698, 5),
                _c("Osh|Ош|Osh city", 40.5283, 72.7985, 3),
                _c("Jalal-Abad|Джалал-Абад|Жалал-Абад|Jalalabad", 40.9333, 73.0),
                _c("Karakol|Каракол", 42.4907, 78.3936),
                _c("Naryn|Нарын", 41.4287, 75.9911),
                _c("Kara-Suu|Кара-Суу|Karasuu", 40.7048, 72.8667),
                _c("Talas|Талас", 42.5228, 72.2427, 0.5),
                _c("Batken|Баткен", 40.0625, 70.8194, 0.5),
            ),
        ),
        Country(
            "KZ",
            "Kazakhstan",
            0.2,
            (("kz", 0.8), ("ru", 0.2)),
            (
                _c("Almaty|Алматы|Alma-Ata", 43.2389, 76.8897, 5),
                _c("Astana|Астана|Nur-Sultan|Нур-Султан", 51.1694, 71.4491, 3),
                _c("Shymkent|Шымкент|Chimkent", 42.3417, 69.5901),
                _c("Aktobe|Ақтөбе|Актобе|Aqtobe", 50.2839, 57.167),
                _c("Zhanaozen|Жаңаөзен|Жанаозен|Janaozen", 43.3412, 52.8619),
                _c("Oral|Орал|Uralsk|Уральск", 51.2333, 51.3667),
                _c("Karaganda|Қарағанды|Караганда|Qaraghandy", 49.8047, 73.1094),
            ),
        ),
        Country(
            "TJ",
            "Tajikistan",
            0.15,
            (("tj", 0.92), ("uz", 0.05), ("ru", 0.03)),
            (
                _c("Dushanbe|Душанбе", 38.5598, 68.787, 5),
                _c("Khujand|Хуҷанд|Худжанд|Khodjent", 40.2826, 69.6221, 2),
                _c("Khorog|Хоруғ|Хорог|Khorugh", 37.4897, 71.5531),
                _c("Kulob|Кӯлоб|Куляб|Kulyab", 37.9146, 69.7845),
                _c("Bokhtar|Бохтар|Qurghonteppa|Kurgan-Tyube", 37.8364, 68.7803),
            ),
        ),
        Country(
            "UZ",
            "Uzbekistan",
            0.14,
            (("uz", 0.9), ("tj", 0.04), ("ru", 0.06)),
            (
                _c("Tashkent|Тошкент|Ташкент|Toshkent", 41.2995, 69.2401, 5),
                _c("Samarkand|Самарқанд|Самарканд|Samarqand", 39.627, 66.975, 2),
                _c("Nukus|Нукус", 42.4531, 59.6103),
                _c("Andijan|Андижон|Андижан|Andijon", 40.7821, 72.3442),
                _c("Fergana|Фарғона|Фергана|Farg'ona", 40.3842, 71.7843),
                _c("Bukhara|Бухоро|Бухара|Buxoro", 39.7747, 64.4286),
            ),
        ),
        Country(
            "TM",
            "Turkmenistan",
            0.04,
            (("tm", 0.9), ("ru", 0.1)),
            (
                _c("Ashgabat|Ашхабад|Aşgabat|Ashkhabad", 37.9601, 58.3261, 4),
                _c("Turkmenabat|Түркменабат|Туркменабад", 39.0733, 63.5786),
                _c("Dashoguz|Дашогуз|Daşoguz", 41.8363, 59.9666),
            ),
        ),
        Country(
            "RU",
            "Russia",
            0.1,
            (("ru", 0.85), ("kg", 0.05), ("tj", 0.05), ("uz", 0.05)),
            (
                _c("Moscow|Москва|Moskva", 55.7558, 37.6173, 5),
                _c("Saint Petersburg|Санкт-Петербург|St. Petersburg", 59.9311, 30.3609, 2),
                _c("Kazan|Казань", 55.7963, 49.1088),
                _c("Novosibirsk|Новосибирск", 55.0084, 82.9357),
            ),
        ),
        Country(
            "BY",
            "Belarus",
            0.05,
            (("ru", 1.0),),
            (
                _c("Minsk|Минск|Мінск", 53.9006, 27.559, 5),
                _c("Gomel|Гомель|Homiel", 52.4345, 30.9754),
                _c("Brest|Брест", 52.0976, 23.7341),
            ),
        ),
        Country(
            "UA",
            "Ukraine",
            0.03,
            (("ru", 1.0),),
            (
                _c("Kyiv|Київ|Киев|Kiev", 50.4501, 30.5234, 4),
                _c("Kharkiv|Харків|Харьков|Kharkov", 49.9935, 36.2304),
                _c("Odesa|Одеса|Одесса|Odessa", 46.4825, 30.7233),
            ),
        ),
        Country("MN", "Mongolia", 0.02, (("mn", 1.0),), (_c("Ulaanbaatar|Улаанбаатар|Ulan Bator", 47.8864, 106.9057),)),
        Country(
            "TR",
            "Turkey",
            0.03,
            (("kg", 0.25), ("kz", 0.25), ("tj", 0.25), ("uz", 0.2), ("tm", 0.05)),
            (_c("Istanbul|Стамбул|İstanbul", 41.0082, 28.9784),),
        ),
    )
}
CENTRAL_ASIA = ("KG", "KZ", "TJ", "UZ", "TM")

ROLES = (("journalist", 0.5), ("media_worker", 0.08), ("blogger", 0.14), ("hrd", 0.2), ("lawyer", 0.08))
CPJ_ROLES = frozenset({"journalist", "media_worker", "blogger"})
PRIMARY_VIOLATIONS = (
    ("threats", 0.22),
    ("arbitrary_detention", 0.2),
    ("physical_attack", 0.15),
    ("online_harassment", 0.12),
    ("legal_harassment", 0.12),
    ("imprisonment", 0.09),
    ("killing", 0.05),
    ("enforced_disappearance", 0.05),
)
SECONDARY_VIOLATIONS = {
    "threats": ("online_harassment",),
    "arbitrary_detention": ("physical_attack", "legal_harassment", "imprisonment"),
    "physical_attack": ("threats",),
    "online_harassment": ("threats",),
    "legal_harassment": ("arbitrary_detention",),
    "imprisonment": ("legal_harassment",),
    "enforced_disappearance": ("arbitrary_detention",),
    "killing": (),
}
ORG_VIOLATIONS = (("threats", 0.35), ("online_harassment", 0.35), ("legal_harassment", 0.2), ("physical_attack", 0.1))
# a vocabulary lacking a code says the nearest thing it has
VIOLATION_FALLBACK = {"imprisonment": "arbitrary_detention", "enforced_disappearance": "arbitrary_detention"}
PERPETRATORS_BY_VIOLATION = {
    "killing": (
        ("unknown", 0.45),
        ("criminal_group", 0.2),
        ("security_services", 0.1),
        ("police", 0.1),
        ("military", 0.05),
        ("private_individual", 0.1),
    ),
    "arbitrary_detention": (("police", 0.6), ("security_services", 0.3), ("local_officials", 0.1)),
    "imprisonment": (("police", 0.5), ("security_services", 0.4), ("local_officials", 0.1)),
    "enforced_disappearance": (("security_services", 0.6), ("police", 0.2), ("unknown", 0.2)),
    "legal_harassment": (
        ("local_officials", 0.4),
        ("police", 0.3),
        ("security_services", 0.2),
        ("private_individual", 0.1),
    ),
    "physical_attack": (
        ("unknown", 0.4),
        ("private_individual", 0.2),
        ("police", 0.25),
        ("mob", 0.1),
        ("criminal_group", 0.05),
    ),
    "threats": (
        ("unknown", 0.55),
        ("private_individual", 0.2),
        ("security_services", 0.1),
        ("local_officials", 0.1),
        ("criminal_group", 0.05),
    ),
    "online_harassment": (
        ("unknown", 0.55),
        ("private_individual", 0.2),
        ("security_services", 0.1),
        ("local_officials", 0.1),
        ("criminal_group", 0.05),
    ),
}
PERPETRATOR_TYPE = {
    "police": "state",
    "security_services": "state",
    "local_officials": "state",
    "military": "state",
    "criminal_group": "non_state",
    "private_individual": "non_state",
    "mob": "non_state",
    "unknown": "unknown",
}
PERPETRATOR_PREFERENCES = {
    "police": ("police", "government officials", "government_official"),
    "security_services": ("security_services", "government officials", "government_official"),
    "local_officials": ("local_officials", "government_official", "government officials"),
    "military": ("military", "military officials"),
    "criminal_group": ("criminal_group", "criminal group", "non_state"),
    "private_individual": ("private_individual", "local residents", "non_state"),
    "mob": ("mob violence", "private_individual", "non_state"),
    "unknown": ("unknown", "unknown fire"),
}
UWAZI_PERPETRATOR = {
    "police": ("state", "Police"),
    "security_services": ("state", "Security Services"),
    "local_officials": ("state", "Local Officials"),
    "military": ("state", "Military"),
    "criminal_group": ("non_state", "Criminal Group"),
    "private_individual": ("non_state", "Private Individual"),
    "mob": ("non_state", "Non-state"),
    "unknown": ("non_state", "Unknown"),
}
VIOLATION_WORDS = {  # (English verb phrase, Russian noun) for titles and descriptions
    "threats": ("threatened", "угрозы"),
    "arbitrary_detention": ("detained", "задержание"),
    "physical_attack": ("attacked", "нападение"),
    "online_harassment": ("harassed online", "травля в сети"),
    "legal_harassment": ("prosecuted", "преследование"),
    "imprisonment": ("imprisoned", "лишение свободы"),
    "killing": ("killed", "убийство"),
    "enforced_disappearance": ("disappeared", "исчезновение"),
}


@dataclass(eq=False)
class Actor:
    actor_id: str
    kind: str  # person | organization
    group: str  # naming customs: kg kz tj uz tm mn ru (organizations: "org")
    country: str
    gender: str  # m | f | "" (organizations)
    given: str  # organizations: the core name (Азаттык)
    surname: str  # organizations: the type word (Радио)
    patronymic: str
    role: str  # journalist media_worker blogger hrd lawyer | outlet
    byline: str  # the romanisation the actor's own bylines use
    outlet: Actor | None = None
    namesake_of: str = ""
    last_date: dt.date | None = None
    dead: bool = False

    @property
    def canonical(self) -> str:
        if self.kind == "organization":
            return f"{self.surname} {self.given}"
        return f"{self.given} {self.surname}"


@dataclass(eq=False)
class Event:
    event_id: str
    date: dt.date
    country: str
    city: City
    lat: float
    lon: float
    violations: tuple[str, ...]
    perpetrator: str
    victims: list[Actor]
    tags: list[str] = field(default_factory=list)


@dataclass
class Prefs:
    """How one source writes names: script, romanisation, order, patronymic, typos."""

    p_cyrillic: float  # the Latin name field holds Cyrillic
    p_byline: float  # the actor's usual spelling rather than the source's own scheme
    schemes: tuple[tuple[str, float], ...]
    order: tuple[tuple[str, float], ...]  # GS (given surname), SG (surname given), S,G (surname, given)
    p_patronymic: float
    p_typo: float


def weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    total = sum(weight for _, weight in options)
    roll = rng.random() * total
    for value, weight in options:
        roll -= weight
        if roll < 0:
            return value
    return options[-1][0]


# --- vocabularies from the seeds ------------------------------------------------------------


@dataclass
class Vocabularies:
    violations: dict[str, dict[str, list[str]]]  # vocabulary -> code -> labels (seed order)
    perpetrators: dict[str, dict[str, list[str]]]  # vocabulary -> perpetrator type -> labels
    country_aliases: dict[str, list[str]]  # ISO code -> aliases the country_aliases seed knows

    @classmethod
    def load(cls, seeds_dir: Path = SEEDS_DIR) -> Vocabularies:
        violations: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        with (seeds_dir / "violation_type_crosswalk.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                violations[row["vocabulary"]][row["violation_type_code"]].append(row["source_label"])
        perpetrators: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        with (seeds_dir / "perpetrator_type_crosswalk.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                perpetrators[row["vocabulary"]][row["perpetrator_type"]].append(row["source_label"])
        aliases: dict[str, list[str]] = defaultdict(list)
        with (seeds_dir / "country_aliases.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                aliases[row["country_code"]].append(row["alias"])
        return cls(violations, perpetrators, aliases)

    def violation_label(self, vocabulary: str, code: str, *, choice_name: bool = False) -> str | None:
        """The label ``vocabulary`` uses for ``code`` (its fallback's if it has none); None if neither."""
        known = self.violations.get(vocabulary, {})
        labels = known.get(code) or known.get(VIOLATION_FALLBACK.get(code, ""), [])
        if choice_name:  # select-multiples are space-separated: only labels without spaces work there
            labels = [label for label in labels if " " not in label]
        return labels[0] if labels else None

    def perpetrator_label(self, vocabulary: str, perpetrator: str, *, choice_name: bool = False) -> str | None:
        by_type = self.perpetrators.get(vocabulary, {})
        labels = by_type.get(PERPETRATOR_TYPE[perpetrator], [])
        if choice_name:
            labels = [label for label in labels if " " not in label]
        for preferred in PERPETRATOR_PREFERENCES[perpetrator]:
            if preferred in labels:
                return preferred
        return labels[0] if labels else None


def title_label(label: str) -> str:
    """Uwazi-style thesaurus label: "intimidation and threats" -> "Intimidation and Threats"."""
    return " ".join(
        word if word in {"and", "of", "the", "or"} else word[:1].upper() + word[1:] for word in label.split()
    )


def partner_label(label: str) -> str:
    """Partner-sheet style: "угрозы / threats" -> "Угрозы / Threats"."""
    return " / ".join(part[:1].upper() + part[1:] for part in label.split(" / "))


# --- the generator ---------------------------------------------------------------------------


class World:
    """The population, the events, the sources; produces the files and the truth."""

    def __init__(self, seed: int, n_reports: int, out_dir: Path) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.n_reports = n_reports
        self.out_dir = out_dir
        self.vocab = Vocabularies.load()
        self.noise: Counter[str] = Counter()
        self.actors: list[Actor] = []
        self.persons_by_country: dict[str, list[Actor]] = defaultdict(list)
        self.outlets_by_country: dict[str, list[Actor]] = defaultdict(list)
        self.used_person_names: set[tuple[str, str]] = set()
        self.events: list[Event] = []
        self.report_count = 0
        self.truth_reports: list[tuple[str, str, str]] = []
        self.truth_mentions: list[tuple[str, str, int, str, str]] = []
        self.expected_quarantine: list[tuple[str, str, int, str]] = []
        self._alias_cache: dict[str, tuple[list[str], list[str]]] = {}
        self._label_cache: dict[tuple[str, tuple[str, ...], bool], list[str]] = {}
        self._given = {
            group: {gender: list(pool) for gender, pool in pools.items()} for group, pools in nm.GIVEN.items()
        }
        self._surname_roots = self._build_surname_roots()
        self.sources = [source for source in self._all_sources() if source.available()]
        self.by_key = {source.key: source for source in self.sources}
        self._country_codes = tuple(COUNTRIES)
        self._country_weights = tuple(itertools.accumulate(c.weight for c in COUNTRIES.values()))
        self._make_outlets()

    # -- population ----------------------------------------------------------------------------

    def _build_surname_roots(self) -> dict[str, list[str]]:
        roots: dict[str, list[str]] = {}
        for group in ("kg", "kz", "tj", "uz", "tm"):
            infixes = nm.TJ_INFIXES if group == "tj" else nm.SURNAME_INFIXES
            compounds = {root + infix for root in nm.SURNAME_ROOTS[group] for infix in infixes}
            roots[group] = sorted(compounds | set(nm.GIVEN[group]["m"]))
        roots["ru"] = list(nm.RUSSIAN_SURNAMES)
        roots["mn"] = list(nm.GIVEN["mn"]["m"])
        return roots

    def _make_outlets(self) -> None:
        count = min(400, max(40, self.n_reports // 80))
        combos = [(kind, core) for core in nm.OUTLET_CORES for kind in nm.OUTLET_TYPES]
        self.rng.shuffle(combos)
        for (type_word, _), core in combos[:count]:
            country = self.pick_country()
            actor = Actor(
                actor_id=f"A{len(self.actors) + 1:07d}",
                kind="organization",
                group="org",
                country=country,
                gender="",
                given=core,
                surname=type_word,
                patronymic="",
                role="outlet",
                byline=weighted(self.rng, (("simple", 0.6), ("bgn", 0.2), ("dj", 0.2))),
            )
            self.actors.append(actor)
            self.outlets_by_country[country].append(actor)

    def pick_country(self) -> str:
        roll = self.rng.random() * self._country_weights[-1]
        return self._country_codes[bisect.bisect_right(self._country_weights, roll)]

    def new_person(
        self, country: str, *, role: str | None = None, surname_of: Actor | None = None, namesake: bool = False
    ) -> Actor:
        rng = self.rng
        group = surname_of.group if surname_of is not None else weighted(rng, COUNTRIES[country].groups)
        gender = "f" if rng.random() < 0.4 else "m"
        patronymic_text = ""
        namesake_of = ""
        source_actor = None
        if namesake:  # a different person with exactly the name of someone from another country
            others = [a for c, pool in self.persons_by_country.items() if c != country for a in pool[-200:]]
            if others:
                source_actor = rng.choice(others)
        if source_actor is not None:
            group, gender = source_actor.group, source_actor.gender
            given, surname = source_actor.given, source_actor.surname
            namesake_of = source_actor.actor_id
        else:
            for _attempt in range(8):
                given = rng.choice(self._given[group][gender])
                if surname_of is not None:
                    surname = self._surname_for(surname_of, gender)
                else:
                    surname = self._random_surname(group, gender)
                if (given, surname) not in self.used_person_names:
                    break
        father = rng.choice(self._given[group]["m"])
        if group == "ru" or (group not in {"mn"} and rng.random() < 0.65 and " " not in surname):
            patronymic_text = nm.patronymic(father, gender)
        self.used_person_names.add((given, surname))
        actor = Actor(
            actor_id=f"A{len(self.actors) + 1:07d}",
            kind="person",
            group=group,
            country=country,
            gender=gender,
            given=given,
            surname=surname,
            patronymic=patronymic_text,
            role=role or weighted(rng, ROLES),
            byline=self._byline(group),
            namesake_of=namesake_of,
        )
        outlets = self.outlets_by_country.get(country)
        if actor.role in CPJ_ROLES and outlets and rng.random() < 0.8:
            actor.outlet = rng.choice(outlets)
        self.actors.append(actor)
        self.persons_by_country[country].append(actor)
        if namesake_of:
            self.noise["namesake_actor"] += 1
        return actor

    def _random_surname(self, group: str, gender: str) -> str:
        root = self.rng.choice(self._surname_roots[group])
        if group == "ru":
            return root if gender == "m" else nm.russian_female(root)
        if group == "mn":
            return root
        male, female = nm.surname_forms(root, group, self.rng)
        return male if gender == "m" else female

    def _surname_for(self, relative: Actor, gender: str) -> str:
        """The family name a relative of the other gender writes (Саипов -> Саипова, уулу -> кызы)."""
        surname = relative.surname
        if relative.gender == gender:
            return surname
        pairs = (("уулу", "кызы"), ("ұлы", "қызы"), ("ский", "ская"))
        if gender == "f":
            for male, female in pairs:
                if surname.endswith(male):
                    return surname[: -len(male)] + female
            return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин")) else surname
        for male, female in pairs:
            if surname.endswith(female):
                return surname[: -len(female)] + male
        return surname[:-1] if surname.endswith(("ова", "ева", "ёва", "ина")) else surname

    def _byline(self, group: str) -> str:
        options = {
            "kg": (("simple", 0.35), ("bgn", 0.15), ("dj", 0.25), ("passport", 0.15), ("french", 0.05), ("iso9", 0.05)),
            "kz": (
                ("simple", 0.3),
                ("bgn", 0.15),
                ("dj", 0.15),
                ("passport", 0.15),
                ("kazakh_latin", 0.15),
                ("french", 0.05),
                ("iso9", 0.05),
            ),
            "tj": (("simple", 0.35), ("bgn", 0.2), ("dj", 0.2), ("passport", 0.1), ("french", 0.1), ("iso9", 0.05)),
            "uz": (
                ("simple", 0.25),
                ("uzbek_latin", 0.35),
                ("bgn", 0.1),
                ("dj", 0.1),
                ("passport", 0.1),
                ("french", 0.05),
                ("iso9", 0.05),
            ),
        }.get(group, (("simple", 0.4), ("bgn", 0.3), ("passport", 0.1), ("french", 0.1), ("iso9", 0.1)))
        return weighted(self.rng, options)

    # -- rendering names -----------------------------------------------------------------------

    def latin_name(self, actor: Actor, prefs: Prefs) -> str:
        """The victim's name as a source writes it in its (mostly Latin) name field."""
        rng, noise = self.rng, self.noise
        if actor.kind == "organization":
            return self.outlet_name(actor, prefs)
        if rng.random() < prefs.p_cyrillic:
            noise["cyrillic_victim_name"] += 1
            return self.cyrillic_name(actor, surname_first=rng.random() < 0.4)
        given, surname, patronymic_text = actor.given, actor.surname, actor.patronymic
        if actor.group != "ru" and rng.random() < 0.35:
            given, surname, patronymic_text = nm.russify(given), nm.russify(surname), nm.russify(patronymic_text)
            noise["russified_before_romanisation"] += 1
        scheme = actor.byline if rng.random() < prefs.p_byline else weighted(rng, prefs.schemes)
        if nm.NATIONAL_SCHEMES.get(scheme, actor.group) != actor.group:
            scheme = "simple"
        noise[f"romanisation_{scheme}"] += 1
        given_r, surname_r = nm.translit(given, scheme), nm.translit(surname, scheme)
        patronymic_r = nm.translit(patronymic_text, scheme) if patronymic_text else ""
        keep_patronymic = bool(patronymic_r) and rng.random() < prefs.p_patronymic
        if patronymic_r:
            noise["patronymic_kept" if keep_patronymic else "patronymic_dropped"] += 1
        order = weighted(rng, prefs.order)
        middle = f" {patronymic_r}" if keep_patronymic else ""
        if order == "GS":
            name = f"{given_r}{middle} {surname_r}"
        elif order == "SG":
            name = f"{surname_r} {given_r}{middle}"
            noise["swapped_name_order"] += 1
        else:
            name = f"{surname_r}, {given_r}{middle}"
            noise["comma_name_order"] += 1
        if scheme == "passport" and rng.random() < 0.6:
            name = name.upper()
            noise["upper_case_name"] += 1
        elif scheme == "french" and order != "GS" and rng.random() < 0.5:
            name = name.replace(surname_r, surname_r.upper(), 1)
            noise["upper_case_surname"] += 1
        if rng.random() < prefs.p_typo:
            name = nm.typo(name, rng)
            noise["typo"] += 1
        return name

    def cyrillic_name(self, actor: Actor, *, surname_first: bool, p_patronymic: float = 0.5) -> str:
        """The name in Cyrillic: national or russified spelling, ФИО order or given name first."""
        if actor.kind == "organization":
            return actor.canonical if self.rng.random() < 0.6 else actor.given
        given, surname, patronymic_text = actor.given, actor.surname, actor.patronymic
        if actor.group != "ru" and self.rng.random() < 0.35:
            given, surname, patronymic_text = nm.russify(given), nm.russify(surname), nm.russify(patronymic_text)
            self.noise["russified_cyrillic"] += 1
        keep = bool(patronymic_text) and self.rng.random() < p_patronymic
        if surname_first:
            return f"{surname} {given} {patronymic_text}" if keep else f"{surname} {given}"
        return f"{given} {patronymic_text} {surname}" if keep else f"{given} {surname}"

    def outlet_name(self, actor: Actor, prefs: Prefs) -> str:
        rng = self.rng
        if rng.random() < prefs.p_cyrillic:
            self.noise["cyrillic_victim_name"] += 1
            return self.cyrillic_name(actor, surname_first=False)
        scheme = actor.byline if rng.random() < 0.6 else weighted(rng, (("simple", 0.5), ("bgn", 0.3), ("dj", 0.2)))
        core = nm.translit(actor.given, scheme)
        type_words = dict(nm.OUTLET_TYPES)[actor.surname]
        form = rng.random()
        if form < 0.45:
            return f"{rng.choice(type_words)} {core}"
        if form < 0.75:
            return f"{core} {rng.choice(type_words)}"
        return core

    def organization_text(self, actor: Actor) -> str | None:
        """A person's employer as sources write it (Latin), or None."""
        if actor.outlet is None:
            return None
        outlet = actor.outlet
        scheme = outlet.byline if self.rng.random() < 0.8 else "simple"
        core = nm.translit(outlet.given, scheme)
        return core if self.rng.random() < 0.5 else f"{dict(nm.OUTLET_TYPES)[outlet.surname][0]} {core}"

    # -- events --------------------------------------------------------------------------------

    def random_date(self, start: dt.date = FIRST_DATE, end: dt.date = LAST_DATE) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def city_of(self, country: str) -> City:
        cities = COUNTRIES[country].cities
        return self.rng.choices(cities, weights=[city.weight for city in cities])[0]

    def new_event(self, force: dict | None = None) -> list[Event]:
        """One event (and its same-day sibling when drawn); returns every event made."""
        force = force or {}
        rng = self.rng
        country = force.get("country") or self.pick_country()
        date = force.get("date") or self.random_date()
        city = self.city_of(country)
        tags: list[str] = []
        victims: list[Actor] = []
        roll = rng.random()
        if force.get("org") or (not force and roll < 0.06 and self.outlets_by_country.get(country)):
            pool = self.outlets_by_country.get(country) or self.outlets_by_country[next(iter(self.outlets_by_country))]
            victims = [rng.choice(pool)]
            violations = [weighted(rng, ORG_VIOLATIONS)]
            tags.append("organization_victim")
        elif force.get("mass") or (not force and roll < 0.09):
            count = force.get("victims") or rng.randint(6, 14)
            city = COUNTRIES[country].cities[0]
            victims = [self.new_person(country, role=weighted(rng, ROLES[:4])) for _ in range(count)]
            violations = ["arbitrary_detention"] + (["imprisonment"] if rng.random() < 0.2 else [])
            tags.append("mass_event")
            self.noise["mass_event"] += 1
        else:
            count = force.get("victims") or int(weighted(rng, (("1", 0.82), ("2", 0.1), ("3", 0.05), ("4", 0.03))))
            repeat_of = force.get("repeat_of")
            if repeat_of is None and not force and rng.random() < 0.12:
                repeat_of = self._repeat_candidate(country)
            if repeat_of is not None:
                gap = rng.randint(60, 500)
                date = repeat_of.last_date + dt.timedelta(days=gap)
                if date > LAST_DATE:
                    date, repeat_of = self.random_date(), None
            if repeat_of is not None:
                victims.append(repeat_of)
                tags.append("repeat_victim")
                self.noise["repeat_victim_event"] += 1
            else:
                victims.append(self.new_person(country, role=force.get("role"), namesake=self._namesake(force)))
            relatives = force.get("relatives") or (count > 1 and rng.random() < 0.4)
            for index in range(1, count):
                if index == 1 and relatives:
                    victims.append(self.new_person(country, surname_of=victims[0], role=victims[0].role))
                    tags.append("relatives")
                    self.noise["relatives_event"] += 1
                else:
                    victims.append(self.new_person(country, role=force.get("role")))
            violations = list(force.get("violations") or [weighted(rng, PRIMARY_VIOLATIONS)])
            secondary = SECONDARY_VIOLATIONS[violations[0]]
            if secondary and not force.get("violations") and rng.random() < 0.2:
                violations.append(rng.choice(secondary))
        if any(victim.dead for victim in victims):  # nobody is attacked after being killed
            violations = [v for v in violations if v != "killing"] or ["threats"]
        perpetrator = weighted(rng, PERPETRATORS_BY_VIOLATION[violations[0]])
        event = self._event(date, country, city, violations, perpetrator, victims, tags)
        made = [event]
        if force.get("sibling") or (not force and rng.random() < 0.04):
            sibling_victims = [self.new_person(country) for _ in range(rng.choice((1, 1, 2)))]
            sibling_violations = [weighted(rng, PRIMARY_VIOLATIONS[:5])]
            perpetrator = weighted(rng, PERPETRATORS_BY_VIOLATION[sibling_violations[0]])
            sibling = self._event(date, country, city, sibling_violations, perpetrator, sibling_victims, [])
            event.tags.append("same_day_sibling")
            sibling.tags.append("same_day_sibling")
            self.noise["same_day_sibling_event"] += 2
            made.append(sibling)
        return made

    def _namesake(self, force: dict) -> bool:
        return bool(force.get("namesake")) or (not force and self.rng.random() < 0.03)

    def _repeat_candidate(self, country: str) -> Actor | None:
        pool = self.persons_by_country.get(country)
        if not pool:
            return None
        candidate = self.rng.choice(pool[-500:])
        if candidate.dead or candidate.last_date is None or candidate.last_date > LAST_DATE - dt.timedelta(days=60):
            return None
        return candidate

    def _event(
        self,
        date: dt.date,
        country: str,
        city: City,
        violations: list[str],
        perpetrator: str,
        victims: list[Actor],
        tags: list[str],
    ) -> Event:
        rng = self.rng
        event = Event(
            event_id=f"E{len(self.events) + 1:07d}",
            date=date,
            country=country,
            city=city,
            lat=round(city.lat + rng.gauss(0, 0.02), 5),
            lon=round(city.lon + rng.gauss(0, 0.02), 5),
            violations=tuple(dict.fromkeys(violations)),
            perpetrator=perpetrator,
            victims=victims,
            tags=tags,
        )
        for victim in victims:
            if victim.last_date is None or date > victim.last_date:
                victim.last_date = date
            if "killing" in event.violations and victim.kind == "person":
                victim.dead = True
        self.events.append(event)
        return event

    # -- reporting -----------------------------------------------------------------------------

    def report(self, event: Event, force_sources: list[str] | None = None, resubmit: str | None = None) -> None:
        """Choose the sources that report ``event`` and render their records, later reports dated later."""
        rng = self.rng
        eligible = [source for source in self.sources if source.eligible(event)]
        if force_sources:
            chosen = [
                self.by_key[key] for key in force_sources if key in self.by_key and self.by_key[key].eligible(event)
            ]
        else:
            k = int(weighted(rng, (("1", 0.38), ("2", 0.32), ("3", 0.2), ("4", 0.1))))
            chosen = []
            candidates = list(eligible)
            while candidates and len(chosen) < k:
                pick = rng.choices(candidates, weights=[source.weight for source in candidates])[0]
                chosen.append(pick)
                candidates.remove(pick)
        if not chosen:
            chosen = [self.by_key["partner_csv"]]
        plans = [(source, group) for source in chosen for group in source.plan(event)]
        rng.shuffle(plans)
        lag = rng.randint(0, 10)
        produced = 0
        for position, (source, group) in enumerate(plans):
            if position:
                lag += rng.randint(0, 21)  # the next report comes days to weeks later, never earlier
            produced += source.add(event, group, lag, resubmission=False)
            if source.key == resubmit or (source.p_resubmit and rng.random() < source.p_resubmit):
                produced += source.add(event, group, lag + rng.randint(1, 20), resubmission=True)
                self.noise["resubmission"] += 1
        if not produced:  # e.g. every CPJ key collided: the partner sheet still has it
            produced += self.by_key["partner_csv"].add(event, list(event.victims), lag, resubmission=False)
        self.report_count += produced

    def run(self) -> None:
        for force, sources, resubmit in self._prelude():
            if "repeat_of" in force:  # the first prelude event's first victim, attacked again
                force["repeat_of"] = self.events[0].victims[0]
            made = self.new_event(force)
            for index, event in enumerate(made):
                self.report(event, sources if index == 0 else None, resubmit if index == 0 else None)
        while self.report_count < self.n_reports:
            for event in self.new_event():
                self.report(event)

    def _prelude(self) -> list[tuple[dict, list[str] | None, str | None]]:
        """A few events made on purpose first, so that even a small benchmark has every hard case."""
        first = self.random_date(dt.date(2018, 1, 1), dt.date(2019, 12, 31))
        forms = "kobo_export" if "kobo_export" in self.by_key else "partner_csv"
        per_victim = "odk_csv_zip" if "odk_csv_zip" in self.by_key else "cpj_csv"
        prelude: list[tuple[dict, list[str] | None, str | None]] = [
            (  # one source lists three victims in one row, another lists three single-victim records
                {
                    "country": "KG",
                    "date": first,
                    "victims": 3,
                    "relatives": True,
                    "role": "journalist",
                    "violations": ["imprisonment"],
                },
                ["partner_csv", "cpj_csv", "uwazi_csv"],
                None,
            ),
            (
                {"country": "KZ", "date": self.random_date(dt.date(2020, 1, 1), dt.date(2024, 12, 31)), "victims": 1},
                [forms, "uwazi_csv"],
                forms,
            ),
            (
                {
                    "country": "KZ",
                    "date": self.random_date(dt.date(2019, 1, 1), dt.date(2024, 12, 31)),
                    "mass": True,
                    "victims": 7,
                },
                ["partner_csv", forms, per_victim],
                None,
            ),
            (
                {
                    "country": "TJ",
                    "date": self.random_date(dt.date(2019, 1, 1), dt.date(2024, 12, 31)),
                    "sibling": True,
                    "victims": 1,
                },
                ["partner_xlsx", "uwazi_csv"],
                None,
            ),
            (
                {"country": "KG", "date": self.random_date(dt.date(2019, 1, 1), dt.date(2024, 12, 31)), "org": True},
                ["uwazi_csv", "partner_csv"],
                None,
            ),
            (
                {
                    "country": "UZ",
                    "date": self.random_date(dt.date(2017, 1, 1), dt.date(2024, 12, 31)),
                    "victims": 1,
                    "namesake": True,
                },
                ["partner_csv", "uwazi_csv", "partner_xlsx"],
                "partner_csv",
            ),
        ]
        # the same journalist attacked again months later: two events, one actor
        repeat = {"repeat_of": None, "victims": 1, "country": "KG", "violations": ["threats"]}
        prelude.append((repeat, ["partner_csv", "uwazi_csv", "cpj_people_list"], None))
        return prelude

    # -- output --------------------------------------------------------------------------------

    def write(self) -> None:
        out = self.out_dir
        out.mkdir(parents=True, exist_ok=True)
        for source in self.sources:
            source.finish(out)
            spec = source.spec()
            text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)
            (out / f"{source.name}.yml").write_text(text, encoding="utf-8")
        self._write_csv(
            out / "truth_reports.csv", ("source_name", "source_record_id", "true_event_id"), self.truth_reports
        )
        self._write_csv(
            out / "truth_mentions.csv",
            ("source_name", "source_record_id", "victim_position", "true_actor_id", "true_event_id"),
            self.truth_mentions,
        )
        self._write_csv(
            out / "truth_events.csv",
            (
                "true_event_id",
                "event_date",
                "country_code",
                "city",
                "latitude",
                "longitude",
                "violation_type_codes",
                "perpetrator",
                "true_actor_ids",
                "tags",
            ),
            [
                (
                    e.event_id,
                    e.date.isoformat(),
                    e.country,
                    e.city.names[0],
                    e.lat,
                    e.lon,
                    "|".join(e.violations),
                    e.perpetrator,
                    "|".join(v.actor_id for v in e.victims),
                    "|".join(e.tags),
                )
                for e in self.events
            ],
        )
        self._write_csv(
            out / "truth_actors.csv",
            (
                "true_actor_id",
                "kind",
                "role",
                "country_code",
                "name_group",
                "gender",
                "canonical_name",
                "patronymic",
                "byline_scheme",
                "outlet_actor_id",
                "namesake_of",
            ),
            [
                (
                    a.actor_id,
                    a.kind,
                    a.role,
                    a.country,
                    a.group,
                    a.gender,
                    a.canonical,
                    a.patronymic,
                    a.byline,
                    a.outlet.actor_id if a.outlet else "",
                    a.namesake_of,
                )
                for a in self.actors
            ],
        )
        self._write_csv(
            out / "expected_quarantine.csv",
            ("source_name", "source_file", "source_row", "reason"),
            self.expected_quarantine,
        )
        manifest = {
            "seed": self.seed,
            "n_reports_requested": self.n_reports,
            "n_reports": len(self.truth_reports),
            "n_mentions": len(self.truth_mentions),
            "n_events": len(self.events),
            "n_events_reported": len({row[2] for row in self.truth_reports}),
            "n_actors": len(self.actors),
            "n_actors_mentioned": len({row[3] for row in self.truth_mentions}),
            "expected_quarantined_rows": len(self.expected_quarantine),
            "sources": {source.name: source.summary() for source in self.sources},
            "noise": dict(sorted(self.noise.items())),
        }
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @staticmethod
    def _write_csv(path: Path, header: tuple[str, ...], rows: list) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)

    # -- small helpers shared by the sources ---------------------------------------------------

    def country_text(self, code: str, style: str) -> str:
        """The country as a source writes it: from the country_aliases seed (or ISO codes, which it also maps)."""
        rng = self.rng
        country = COUNTRIES[code]
        cyrillic, latin = self._aliases(code)
        roll = rng.random()
        if style == "english":  # CPJ, Uwazi: the usual English name, sometimes an official/variant one
            choice = country.name if roll < 0.85 or not latin else rng.choice(latin)
        elif style == "cyrillic":  # partner sheets
            if roll < 0.6 and cyrillic:
                choice = rng.choice(cyrillic)
            elif roll < 0.85 or not latin:
                choice = country.name
            else:
                choice = rng.choice(latin)
        elif style == "choice":  # Kobo select-one: lower-case choice name, sometimes the label
            choice = country.name.lower() if roll < 0.85 else country.name
        else:  # ODK: ISO codes or the name
            choice = code if roll < 0.6 else (country.name if roll < 0.9 else _ISO3.get(code, code))
        if choice != country.name:
            self.noise["country_name_variant"] += 1
        return choice

    def _aliases(self, code: str) -> tuple[list[str], list[str]]:
        """(Cyrillic aliases, other Latin aliases) of a country in the country_aliases seed."""
        cached = self._alias_cache.get(code)
        if cached is None:
            aliases = self.vocab.country_aliases.get(code) or [COUNTRIES[code].name]
            cyrillic = [alias for alias in aliases if re.search("[а-яёөүңәғқұһі]", alias.lower())]
            latin = [alias for alias in aliases if alias not in cyrillic and alias != COUNTRIES[code].name]
            cached = self._alias_cache[code] = (cyrillic, latin)
        return cached

    def city_text(self, city: City, p_cyrillic: float, p_missing: float) -> str:
        rng = self.rng
        if rng.random() < p_missing:
            self.noise["city_missing"] += 1
            return ""
        cyrillic = [name for name in city.names if re.search("[а-яА-ЯёЁөүңәғқұһіӯӣҳҷ]", name)]
        if cyrillic and rng.random() < p_cyrillic:
            return rng.choice(cyrillic)
        latin = [name for name in city.names if name not in cyrillic]
        if len(latin) > 1 and rng.random() < 0.15:
            self.noise["city_name_variant"] += 1
            return rng.choice(latin[1:])
        return latin[0]

    def shown_date(self, event: Event, lag: int, p_report_date: float) -> dt.date:
        """The date a form-based source writes: the event's, or (one-sided lag) the day it was reported."""
        if self.rng.random() < p_report_date and lag > 0:
            self.noise["date_shifted_to_report_date"] += 1
            return event.date + dt.timedelta(days=self.rng.randint(1, min(lag, 21)))
        return event.date

    def coordinates(self, event: Event, p_missing: float) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < p_missing:
            self.noise["coordinates_missing"] += 1
            return "", ""
        if rng.random() < 0.3:  # the city centre instead of the place
            lat, lon = event.city.lat, event.city.lon
        else:
            lat, lon = event.lat + rng.gauss(0, 0.003), event.lon + rng.gauss(0, 0.003)
        digits = rng.choice((3, 4, 4, 5, 6))
        return f"{lat:.{digits}f}", f"{lon:.{digits}f}"

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add_truth(self, source: Source, record_id: str, event: Event, victims: list[Actor]) -> None:
        self.truth_reports.append((source.name, record_id, event.event_id))
        for position, victim in enumerate(victims, start=1):
            self.truth_mentions.append((source.name, record_id, position, victim.actor_id, event.event_id))

    def _all_sources(self) -> list[Source]:
        return [
            CpjCsv(self),
            CpjPeopleList(self),
            PartnerCsv(self),
            PartnerXlsx(self),
            UwaziCsv(self),
            KoboExport(self),
            OdkCsvZip(self),
        ]


_ISO3 = {
    "KG": "KGZ",
    "KZ": "KAZ",
    "TJ": "TJK",
    "UZ": "UZB",
    "TM": "TKM",
    "RU": "RUS",
    "BY": "BLR",
    "UA": "UKR",
    "MN": "MNG",
    "TR": "TUR",
}


# --- sources ---------------------------------------------------------------------------------


class Source:
    """One source: which events it hears of, how it splits victims into records, how it writes them."""

    key = ""
    name = ""
    kind = ""
    weight = 1.0
    p_resubmit = 0.0
    prefs = Prefs(0.0, 0.8, (("simple", 1.0),), (("GS", 1.0),), 0.05, 0.02)

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.rows: list = []
        self.records = 0
        self.reports = 0
        self.files: list[str] = []

    def available(self) -> bool:
        """Render this source only if its connector module and staging macro exist in this checkout."""
        from extract.connectors import UnknownKindError, connector_for

        try:
            connector_for(self.kind)
        except (UnknownKindError, ImportError, SyntaxError):
            return False
        return (STAGING_MACROS_DIR / f"hrdw_stage_{self.kind}.sql").exists()

    def eligible(self, event: Event) -> bool:
        return True

    def plan(self, event: Event) -> list[list[Actor]]:
        """Victim groups, one per record: together, one per victim, or only some of them."""
        victims = list(event.victims)
        if len(victims) > 3 and self.rng.random() < 0.4:
            kept = [victim for victim in victims if self.rng.random() < 0.7] or victims[:1]
            if len(kept) < len(victims):
                self.world.noise["partial_victim_coverage"] += 1
            victims = kept
        if len(victims) > 1 and self.rng.random() < self.p_together():
            self.world.noise["multi_victim_record"] += 1
            return [victims]
        if len(victims) > 1:
            self.world.noise["one_record_per_victim"] += 1
        return [[victim] for victim in victims]

    def p_together(self) -> float:
        return 0.0

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        raise NotImplementedError

    def finish(self, out: Path) -> None:
        raise NotImplementedError

    def spec(self) -> dict:
        raise NotImplementedError

    def summary(self) -> dict:
        return {"kind": self.kind, "records": self.records, "reports": self.reports, "files": self.files}

    def violation_labels(self, event: Event, vocabulary: str, *, choice_name: bool = False) -> list[str]:
        key = (vocabulary, event.violations, choice_name)
        cached = self.world._label_cache.get(key)
        if cached is None:
            vocab = self.world.vocab
            labels = [vocab.violation_label(vocabulary, code, choice_name=choice_name) for code in event.violations]
            cached = self.world._label_cache[key] = list(dict.fromkeys(label for label in labels if label))
        return cached

    def can_say(self, event: Event, vocabulary: str, *, choice_name: bool = False) -> bool:
        return bool(self.violation_labels(event, vocabulary, choice_name=choice_name))


class CpjCsv(Source):
    """CPJ's 42-column database export: one row per person, year only, killed/imprisoned/missing."""

    key, name, kind, weight = "cpj_csv", "bench_cpj_export", "cpj_csv", 3.0
    prefs = Prefs(0.0, 0.85, (("simple", 0.5), ("bgn", 0.5)), (("GS", 0.93), ("SG", 0.05), ("S,G", 0.02)), 0.03, 0.01)
    HEADER = (
        "year,combinedStatus,fullName,sortName,primaryNationality,secondaryNationality,tertiaryNationality,gender,"
        "type,lastStatus,typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,"
        "state,locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,accountabilityCrossfire,"
        "accountabilityAssignment,impunityMurder,tortured,captive,threatened,charges,motive,lengthOfSentence,"
        "healthProblems,impCountry,entry,sentenceDate,sentence,locationImprisoned,Type of journalist"
    ).split(",")
    RECORD_KEY = ("fullName", "year", "country", "status")

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.keys: set[str] = set()

    def cpj_status(self, event: Event) -> str | None:
        for code in ("killing", "imprisonment", "enforced_disappearance"):
            if code in event.violations:
                label = self.world.vocab.violations.get("cpj", {}).get(code)
                if label:
                    return label[0][:1].upper() + label[0][1:]
        return None

    def eligible(self, event: Event) -> bool:
        return self.cpj_status(event) is not None and any(
            v.kind == "person" and v.role in CPJ_ROLES for v in event.victims
        )

    def plan(self, event: Event) -> list[list[Actor]]:
        victims = [v for v in event.victims if v.kind == "person" and v.role in CPJ_ROLES]
        if len(victims) > 1:
            self.world.noise["one_record_per_victim"] += 1
        return [[victim] for victim in victims]

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        (victim,) = victims
        status = self.cpj_status(event)
        country = world.country_text(event.country, "english")
        year = str(event.date.year)
        for _attempt in range(3):
            name = world.latin_name(victim, self.prefs)
            key = "|".join(part.strip() for part in (name, year, country, status))
            if key not in self.keys:
                break
        else:
            return 0  # CPJ has one row per person and year: a second one is not in the export
        self.keys.add(key)
        world.noise["date_precision_year"] += 1
        city = world.city_text(event.city, 0.0, 0.1)
        killed = status == "Killed"
        perpetrator = world.vocab.perpetrator_label("cpj", event.perpetrator) if killed else None
        motive = "Confirmed" if rng.random() < 0.7 else "Unconfirmed"
        values = {
            "year": year,
            "combinedStatus": motive,
            "fullName": name,
            "sortName": f"{nm.translit(victim.surname, victim.byline)}, {nm.translit(victim.given, victim.byline)}"
            if rng.random() < 0.3
            else "",
            "gender": {"m": "Male", "f": "Female"}[victim.gender] if rng.random() < 0.5 else "",
            "type": "Media Worker" if victim.role == "media_worker" else "Journalist",
            "typeOfDeath": rng.choice(("Murder", "Murder", "Crossfire", "Dangerous Assignment")) if killed else "N/A",
            "status": status,
            "employedAs": rng.choice(("Staff", "Freelance")),
            "organizations": world.organization_text(victim) or "",
            "jobs": rng.choice(("Print Reporter", "Broadcast Reporter", "Internet Reporter", "Editor")),
            "coverage": rng.choice(("Politics", "Human Rights", "Corruption", "Politics,Human Rights")),
            "mediums": rng.choice(("Internet", "Print", "Television", "Radio")),
            "country": country,
            "location": city,
            "locality": city,
            "localOrForeign": "Local",
            "sourcesOfFire": " ".join(word.capitalize() for word in perpetrator.split()) if perpetrator else "",
            "motiveConfirmed": motive if killed else "",
            "charges": rng.choice(("Anti-state", "Retaliatory", "False news")) if status == "Imprisoned" else "",
            "Type of journalist": "Media Worker" if victim.role == "media_worker" else "Journalist",
        }
        row = [values.get(column, "") for column in self.HEADER]
        self.rows.append((name.lower(), year, row, key, event, victims))
        return 1

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda item: (item[0], item[1], item[3]))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.HEADER)
        for _, _, row, key, event, victims in self.rows:
            writer.writerow(row)
            self.world.add_truth(self, key, event, victims)
        (folder / "cpj_export.csv").write_text(buffer.getvalue(), encoding="utf-8")
        self.records = self.reports = len(self.rows)
        self.files = [f"data/{self.name}/cpj_export.csv"]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: CPJ database CSV export (42-column layout), one row per person, years only.",
            "attribution": "Synthetic benchmark data (bench/generator.py)",
            "reliability": "high",
            "location": {"path": f"data/{self.name}/*.csv"},
            "record_key": list(self.RECORD_KEY),
            "publication": {"publish": False},
        }


class CpjPeopleList(Source):
    """CPJ's people_list JSON pages, read from disk: startDisplay dates in CPJ's free-text forms."""

    key, name, kind, weight = "cpj_people_list", "bench_cpj_people", "cpj_people_list", 3.0
    prefs = Prefs(0.0, 0.85, (("simple", 0.5), ("bgn", 0.5)), (("GS", 0.95), ("SG", 0.05)), 0.02, 0.01)
    PAGE_SIZE = 20

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.slugs: Counter[str] = Counter()
        self.cpj = CpjCsv(world)

    def eligible(self, event: Event) -> bool:
        return self.cpj.eligible(event)

    def plan(self, event: Event) -> list[list[Actor]]:
        return self.cpj.plan(event)

    def start_display(self, date: dt.date) -> str:
        rng, noise = self.rng, self.world.noise
        roll = rng.random()
        if roll < 0.6:
            noise["date_precision_day"] += 1
            return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"
        if roll < 0.75:
            noise["date_precision_month"] += 1
            return f"{MONTHS[date.month - 1]} {date.year}"
        if roll < 0.85:
            noise["date_cpj_unknown_in_year"] += 1
            return f"Unknown in {date.year}"
        if roll < 0.95 and date.day > 1:  # "June 7 or 8, 2008": the truth is one of the two days
            first = date - dt.timedelta(days=rng.randint(0, 1))
            second = first + dt.timedelta(days=1)
            if second.month == first.month:
                noise["date_cpj_or_day"] += 1
                return f"{MONTHS[first.month - 1]} {first.day} or {second.day}, {first.year}"
        noise["date_cpj_on_or_after"] += 1
        start = date - dt.timedelta(days=rng.randint(0, 3))
        return f"On or after {MONTHS[start.month - 1]} {start.day}, {start.year}"

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        (victim,) = victims
        name = world.latin_name(victim, self.prefs)
        base = re.sub("[^a-z0-9]+", "-", nm.translit(victim.canonical, "simple").lower()).strip("-") or "person"
        self.slugs[base] += 1
        slug = base if self.slugs[base] == 1 else f"{base}-{self.slugs[base]}"
        status = self.cpj.cpj_status(event)
        item = {
            "fullName": name,
            "organizations": world.organization_text(victim) or "",
            "location": world.country_text(event.country, "english"),
            "status": status,
            "typeOfDeath": rng.choice(("Murder", "Crossfire", "Dangerous Assignment")) if status == "Killed" else "N/A",
            "startDisplay": self.start_display(event.date),
            "mtpage": f"https://cpj.org/data/people/{slug}/",
            "type": "Media Worker" if victim.role == "media_worker" else "Journalist",
            "motiveConfirmed": "Confirmed" if rng.random() < 0.7 else "Unconfirmed",
            "charges": rng.choice(("Anti-state", "Retaliatory")) if status == "Imprisoned" else None,
        }
        self.rows.append((name.lower(), item["mtpage"], item, event, victims))
        return 1

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name / "people"
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda row: (row[0], row[1]))
        pages = [self.rows[i : i + self.PAGE_SIZE] for i in range(0, len(self.rows), self.PAGE_SIZE)] or [[]]
        for number, page in enumerate(pages, start=1):
            document = {"pageCount": len(pages), "rowCount": len(self.rows), "data": [row[2] for row in page]}
            text = json.dumps(document, indent=1, ensure_ascii=False)
            (folder / f"page-{number}.json").write_text(text + "\n", encoding="utf-8")
            for _, mtpage, _, event, victims in page:
                self.world.add_truth(self, mtpage, event, victims)
        self.records = self.reports = len(self.rows)
        self.files = [f"data/{self.name}/people/page-{n}.json" for n in range(1, len(pages) + 1)]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: CPJ people_list JSON API pages replayed from disk (20 a page).",
            "attribution": "Synthetic benchmark data (bench/generator.py)",
            "reliability": "high",
            "location": {"url": f"data/{self.name}/people/page-{{page}}.json"},
            "options": {"min_request_interval_seconds": 0, "shrink_guard_min_ratio": 0},
            "publication": {"publish": False},
        }


class PartnerCsv(Source):
    """A Central Asian partner's incident sheet as CSV: title rows, Cyrillic and Latin names, ';' lists."""

    key, name, kind, weight, p_resubmit = "partner_csv", "bench_partner_ca", "spreadsheet", 3.0, 0.04
    prefs = Prefs(
        0.04,
        0.4,
        (("passport", 0.35), ("simple", 0.3), ("dj", 0.2), ("bgn", 0.15)),
        (("GS", 0.5), ("SG", 0.35), ("S,G", 0.15)),
        0.1,
        0.05,
    )
    HEADERS: ClassVar[dict[str, str]] = {
        "incident_number": "№",
        "event_date": "Дата / Date",
        "country": "Страна / Country",
        "city": "Город / City",
        "victim_name_original": "ФИО (кириллица)",
        "victim_name": "Name (Latin)",
        "victim_type": "Тип жертвы / Victim type",
        "victim_gender": "Пол / Gender",
        "organization": "СМИ / Outlet",
        "violations": "Нарушение / Violation",
        "perpetrator": "Исполнитель / Perpetrator",
        "description": "Описание / Description",
        "information_source": "Источник / Source",
    }
    ROLE_LABELS: ClassVar[dict[str, str]] = {
        "journalist": "Журналист / Journalist",
        "media_worker": "Медиаработник / Media worker",
        "blogger": "Блогер / Blogger",
        "hrd": "Правозащитник / HRD",
        "lawyer": "Адвокат / Lawyer",
        "outlet": "СМИ / Media outlet",
    }
    GENDER_LABELS: ClassVar[dict[str, str]] = {"m": "М", "f": "Ж", "": ""}
    TITLE = "Мониторинг нарушений прав журналистов и правозащитников — Центральная Азия (выгрузка)"
    FILE = "partner_ca_incidents.csv"
    VOCABULARY = "partner"
    REQUIRED = ("incident_number", "event_date", "country", "victim_name", "violations")

    def eligible(self, event: Event) -> bool:
        return self.can_say(event, self.VOCABULARY)

    def p_together(self) -> float:
        return 0.65

    def date_text(self, date: dt.date) -> str | dt.date:
        roll, noise = self.rng.random(), self.world.noise
        if roll < 0.55:
            noise["date_precision_day"] += 1
            return date.strftime("%d.%m.%Y")
        if roll < 0.75:
            noise["date_precision_day"] += 1
            return date.isoformat()
        if roll < 0.9:
            noise["date_precision_month"] += 1
            return date.strftime("%m.%Y")
        noise["date_precision_year"] += 1
        return str(date.year)

    def cells(self, event: Event, victims: list[Actor]) -> dict[str, object]:
        world, rng = self.world, self.rng
        latin = [world.latin_name(victim, self.prefs) for victim in victims]
        with_cyrillic = rng.random() < 0.8
        cyrillic = [world.cyrillic_name(v, surname_first=rng.random() < 0.6) for v in victims] if with_cyrillic else []
        outlets = list(dict.fromkeys(filter(None, (world.organization_text(v) for v in victims))))
        if not outlets:
            world.noise["organization_missing"] += 1
        separator = f"{VICTIM_SEPARATOR} "
        perpetrator = world.vocab.perpetrator_label(self.VOCABULARY, event.perpetrator)
        words = ", ".join(VIOLATION_WORDS[code][1] for code in event.violations)
        return {
            "event_date": self.date_text(event.date),
            "country": world.country_text(event.country, "cyrillic"),
            "city": world.city_text(event.city, 0.6, 0.08),
            "victim_name_original": separator.join(cyrillic),
            "victim_name": separator.join(latin),
            "victim_type": separator.join(self.ROLE_LABELS[v.role] for v in victims),
            "victim_gender": separator.join(self.GENDER_LABELS[v.gender] for v in victims),
            "organization": separator.join(outlets),
            "violations": separator.join(partner_label(label) for label in self.violation_labels(event, "partner")),
            "perpetrator": partner_label(perpetrator) if perpetrator else "",
            "description": f"{words.capitalize()}; пострадавших: {len(victims)}.",
            "information_source": rng.choice(("Партнёрский мониторинг", "СМИ", "CPJ", "Соцсети")),
        }

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        cells = self.cells(event, victims)
        self.rows.append((event.date + dt.timedelta(days=lag), len(self.rows), cells, event, victims))
        return 1

    def inject_drafts(self) -> list[tuple[dt.date, int, dict, None, None]]:
        """Draft rows missing required values, as partners leave them: the loader must quarantine them."""
        drafts = []
        for index in range(max(1, len(self.rows) // 1000)):
            if not self.rows:
                break
            _, _, cells, _, _ = self.rows[self.rng.randrange(len(self.rows))]
            draft = {**cells, "event_date": "", "violations": "", "description": "черновик / draft"}
            drafts.append((self.rows[-1][0], len(self.rows) + index, draft, None, None))
        return drafts

    def ordered_rows(self) -> list:
        rows = sorted(self.rows, key=lambda row: (row[0], row[1])) + self.inject_drafts()
        return rows

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        header = list(self.HEADERS.values())
        writer.writerow([self.TITLE] + [""] * (len(header) - 1))
        writer.writerow([""] * len(header))
        writer.writerow(header)
        for number, (_, _, cells, event, victims) in enumerate(self.ordered_rows(), start=1):
            cells = {**cells, "incident_number": str(number)}
            writer.writerow([str(cells.get(canonical, "")) for canonical in self.HEADERS])
            if event is None:
                reason = "missing required value(s): event_date ('Дата / Date'), violations ('Нарушение / Violation')"
                self.world.expected_quarantine.append((self.name, self.FILE, number, reason))
                self.world.noise["injected_quarantine_row"] += 1
                continue
            self.world.add_truth(self, str(number), event, victims)
            self.reports += 1
        (folder / self.FILE).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
        self.records = self.reports
        self.files = [f"data/{self.name}/{self.FILE}"]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: a partner's incident sheet for Central Asia, exported as CSV (UTF-8 with BOM), "
            "two title rows above the header, several victims of one incident in one row separated by ';'.",
            "attribution": "Synthetic benchmark data (bench/generator.py)",
            "reliability": "medium",
            "location": {"path": f"data/{self.name}/*.csv"},
            "options": {
                "delimiter": ",",
                "multi_value_separator": VICTIM_SEPARATOR,
                "victim_separator": VICTIM_SEPARATOR,
            },
            "record_key": ["№"],
            "columns": dict(self.HEADERS),
            "required_columns": list(self.REQUIRED),
            "publication": {"publish": False},
        }


class PartnerXlsx(PartnerCsv):
    """A small Tajik partner workbook (.xlsx): merged title, header on row 3, Excel dates, a total row."""

    key, name, kind, weight, p_resubmit = "partner_xlsx", "bench_partner_tj", "spreadsheet", 2.0, 0.0
    HEADERS: ClassVar[dict[str, str]] = {
        "incident_number": "№",
        "event_date": "Сана / Date",
        "country": "Кишвар / Country",
        "city": "Шаҳр / City",
        "victim_name_original": "Ному насаб / Name (Cyrillic)",
        "victim_name": "Name (Latin)",
        "victim_type": "Навъ / Victim type",
        "organization": "ВАО / Outlet",
        "violations": "Вайронкунӣ / Violation",
        "perpetrator": "Иҷрокунанда / Perpetrator",
        "description": "Тавсиф / Description",
    }
    SHEET = "Ҳодисаҳо"
    FILE = "partner_tj_incidents.xlsx"

    def eligible(self, event: Event) -> bool:
        return event.country in {"TJ", "UZ"} and len(self.rows) < XLSX_MAX_ROWS and super().eligible(event)

    def date_text(self, date: dt.date) -> str | dt.date:
        roll, noise = self.rng.random(), self.world.noise
        if roll < 0.6:
            noise["date_precision_day"] += 1
            noise["date_excel_cell"] += 1
            return date
        if roll < 0.85:
            noise["date_precision_day"] += 1
            return date.strftime("%d.%m.%Y")
        if roll < 0.92:
            noise["date_excel_serial_text"] += 1
            return str((date - dt.date(1899, 12, 30)).days)
        noise["date_precision_month"] += 1
        return date.strftime("%m.%Y")

    def finish(self, out: Path) -> None:
        from openpyxl import Workbook

        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.SHEET
        header = list(self.HEADERS.values())
        sheet.append(["Мониторинги вайронкунии ҳуқуқи рӯзноманигорон — Тоҷикистон ва Ӯзбекистон"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
        sheet.append(header)
        rows = sorted(self.rows, key=lambda row: (row[0], row[1]))
        for number, (_, _, cells, event, victims) in enumerate(rows, start=1):
            values = [
                number if canonical == "incident_number" else (cells.get(canonical) or None)
                for canonical in self.HEADERS
            ]
            sheet.append(values)
            date_value = cells.get("event_date")
            if isinstance(date_value, dt.date):
                sheet.cell(row=sheet.max_row, column=2).number_format = "DD.MM.YYYY"
            self.world.add_truth(self, str(number), event, victims)
            self.reports += 1
        total = ["Ҳамагӣ / Total"] + [None] * (len(header) - 2) + [f"{len(rows)} ҳодиса"]
        sheet.append(total)
        reason = (
            "missing required value(s): event_date ('Сана / Date'), country ('Кишвар / Country'), "
            "victim_name ('Name (Latin)'), violations ('Вайронкунӣ / Violation')"
        )
        self.world.expected_quarantine.append((self.name, self.FILE, len(rows) + 1, reason))
        self.world.noise["injected_quarantine_row"] += 1
        notes = workbook.create_sheet("Notes")
        notes.append(["Synthetic benchmark data written by bench/generator.py."])
        workbook.properties.creator = "bench/generator.py"
        workbook.save(folder / self.FILE)
        self.records = self.reports
        self.files = [f"data/{self.name}/{self.FILE}"]

    def spec(self) -> dict:
        spec = super().spec()
        spec.update(
            {
                "description": "Benchmark: a small Tajik partner workbook (xlsx): merged title row, header on row 3, "
                "Excel date cells and dd.mm.yyyy text, a total row at the bottom.",
                "location": {"path": f"data/{self.name}/*.xlsx"},
                "options": {
                    "sheets": [self.SHEET],
                    "header_row": 3,
                    "multi_value_separator": VICTIM_SEPARATOR,
                    "victim_separator": VICTIM_SEPARATOR,
                },
            }
        )
        return spec


class UwaziCsv(Source):
    """An Uwazi instance's CSV export of events: property labels as headers, '|' multiselects."""

    key, name, kind, weight = "uwazi_csv", "bench_uwazi_events", "uwazi_csv", 2.0
    prefs = Prefs(
        0.03,
        0.5,
        (("simple", 0.4), ("bgn", 0.2), ("dj", 0.2), ("french", 0.1), ("iso9", 0.1)),
        (("GS", 0.8), ("SG", 0.15), ("S,G", 0.05)),
        0.05,
        0.04,
    )
    HEADER = (
        "Title",
        "Date added",
        "Template",
        "Country",
        "City",
        "Initial Date",
        "Victim",
        "Event Description",
        "Impact of Event",
        "Gender of HRD",
        "Violation",
        "Rights Concerned",
        "HRD",
        "Perpetrator-State",
        "Perpetrator-Non-State",
        "Source",
        "Monitoring Status",
        "Event Location",
        "Summary for Publications",
        "Documents",
        "Attachments",
        "Published",
    )
    ROLE_LABELS: ClassVar[dict[str, str]] = {
        "journalist": "Journalist",
        "media_worker": "Media Worker",
        "blogger": "Blogger",
        "hrd": "Human Rights Defender",
        "lawyer": "Lawyer",
        "outlet": "Media Outlet",
    }
    GENDER: ClassVar[dict[str, str]] = {"m": "Man", "f": "Woman", "": "Other (e.g. undefined, organisation, community)"}

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.keys: set[str] = set()

    def eligible(self, event: Event) -> bool:
        return event.date >= UWAZI_FROM and self.can_say(event, "uwazi")

    def p_together(self) -> float:
        return 0.8

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        names = [world.latin_name(victim, self.prefs) for victim in victims]
        added = event.date + dt.timedelta(days=lag + rng.randint(0, 3))
        shown = world.shown_date(event, lag, 0.1)
        if rng.random() < 0.08:
            initial = f"{shown.isoformat()}~{(shown + dt.timedelta(days=rng.randint(1, 5))).isoformat()}"
            world.noise["date_range"] += 1
        else:
            initial = shown.isoformat()
        world.noise["date_precision_day"] += 1
        country_name = COUNTRIES[event.country].name
        city = world.city_text(event.city, 0.05, 0.1)
        verb = VIOLATION_WORDS[event.violations[0]][0]
        place = f" in {city}" if city else ""
        if len(victims) == 1:
            title = f"{country_name}: {self.ROLE_LABELS[victims[0].role].lower()} {names[0]} {verb}{place}"
        else:
            title = f"{country_name}: {len(victims)} {self.ROLE_LABELS[victims[0].role].lower()}s {verb}{place}"
        key = f"{title}|{added.isoformat()}"
        suffix = 2
        while key in self.keys:
            key = f"{title} ({suffix})|{added.isoformat()}"
            suffix += 1
        if suffix > 2:
            title = f"{title} ({suffix - 1})"
        self.keys.add(key)
        state_or_not, label = UWAZI_PERPETRATOR[event.perpetrator]
        lat, lon = world.coordinates(event, 0.3)
        genders = list(dict.fromkeys(self.GENDER[v.gender] for v in victims))
        row = {
            "Title": title,
            "Date added": added.isoformat(),
            "Template": "Event",
            "Country": world.country_text(event.country, "english"),
            "City": city,
            "Initial Date": initial,
            "Victim": f"{VICTIM_SEPARATOR} ".join(names),
            "Event Description": f"{len(victims)} victim(s) {verb}{place} (synthetic benchmark record).",
            "Impact of Event": str(len(victims)),
            "Gender of HRD": "|".join(genders),
            "Violation": "|".join(title_label(label) for label in self.violation_labels(event, "uwazi")),
            "Rights Concerned": rng.choice(("Media freedom", "Freedom of expression", "Media freedom|Online")),
            "HRD": "|".join(dict.fromkeys(self.ROLE_LABELS[v.role] for v in victims)),
            "Perpetrator-State": label if state_or_not == "state" else "",
            "Perpetrator-Non-State": label if state_or_not == "non_state" else "",
            "Monitoring Status": rng.choice(("Active", "Pending", "Not active")),
            "Event Location": f"{lat}|{lon}" if lat else "",
            "Summary for Publications": "" if rng.random() < 0.5 else f"A {verb} case{place}.",
            "Published": "Published" if rng.random() < 0.9 else "Restricted",
        }
        self.rows.append((added, len(self.rows), [row.get(column, "") for column in self.HEADER], key, event, victims))
        return 1

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda row: (row[0], row[1]))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.HEADER)
        for _, _, row, key, event, victims in self.rows:
            writer.writerow(row)
            self.world.add_truth(self, key, event, victims)
        (folder / "uwazi_export.csv").write_text(buffer.getvalue(), encoding="utf-8")
        self.records = self.reports = len(self.rows)
        self.files = [f"data/{self.name}/uwazi_export.csv"]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: Uwazi CSV export of an Event template; several victims of one event in the "
            "Victim property separated by ';'; Date added is the report date.",
            "attribution": "Synthetic benchmark data (bench/generator.py)",
            "reliability": "medium",
            "location": {"path": f"data/{self.name}/*.csv"},
            "options": {"victim_separator": VICTIM_SEPARATOR},
            "record_key": ["Title", "Date added"],
            "columns": {
                "title": "Title",
                "event_date": "Initial Date",
                "country": "Country",
                "city": "City",
                "victim_name": "Victim",
                "victim_gender": "Gender of HRD",
                "victim_type": "HRD",
                "violations": "Violation",
                "perpetrator_state": "Perpetrator-State",
                "perpetrator_non_state": "Perpetrator-Non-State",
                "monitoring_status": "Monitoring Status",
                "geolocation": "Event Location",
                "description": "Event Description",
                "summary_for_publication": "Summary for Publications",
                "published": "Published",
            },
            "required_columns": ["title", "event_date", "country", "violations"],
            "publication": {"publish": False},
        }


class KoboExport(Source):
    """A KoboToolbox form export (CSV, ';', every field quoted, group paths): one victim per submission."""

    key, name, kind, weight, p_resubmit = "kobo_export", "bench_kobo_monitoring", "kobo_export", 2.5, 0.06
    prefs = Prefs(
        0.3,
        0.3,
        (("simple", 0.35), ("dj", 0.35), ("passport", 0.2), ("french", 0.1)),
        (("GS", 0.55), ("SG", 0.4), ("S,G", 0.05)),
        0.1,
        0.08,
    )
    HEADER = (
        "start",
        "end",
        "incident/date",
        "incident/country",
        "incident/city",
        "incident/location",
        "incident/_location_latitude",
        "incident/_location_longitude",
        "incident/_location_altitude",
        "incident/_location_precision",
        "victim/name",
        "victim/role",
        "victim/gender",
        "victim/outlet",
        "incident/violation",
        "incident/perpetrator",
        "incident/description",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
    )
    ROLES: ClassVar[dict[str, str]] = {
        "journalist": "journalist",
        "media_worker": "media_worker",
        "blogger": "blogger",
        "hrd": "hrd",
        "lawyer": "lawyer",
        "outlet": "media_outlet",
    }
    VOCABULARY = "kobo"

    def vocabulary(self) -> str:
        return self.VOCABULARY if self.VOCABULARY in self.world.vocab.violations else "odk"

    def eligible(self, event: Event) -> bool:
        return event.date >= FORMS_FROM and self.can_say(event, self.vocabulary(), choice_name=True)

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        vocabulary = self.vocabulary()
        (victim,) = victims
        submitted = dt.datetime.combine(event.date, dt.time(0)) + dt.timedelta(
            days=lag, seconds=rng.randint(6 * 3600, 22 * 3600)
        )
        start = submitted - dt.timedelta(minutes=rng.randint(5, 40))
        if rng.random() < 0.04:
            date_text = ""
            world.noise["date_missing"] += 1
        else:
            date_text = world.shown_date(event, lag, 0.15).isoformat()
            world.noise["date_precision_day"] += 1
        lat, lon = world.coordinates(event, 0.35)
        perpetrator = world.vocab.perpetrator_label(vocabulary, event.perpetrator, choice_name=True) or ""
        outlet = world.organization_text(victim) if victim.kind == "person" else None
        offset = "+06:00" if event.country in {"KG", "KZ"} else "+05:00"
        row = {
            "start": start.strftime("%Y-%m-%dT%H:%M:%S.000") + offset,
            "end": submitted.strftime("%Y-%m-%dT%H:%M:%S.000") + offset,
            "incident/date": date_text,
            "incident/country": world.country_text(event.country, "choice"),
            "incident/city": world.city_text(event.city, 0.3, 0.1),
            "incident/location": f"{lat} {lon} 0 10" if lat else "",
            "incident/_location_latitude": lat,
            "incident/_location_longitude": lon,
            "incident/_location_altitude": "0" if lat else "",
            "incident/_location_precision": "10" if lat else "",
            "victim/name": world.latin_name(victim, self.prefs),
            "victim/role": self.ROLES[victim.role],
            "victim/gender": {"m": "male", "f": "female", "": "other"}[victim.gender],
            "victim/outlet": outlet or "",
            "incident/violation": " ".join(self.violation_labels(event, vocabulary, choice_name=True)),
            "incident/perpetrator": perpetrator,
            "incident/description": f"{VIOLATION_WORDS[event.violations[0]][0].capitalize()} (synthetic).",
            "_uuid": world.uuid(),
            "_submission_time": (submitted - dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%S"),
            "_validation_status": rng.choice(("validation_status_approved", "validation_status_approved", "")),
            "_status": "submitted_via_web",
            "_submitted_by": rng.choice(("monitor_kg", "monitor_kz", "monitor_tj", "monitor_uz")),
            "__version__": "vQm3tDs8kXr2NpLw7YcZa4",
        }
        self.rows.append((submitted, len(self.rows), row, event, victims))
        return 1

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda row: (row[0], row[1]))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(self.HEADER)
        for index, (_, _, row, event, victims) in enumerate(self.rows, start=1):
            row = {**row, "_id": str(700000 + index), "_index": str(index)}
            writer.writerow([row.get(column, "") for column in self.HEADER])
            self.world.add_truth(self, row["_uuid"], event, victims)
        (folder / "incident_report.csv").write_text(buffer.getvalue(), encoding="utf-8")
        self.records = self.reports = len(self.rows)
        self.files = [f"data/{self.name}/incident_report.csv"]

    def spec(self) -> dict:
        spec = {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: KoboToolbox incident-report form export (CSV, XML names with group paths); "
            "the same incident is sometimes submitted twice.",
            "attribution": "Synthetic benchmark data (bench/generator.py)",
            "reliability": "low",
            "location": {"path": f"data/{self.name}/*.csv"},
            "columns": {
                "event_date": "incident/date",
                "country": "incident/country",
                "city": "incident/city",
                "geopoint": "incident/location",
                "victim_name": "victim/name",
                "victim_type": "victim/role",
                "victim_gender": "victim/gender",
                "organization": "victim/outlet",
                "violations": "incident/violation",
                "perpetrator": "incident/perpetrator",
                "description": "incident/description",
            },
            "required_columns": ["country"],
            "publication": {"publish": False},
        }
        if self.vocabulary() != self.VOCABULARY:
            spec["options"] = {"vocabulary": self.vocabulary()}
        return spec


class OdkCsvZip(Source):
    """An ODK Central submissions.csv.zip: victims in a repeat group, one staging report per victim."""

    key, name, kind, weight = "odk_csv_zip", "bench_odk_incidents", "odk_csv_zip", 1.5
    prefs = Prefs(
        0.2,
        0.35,
        (("simple", 0.4), ("dj", 0.3), ("passport", 0.2), ("bgn", 0.1)),
        (("GS", 0.7), ("SG", 0.25), ("S,G", 0.05)),
        0.1,
        0.06,
    )
    MAIN = (
        "SubmissionDate",
        "incident-date",
        "incident-country",
        "incident-city",
        "incident-location-Latitude",
        "incident-location-Longitude",
        "incident-location-Altitude",
        "incident-location-Accuracy",
        "incident-violations",
        "incident-perpetrator",
        "incident-description",
        "victim_count",
        "follow_up",
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    )
    VICTIMS = ("name", "name_original", "gender", "role", "outlet", "PARENT_KEY", "KEY")
    ROLES: ClassVar[dict[str, str]] = {
        "journalist": "journalist",
        "media_worker": "media_worker",
        "blogger": "blogger",
        "hrd": "hrd",
        "lawyer": "lawyer",
        "outlet": "organization",
    }

    def eligible(self, event: Event) -> bool:
        return event.date >= FORMS_FROM and self.can_say(event, "odk", choice_name=True)

    def p_together(self) -> float:
        return 0.8

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        submitted = dt.datetime.combine(event.date, dt.time(0)) + dt.timedelta(
            days=lag, seconds=rng.randint(0, 86399), milliseconds=rng.randint(0, 999)
        )
        key = f"uuid:{world.uuid()}"
        edited = rng.random() < 0.05
        if rng.random() < 0.04:
            date_text = ""
            world.noise["date_missing"] += 1
        else:
            date_text = world.shown_date(event, lag, 0.12).isoformat()
            world.noise["date_precision_day"] += 1
        lat, lon = world.coordinates(event, 0.3)
        main = {
            "SubmissionDate": submitted.strftime("%Y-%m-%dT%H:%M:%S.") + f"{submitted.microsecond // 1000:03d}Z",
            "incident-date": date_text,
            "incident-country": world.country_text(event.country, "iso"),
            "incident-city": world.city_text(event.city, 0.1, 0.1),
            "incident-location-Latitude": lat,
            "incident-location-Longitude": lon,
            "incident-location-Altitude": "0.0" if lat else "",
            "incident-location-Accuracy": f"{rng.uniform(2, 20):.1f}" if lat else "",
            "incident-violations": " ".join(self.violation_labels(event, "odk", choice_name=True)),
            "incident-perpetrator": world.vocab.perpetrator_label("odk", event.perpetrator, choice_name=True) or "",
            "incident-description": f"{VIOLATION_WORDS[event.violations[0]][0].capitalize()} (synthetic).",
            "victim_count": str(len(victims)),
            "follow_up": rng.choice(("active", "pending", "closed")),
            "meta-instanceID": f"uuid:{world.uuid()}" if edited else key,
            "KEY": key,
            "SubmitterID": str(rng.randint(10, 40)),
            "SubmitterName": rng.choice(("Monitor - Osh", "Monitor - Almaty", "Monitor - Dushanbe", "Monitor - Minsk")),
            "AttachmentsPresent": "0",
            "AttachmentsExpected": "0",
            "ReviewState": "edited" if edited else rng.choice(("", "", "approved", "hasIssues")),
            "DeviceID": f"collect:{world.uuid()[:16]}",
            "Edits": "1" if edited else "0",
            "FormVersion": "2024052001",
        }
        repeat = []
        for position, victim in enumerate(victims, start=1):
            original = world.cyrillic_name(victim, surname_first=False) if rng.random() < 0.5 else ""
            repeat.append(
                {
                    "name": world.latin_name(victim, self.prefs),
                    "name_original": original,
                    "gender": {"m": "male", "f": "female", "": ""}[victim.gender],
                    "role": self.ROLES[victim.role],
                    "outlet": (world.organization_text(victim) or "") if victim.kind == "person" else "",
                    "PARENT_KEY": key,
                    "KEY": f"{key}/victims[{position}]",
                }
            )
        self.rows.append((submitted, len(self.rows), main, repeat, event, victims))
        self.records += 1
        return len(victims)

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda row: (row[0], row[1]), reverse=True)  # Central exports newest first
        main_buffer, victim_buffer = io.StringIO(), io.StringIO()
        main_writer = csv.writer(main_buffer, lineterminator="\n")
        victim_writer = csv.writer(victim_buffer, lineterminator="\n")
        main_writer.writerow(self.MAIN)
        victim_writer.writerow(self.VICTIMS)
        for _, _, main, repeat, event, victims in self.rows:
            main_writer.writerow([main.get(column, "") for column in self.MAIN])
            for victim_row, victim in zip(repeat, victims, strict=True):
                victim_writer.writerow([victim_row[column] for column in self.VICTIMS])
                # staging makes one report per repeat row, keyed by the repeat row's KEY
                self.world.add_truth(self, victim_row["KEY"], event, [victim])
                self.reports += 1
        path = folder / "incident_report.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, buffer in (
                ("incident_report.csv", main_buffer),
                ("incident_report-victims.csv", victim_buffer),
            ):
                info = zipfile.ZipInfo(member, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, buffer.getvalue().encode("utf-8"))
        self.files = [f"data/{self.name}/incident_report.zip"]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: ODK Central submissions.csv.zip of an incident-report form with a victims "
            "repeat; each victim becomes one report keyed by its repeat KEY.",
            "attribution": "Synthetic benchmark data (bench/generator.py)",
            "reliability": "medium",
            "location": {"path": f"data/{self.name}/*.zip"},
            "columns": {
                "victims_repeat": "victims",
                "victim_name": "victims/name",
                "victim_name_original": "victims/name_original",
                "victim_gender": "victims/gender",
                "victim_type": "victims/role",
                "organization": "victims/outlet",
                "event_date": "incident-date",
                "country": "incident-country",
                "city": "incident-city",
                "latitude": "incident-location-Latitude",
                "longitude": "incident-location-Longitude",
                "violations": "incident-violations",
                "perpetrator": "incident-perpetrator",
                "description": "incident-description",
                "monitoring_status": "follow_up",
            },
            "publication": {"publish": False},
        }


# --- entry points ----------------------------------------------------------------------------


def generate(n_reports: int, seed: int, out_dir: Path) -> None:
    """Write about ``n_reports`` reports (at least that many; the last event's reports complete it)."""
    world = World(seed, n_reports, Path(out_dir))
    world.run()
    world.write()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the matching benchmark's sources and ground truth.")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.reports, args.seed, args.out)
    manifest = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
    print(
        f"{manifest['n_reports']} reports, {manifest['n_events_reported']} events, "
        f"{manifest['n_actors_mentioned']} actors in {time.perf_counter() - started:.1f}s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
