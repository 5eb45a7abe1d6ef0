"""How Central Asian partners write dates and labels in their sheets (not how the warehouse reads them).

Dates: ``dd.mm.yyyy``, ISO, two-digit years (``17.10.15``), ``mm.yyyy``, month names in the
language of the country's monitors (Russian ``март 2019``/``12 марта 2019``, Kazakh
``12 қаңтар 2019``, Uzbek Latin ``12 mart 2019``/``2019 yil mart``), ranges (``12-14.03.2019``,
``12.03.2019 - 14.03.2019``, ``с 12 по 14 марта 2019``) and bare years. A range starts on the
event's day. Labels: bilingual "Задержание / Detention" as the seed crosswalk knows them, and the
other ways partners write them (Russian only, singular, another word), which it may not know.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

# ruff: noqa: SIM905, E501 (month lists are written as one string and split; label tables one code a line)
RU_NOMINATIVE = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()
RU_GENITIVE = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
KZ_MONTHS = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
UZ_MONTHS = "yanvar fevral mart aprel may iyun iyul avgust sentyabr oktyabr noyabr dekabr".split()

VIOLATION_LABELS: dict[str, tuple[tuple[str, float], ...]] = {
    "threats": (("Угрозы / Threats", 0.7), ("Угроза / Threat", 0.15), ("Угрозы", 0.1), ("Запугивание / Intimidation", 0.05)),
    "arbitrary_detention": (("Задержание / Detention", 0.7), ("Задержание", 0.15), ("Арест / Arrest", 0.15)),
    "physical_attack": (("Нападение / Physical attack", 0.7), ("Избиение / Beating", 0.2), ("Нападение", 0.1)),
    "online_harassment": (("Онлайн-травля / Online harassment", 0.7), ("Кибербуллинг / Cyberbullying", 0.2),
                          ("Травля в сети", 0.1)),
    "legal_harassment": (("Судебное преследование / Legal harassment", 0.7),
                         ("Уголовное преследование / Criminal prosecution", 0.2), ("Преследование", 0.1)),
    "killing": (("Убийство / Killing", 0.85), ("Убийство", 0.15)),
    "imprisonment": (("Лишение свободы / Imprisonment", 0.6), ("Задержание / Detention", 0.4)),
    "enforced_disappearance": (("Насильственное исчезновение / Enforced disappearance", 0.6),
                               ("Исчезновение / Disappearance", 0.4)),
}  # fmt: skip
PERPETRATOR_LABELS: dict[str, tuple[tuple[str, float], ...]] = {
    "state": (("Государственный / State", 0.6), ("Милиция / Police", 0.25), ("Власти / Authorities", 0.15)),
    "non_state": (("Негосударственный / Non-state", 0.75), ("Частное лицо / Private individual", 0.25)),
    "unknown": (("Неизвестно / Unknown", 0.8), ("Не установлен", 0.2)),
}


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in options], weights=[weight for _, weight in options])[0]


def violation_label(rng: random.Random, code: str) -> str:
    return _pick(rng, VIOLATION_LABELS[code])


def perpetrator_label(rng: random.Random, perpetrator_type: str) -> str:
    return _pick(rng, PERPETRATOR_LABELS[perpetrator_type])


def _month_name(date: dt.date, country: str, rng: random.Random, *, with_day: bool) -> str:
    """Month (and day) named in the language the country's monitors write: Kazakh, Uzbek or Russian."""
    if country == "KZ" and rng.random() < 0.6:
        month = KZ_MONTHS[date.month - 1]
        if with_day:
            return f"{date.day} {month} {date.year}" if rng.random() < 0.7 else f"{date.year} ж. {date.day} {month}"
        return f"{month} {date.year}"
    if country == "UZ" and rng.random() < 0.6:
        month = UZ_MONTHS[date.month - 1]
        if with_day:
            return f"{date.day} {month} {date.year}" if rng.random() < 0.6 else f"{date.year} yil {date.day} {month}"
        return f"{month} {date.year}"
    if with_day:
        suffix = " года" if rng.random() < 0.3 else (" г." if rng.random() < 0.3 else "")
        return f"{date.day} {RU_GENITIVE[date.month - 1]} {date.year}{suffix}"
    return f"{RU_NOMINATIVE[date.month - 1]} {date.year}"


def _range(date: dt.date, rng: random.Random) -> str:
    end = date + dt.timedelta(days=rng.randint(1, 4))
    if end.month != date.month:
        return f"{date:%d.%m.%Y} - {end:%d.%m.%Y}"
    roll = rng.random()
    if roll < 0.4:
        return f"{date.day:02d}-{end.day:02d}.{date:%m.%Y}"
    if roll < 0.7:
        return f"{date:%d.%m.%Y} - {end:%d.%m.%Y}"
    return f"с {date.day} по {end.day} {RU_GENITIVE[date.month - 1]} {date.year}"


def date_text(date: dt.date, country: str, rng: random.Random, noise: Counter) -> str:
    """The date cell of a partner's CSV sheet."""
    roll = rng.random()
    if roll < 0.38:
        noise["date_precision_day"] += 1
        return date.strftime("%d.%m.%Y")
    if roll < 0.5:
        noise["date_precision_day"] += 1
        return date.isoformat()
    if roll < 0.6:
        noise["date_precision_day"] += 1
        noise["date_two_digit_year"] += 1
        return date.strftime("%d.%m.%y")
    if roll < 0.68:
        noise["date_precision_month"] += 1
        return date.strftime("%m.%Y")
    if roll < 0.76:
        noise["date_precision_month"] += 1
        noise["date_month_name"] += 1
        return _month_name(date, country, rng, with_day=False)
    if roll < 0.86:
        noise["date_precision_day"] += 1
        noise["date_month_name"] += 1
        return _month_name(date, country, rng, with_day=True)
    if roll < 0.94:
        noise["date_range"] += 1
        return _range(date, rng)
    noise["date_precision_year"] += 1
    return str(date.year)


def declared_labels(min_weight: float = 0.15) -> dict[str, dict[str, str]]:
    """The `labels:` a data engineer writes in the partner's YAML from its codebook: every label
    but the rare variants (weight below ``min_weight``), which the run summary then lists as
    unmapped. A label two codes share keeps its first code."""
    declared: dict[str, dict[str, str]] = {"violations": {}, "perpetrators": {}}
    for kind, table in (("violations", VIOLATION_LABELS), ("perpetrators", PERPETRATOR_LABELS)):
        for code, options in table.items():
            for label, weight in options:
                if weight >= min_weight:
                    declared[kind].setdefault(label, code)
    return declared
