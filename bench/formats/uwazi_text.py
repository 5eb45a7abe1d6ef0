"""The title, description and summary of an Uwazi event, written like entries made from CPJ alerts.

An Uwazi Event of the HURIDOCS template has no victim property: the victims are named in prose.
So the text varies as real entries do: English or Russian; the victim named in the title
("Kyrgyzstan: journalist Venera Djumataeva detained in Bishkek") or only counted ("Kazakhstan: 7
journalists detained in Almaty"); the description naming all, some or none of them, sometimes
with the outlet or the Cyrillic original in parentheses; people who are not victims named too (a
CPJ coordinator quoted, an official, the outlet's director, a politician); the city in the text or
only in the map pin. ``written`` says which victims a record names and in which forms: the truth.
"""

from __future__ import annotations

# ruff: noqa: E501 (word tables read better one wording a line)
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bench import names as nm
from bench.model import PERPETRATOR_TYPE, Actor, Event, Prefs

if TYPE_CHECKING:
    from bench.world import World

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
RU_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
PROSE = Prefs(0.0, 0.6, (("simple", 0.5), ("dj", 0.25), ("bgn", 0.15), ("french", 0.1)), (("GS", 1.0),), 0.02, 0.03)

# violation code -> (passive participles, English noun), several wordings each
EN_VERBS: dict[str, tuple[tuple[str, ...], str]] = {
    "threats": (("threatened", "receives threats", "intimidated"), "threats"),
    "arbitrary_detention": (("detained", "arrested", "held by police"), "detention"),
    "physical_attack": (("attacked", "beaten", "assaulted"), "attack"),
    "online_harassment": (("harassed online", "targeted by online harassment", "targeted by online smear campaign"),
                          "online harassment"),
    "legal_harassment": (("charged", "prosecuted", "faces criminal charges"), "criminal case"),
    "imprisonment": (("sentenced to prison", "jailed", "imprisoned"), "imprisonment"),
    "killing": (("killed", "shot dead", "found dead"), "killing"),
    "enforced_disappearance": (("missing", "disappeared", "goes missing"), "disappearance"),
}  # fmt: skip
# passive forms with the copula, for descriptions: "was detained", "were detained"
EN_PAST = {
    "threats": "threatened", "arbitrary_detention": "detained", "physical_attack": "attacked",
    "online_harassment": "harassed online", "legal_harassment": "charged", "imprisonment": "sentenced to prison",
    "killing": "killed", "enforced_disappearance": "reported missing",
}  # fmt: skip
# Russian (masculine, feminine, plural) predicates
RU_VERBS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "threats": (("получил угрозы", "получила угрозы", "получили угрозы"),),
    "arbitrary_detention": (("задержан", "задержана", "задержаны"),),
    "physical_attack": (("избит", "избита", "избиты"), ("подвергся нападению", "подверглась нападению", "подверглись нападению")),
    "online_harassment": (("подвергся травле в сети", "подверглась травле в сети", "подверглись травле в сети"),),
    "legal_harassment": (("обвинён в клевете", "обвинена в клевете", "обвинены в клевете"),),
    "imprisonment": (("приговорён к лишению свободы", "приговорена к лишению свободы", "приговорены к лишению свободы"),),
    "killing": (("убит", "убита", "убиты"),),
    "enforced_disappearance": (("пропал без вести", "пропала без вести", "пропали без вести"),),
}  # fmt: skip
EN_ROLE = {"journalist": "journalist", "media_worker": "media worker", "blogger": "blogger",
           "hrd": "human rights defender", "lawyer": "lawyer", "outlet": "media outlet"}  # fmt: skip
# (singular masculine, singular feminine, plural, genitive plural)
RU_ROLE = {
    "journalist": ("журналист", "журналистка", "журналисты", "журналистов"),
    "media_worker": ("сотрудник СМИ", "сотрудница СМИ", "сотрудники СМИ", "сотрудников СМИ"),
    "blogger": ("блогер", "блогер", "блогеры", "блогеров"),
    "hrd": ("правозащитник", "правозащитница", "правозащитники", "правозащитников"),
    "lawyer": ("адвокат", "адвокат", "адвокаты", "адвокатов"),
    "outlet": ("издание", "издание", "издания", "изданий"),
}
EN_AGENT = {
    "police": "Police", "security_services": "Security service officers", "local_officials": "Local officials",
    "military": "Soldiers", "criminal_group": "Unidentified men", "private_individual": "A man",
    "mob": "A crowd", "unknown": "Unknown assailants",
}  # fmt: skip
EN_SOURCES = ("according to news reports", "according to news reports and CPJ documentation",
              "according to local media", "according to the outlet", "according to a statement by local rights groups")  # fmt: skip
RU_SOURCES = ("сообщают местные СМИ", "сообщает издание", "по данным правозащитников", "сообщают СМИ")


@dataclass
class Text:
    title: str
    description: str
    summary: str
    named: list[Actor] = field(default_factory=list)  # in order of first mention
    written: list[tuple[str, ...]] = field(default_factory=list)  # the forms each named victim is written in


def _sentence(text: str) -> str:
    """Upper-case the first letter only ("on 12 March" -> "On 12 March", names untouched)."""
    text = text.strip()
    return text[:1].upper() + text[1:]


def _join_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _join_ru(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " и " + items[-1]


def _ru_count(n: int, role: str) -> str:
    """ "7 журналистов", "3 журналиста" (genitive singular after 2-4), "21 журналист"."""
    singular, _, _, genitive_plural = RU_ROLE[role]
    if n % 10 == 1 and n % 100 != 11:
        word = singular
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = {"сотрудник СМИ": "сотрудника СМИ", "издание": "издания"}.get(singular, singular + "а")
    else:
        word = genitive_plural
    return f"{n} {word}"


def ru_locative(city: str) -> str:
    """ "в Бишкеке", "в Москве", "в Казани", "в Алматы": enough of Russian declension for city names."""
    if city.endswith(("а", "я")):
        return city[:-1] + "е"
    if city.endswith("ь"):
        return city[:-1] + "и"
    if city.endswith(("ы", "и", "е", "о", "у", "э", "ю", "й")):
        return city
    return city + "е"


class UwaziWriter:
    """Writes one record's text; every draw from the world's random generator."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng: random.Random = world.rng
        self.noise = world.noise

    # -- names ---------------------------------------------------------------------------------

    def victim_forms(self, victim: Actor, language: str) -> tuple[str, ...]:
        """The name as this record writes it: one spelling per record, maybe the Cyrillic original too."""
        world = self.world
        if victim.kind == "organization":
            name = world.outlet_name(victim, PROSE) if language == "en" else victim.canonical
            return (name,)
        if language == "ru":
            return (world.cyrillic_name(victim, surname_first=False, p_patronymic=0.05),)
        latin = world.latin_name(victim, PROSE, prose=True)
        if self.rng.random() < 0.2:
            self.noise["uwazi_cyrillic_original_in_parentheses"] += 1
            return latin, world.cyrillic_name(victim, surname_first=False, p_patronymic=0.2)
        return (latin,)

    def stranger(self, country: str, language: str) -> str:
        """Somebody who is no victim: a CPJ staffer, an official, a director. Not an actor of the world."""
        rng = self.rng
        group = "ru" if country in {"RU", "BY", "UA"} or rng.random() < 0.2 else {
            "KG": "kg", "KZ": "kz", "TJ": "tj", "UZ": "uz", "TM": "tm", "MN": "mn"}.get(country, "kg")  # fmt: skip
        gender = "f" if rng.random() < 0.4 else "m"
        given = rng.choice(nm.GIVEN[group][gender])
        roots = nm.RUSSIAN_SURNAMES if group == "ru" else nm.SURNAME_ROOTS.get(group) or nm.RUSSIAN_SURNAMES
        surname = rng.choice(roots)
        if group != "ru":
            male, female = nm.surname_forms(surname, group, rng)
            surname = male if gender == "m" else female
        elif gender == "f":
            surname = nm.russian_female(surname)
        self.noise["uwazi_distractor_name"] += 1
        if language == "ru":
            return f"{given} {surname}"
        return f"{nm.translit(given, 'simple')} {nm.translit(surname, 'simple')}"

    # -- the record ----------------------------------------------------------------------------

    def write(self, event: Event, victims: list[Actor], city: str, city_ru: str, shown: dt.date) -> Text:
        """Title, description and summary of one record about ``victims`` of ``event``."""
        language = "ru" if self.rng.random() < 0.2 else "en"
        if language == "ru":
            self.noise["uwazi_russian_text"] += 1
        forms = {victim.actor_id: self.victim_forms(victim, language) for victim in victims}
        in_title, in_description = self._who_is_named(victims)
        if not in_title and not in_description:
            self.noise["uwazi_no_victim_named"] += 1
        writer = self._russian if language == "ru" else self._english
        title, description, summary = writer(event, victims, forms, in_title, in_description, city, city_ru, shown)
        named = list(dict.fromkeys(in_title + in_description))
        # the Cyrillic original in parentheses is written in the description only
        written = [forms[v.actor_id] if v in in_description else forms[v.actor_id][:1] for v in named]
        return Text(title, description, summary, named, written)

    def _who_is_named(self, victims: list[Actor]) -> tuple[list[Actor], list[Actor]]:
        """(named in the title, named in the description), each in the order written."""
        rng = self.rng
        n = len(victims)
        if n == 1:
            in_title = list(victims) if rng.random() < 0.8 else []
            in_description = list(victims) if not in_title or rng.random() < 0.85 else []
            return in_title, in_description
        in_title = list(victims) if n <= 3 and rng.random() < 0.4 else []
        roll = rng.random()
        if roll < (0.8 if n <= 3 else 0.4):
            in_description = list(victims)
        elif roll < (0.95 if n <= 3 else 0.8):
            kept = sorted(rng.sample(range(n), rng.randint(1, max(1, min(n - 1, 4)))))
            in_description = [victims[i] for i in kept]
            self.noise["uwazi_some_victims_named"] += 1
        else:
            in_description = []
        return in_title, in_description

    # -- English -------------------------------------------------------------------------------

    def _english(self, event, victims, forms, in_title, in_description, city, city_ru, shown):
        rng = self.rng
        country = self.world.countries[event.country].name
        code = event.violations[0]
        participles, noun = EN_VERBS[code]
        verb = rng.choice(participles)
        if len(in_title or victims) > 1:  # "2 journalists receive threats"
            verb = verb.replace("receives", "receive").replace("faces", "face").replace("goes", "go")
        role = victims[0].role
        role_word = EN_ROLE[role]
        place = f" in {city}" if city else ""
        n = len(victims)
        if in_title:
            names = _join_en([forms[v.actor_id][0] for v in in_title])
            roles = role_word if n == 1 else role_word + "s"
            title = rng.choice((
                f"{country}: {roles} {names} {verb}{place}",
                f"{country}: {names} {verb}{place}",
                f"{roles[:1].upper()}{roles[1:]} {names} {verb}{place}, {country}",
                f"{names} {verb}{place}",
            ))  # fmt: skip
        elif role == "outlet":
            title = f"{country}: media outlet {forms[victims[0].actor_id][0]} target of {noun}"
        elif n == 1:
            title = rng.choice((f"{country}: {role_word} {verb}{place}", f"{country}: {noun} of a {role_word}{place}"))
        else:
            title = rng.choice((
                f"{country}: {n} {role_word}s {verb}{place}",
                f"{country}: at least {n} {role_word}s {verb}{place}",
                f"{n} {role_word}s {verb}{place}, {country}",
            ))  # fmt: skip
        when = self._en_date(shown)
        source = rng.choice(EN_SOURCES)
        sentences = []
        past = EN_PAST[code]
        if in_description:
            named = [self._en_named(v, forms[v.actor_id]) for v in in_description]
            people = _join_en(named)
            if len(in_description) == 1:
                article = "an" if role_word[0] in "aeiou" else "a"
                sentences.append(rng.choice((
                    f"{people}, {article} {role_word}, was {past}{place}{when}, {source}.",
                    _sentence(f"{when[1:] + ', ' if when else ''}{role_word} {people} was {past}{place}, {source}."),
                )))  # fmt: skip
            elif code == "arbitrary_detention" and event.perpetrator in EN_AGENT:
                agent = EN_AGENT[event.perpetrator]
                sentences.append(f"{agent} detained {role_word}s {people}{place}{when}, {source}.")
            else:
                sentences.append(f"{role_word.capitalize()}s {people} were {past}{place}{when}, {source}.")
            if len(in_description) < n:
                sentences.append(f"In all, {n} {role_word}s were {past}; CPJ could not confirm the other names.")
        else:
            article = "An" if role_word[0] in "aeiou" else "A"
            count = f"{article} {role_word}" if n == 1 else f"At least {n} {role_word}s"
            sentences.append(f"{count} {'was' if n == 1 else 'were'} {past}{place}{when}, {source}.")
        distractors = self._en_distractors(event, victims)
        rng.shuffle(distractors)
        sentences += distractors
        description = " ".join(sentences)
        summary = ""
        if rng.random() < 0.5:
            where = f" in {city}, {country}" if city else f" in {country}"
            who = f"{n} {role_word}s were" if n > 1 else f"a {role_word} was"
            summary = f"On {shown.day} {MONTHS[shown.month - 1]} {shown.year}, {who} {past}{where}."
        return title, description, summary

    def _en_named(self, victim: Actor, forms: tuple[str, ...]) -> str:
        text = forms[0]
        if len(forms) > 1:
            text += f" ({forms[1]})"
        elif victim.outlet is not None and self.rng.random() < 0.4:
            text += f" ({self.world.organization_text(victim)})"
        return text

    def _en_date(self, shown: dt.date) -> str:
        roll = self.rng.random()
        if roll < 0.4:
            return f" on {shown.day} {MONTHS[shown.month - 1]} {shown.year}"
        if roll < 0.7:
            return f" on {MONTHS[shown.month - 1]} {shown.day}"
        if roll < 0.85:
            return f" on {MONTHS[shown.month - 1]} {shown.day}, {shown.year}"
        return ""

    def _en_distractors(self, event: Event, victims: list[Actor]) -> list[str]:
        rng, country = self.rng, event.country
        sentences = []
        if rng.random() < 0.5:
            sentences.append(
                f"\u201cAuthorities must release our colleagues and let the press work freely,\u201d said CPJ\u2019s "
                f"Europe and Central Asia program coordinator, {self.stranger('UZ', 'en')}."
            )
        if rng.random() < 0.3 and PERPETRATOR_TYPE[event.perpetrator] == "state":
            sentences.append(
                f"Interior Ministry spokesperson {self.stranger(country, 'en')} told reporters that the "
                "police acted lawfully."
            )
        outlet = next((v.outlet for v in victims if v.outlet is not None), None)
        if outlet is not None and rng.random() < 0.3:
            name = nm.translit(outlet.given, "simple")
            director = self.stranger(country, "en")
            sentences.append(f"{director}, director of {name}, told CPJ the outlet would continue its work.")
        if rng.random() < 0.15:
            sentences.append(
                f"The incident came days after {self.stranger(country, 'en')}, a nationalist politician, was named "
                "prime minister, according to news reports."
            )
        return sentences

    # -- Russian -------------------------------------------------------------------------------

    def _russian(self, event, victims, forms, in_title, in_description, city, city_ru, shown):
        rng = self.rng
        country_entry = self.world.countries[event.country]
        country = next((a for a in country_entry.cyrillic_aliases if " " not in a), country_entry.name)
        code = event.violations[0]
        verbs = rng.choice(RU_VERBS[code])
        role = victims[0].role
        n = len(victims)
        place = f" в {ru_locative(city_ru)}" if city_ru else ""

        def role_of(victim: Actor) -> str:
            return RU_ROLE[victim.role][1 if victim.gender == "f" else 0]

        def verb_for(group: list[Actor]) -> str:
            return verbs[2] if len(group) > 1 else verbs[1 if group[0].gender == "f" else 0]

        if in_title:
            names = _join_ru([forms[v.actor_id][0] for v in in_title])
            roles = role_of(in_title[0]) if len(in_title) == 1 else RU_ROLE[role][2]
            title = f"{country}: {roles} {names} {verb_for(in_title)}{place}"
        elif n == 1:
            title = f"{country}: {role_of(victims[0])} {verb_for(victims)}{place}"
        else:
            title = f"{country}: {_ru_count(n, role)} {verbs[2]}{place}"
        when = f" {shown.day} {RU_GENITIVE[shown.month - 1]} {shown.year} года" if rng.random() < 0.7 else ""
        source = rng.choice(RU_SOURCES)
        sentences = []
        if in_description:
            people = _join_ru([forms[v.actor_id][0] for v in in_description])
            roles = role_of(in_description[0]) if len(in_description) == 1 else RU_ROLE[role][2]
            subject = f"{roles[:1].upper()}{roles[1:]} {people}"
            sentences.append(f"{subject}{when} {verb_for(in_description)}{place}, {source}.")
            if len(in_description) < n:
                sentences.append(f"Всего пострадали {_ru_count(n, role)}.")
        else:
            subject = f"{verb_for(victims)} {role_of(victims[0])}" if n == 1 else f"{verbs[2]} {_ru_count(n, role)}"
            sentences.append(_sentence(f"{when}{place} {subject}, {source}."))
        if rng.random() < 0.4:
            sentences.append(
                f"«Власти должны прекратить преследование журналистов», — заявил координатор программы CPJ по "
                f"Европе и Центральной Азии {self.stranger('UZ', 'ru')}."
            )
        if rng.random() < 0.3:
            official = self.stranger(event.country, "ru")
            sentences.append(f"Представитель МВД {official} сообщил, что проводится проверка.")
        description = " ".join(sentences)
        return title, description, ""
