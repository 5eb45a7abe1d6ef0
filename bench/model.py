"""The benchmark world's things: actors, events, how a source spells names, and the fixed tables of
what happens (roles, violations, perpetrators). Pure data; the decisions are in ``bench.world``."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from bench.gazetteer import City

FIRST_DATE = dt.date(2008, 1, 1)
LAST_DATE = dt.date(2025, 9, 30)
FORMS_FROM = dt.date(2016, 1, 1)  # KoboToolbox and ODK monitoring forms start here
UWAZI_FROM = dt.date(2012, 1, 1)

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
