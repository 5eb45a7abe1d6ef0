"""The benchmark world: actors, events and which sources report them, with every noise decision.

``World`` makes the population (journalists, media workers, bloggers, HRDs, lawyers and media
outlets of Central Asia and its neighbours, each with a canonical Cyrillic name from
``bench.names``) and the events (date, country, city, coordinates, violation codes, perpetrator,
victims), chooses the 1 to 4 sources that report each event and asks their writers
(``bench.formats``) to render records. It also holds what the writers share: how a source spells a
name, a country, a city, a date, and the ground truth the writers add to. Decisions (see
``bench/README.md``):

- a mass arrest is ONE event with many victims (same day, same city, same act); sources list it as
  one multi-victim record, as one record per victim, or only some of the victims;
- unrelated attacks on the same day in the same city (``same_day_sibling``) are different events;
- the same person attacked twice (``repeat_victim``, 60 to 500 days later) is two events, one actor;
- relatives with one surname in one event are different actors; namesakes (the same Cyrillic name)
  in different countries are different actors;
- two outlets of one country never share a name core ("Газета Бетачар" and "Издание Бетачар"):
  writers render the core alone half of the time, so nothing would tell such outlets apart.

Every random draw comes from one ``random.Random``: a seed gives the same files.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bench import gazetteer
from bench import names as nm
from bench import truth as truth_files
from bench.gazetteer import City
from bench.model import (
    CPJ_ROLES,
    FIRST_DATE,
    LAST_DATE,
    ORG_VIOLATIONS,
    PERPETRATORS_BY_VIOLATION,
    PRIMARY_VIOLATIONS,
    ROLES,
    SECONDARY_VIOLATIONS,
    Actor,
    Event,
    Prefs,
    weighted,
)
from bench.truth import Truth
from bench.vocabulary import Vocabularies

if TYPE_CHECKING:
    from bench.formats.base import Source


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
        self.truth = Truth()
        self.countries = gazetteer.load()
        self._label_cache: dict[tuple[str, tuple[str, ...], bool], list[str]] = {}
        self._given = {
            group: {gender: list(pool) for gender, pool in pools.items()} for group, pools in nm.GIVEN.items()
        }
        self._surname_roots = self._build_surname_roots()
        self.sources = [source for source in self._all_sources() if source.available()]
        self.by_key = {source.key: source for source in self.sources}
        self._country_codes = tuple(self.countries)
        self._country_weights = tuple(itertools.accumulate(c.weight for c in self.countries.values()))
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
        cores_in_use: set[tuple[str, str]] = set()
        for (type_word, _), core in combos:
            if len(cores_in_use) >= count:
                break
            # One name core per country: the type word ("Газета", "Издание") is how a writer describes
            # an outlet, not part of its name, and half of the records drop it (outlet_name), so two
            # outlets of one country told apart only by it would be two outlets nobody could tell apart.
            countries = (self.pick_country() for _ in range(5))
            country = next((code for code in countries if (code, core) not in cores_in_use), None)
            if country is None:
                continue
            cores_in_use.add((country, core))
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
        group = surname_of.group if surname_of is not None else weighted(rng, self.countries[country].groups)
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

    def latin_name(self, actor: Actor, prefs: Prefs, *, prose: bool = False) -> str:
        """The victim's name as a source writes it in its (mostly Latin) name field; in ``prose`` (a
        description) never in passport capitals."""
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
        if scheme == "passport" and not prose and rng.random() < 0.6:
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
        cities = self.countries[country].cities
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
            city = self.countries[country].cities[0]  # the capital
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
        forms = "kobo_api" if "kobo_api" in self.by_key else "partner_csv"
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
        truth_files.write(self, out)

    # -- small helpers shared by the sources ---------------------------------------------------

    def country_text(self, code: str, style: str) -> str:
        """The country as a source writes it: its seed name or one of its seed aliases (or ISO codes)."""
        rng = self.rng
        country = self.countries[code]
        cyrillic, latin = country.cyrillic_aliases, country.latin_aliases
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
        elif style == "choice":  # a form's select-one: lower-case choice name, sometimes the label
            choice = country.name.lower().replace(" ", "_") if roll < 0.85 else country.name
        else:  # ODK: ISO codes or the name
            choice = code if roll < 0.6 else (country.name if roll < 0.9 else country.iso3)
        if choice != country.name:
            self.noise["country_name_variant"] += 1
        return choice

    def city_text(self, city: City, p_cyrillic: float, p_missing: float) -> str:
        rng = self.rng
        if rng.random() < p_missing:
            self.noise["city_missing"] += 1
            return ""
        cyrillic, latin = city.cyrillic, city.latin
        if cyrillic and rng.random() < p_cyrillic:
            return rng.choice(cyrillic)
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

    def add_truth(
        self,
        source: Source,
        record_id: str,
        event: Event,
        victims: list[Actor],
        written: list[tuple[str, ...]] | None = None,
    ) -> None:
        self.truth.add(source.name, record_id, event, victims, written)

    def _all_sources(self) -> list[Source]:
        from bench.formats import all_formats

        return all_formats(self)
