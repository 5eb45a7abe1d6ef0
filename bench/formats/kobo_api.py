"""KoboToolbox API v2 ``data.json`` of one incident form deployed in two versions, saved to disk.

The envelope and meta keys are those of real responses (``/work/shared/real-samples/
kobo-api-v2-data-json``): ``{count, next, previous, results}``; per submission ``_id``,
``formhub/uuid``, ``start``, ``end``, ``today``, the form's fields by group path, ``__version__``,
``meta/instanceID``, ``_xform_id_string``, ``_uuid``, ``_attachments``, ``_status``,
``_geolocation`` ([lat, lon] or [null, null]), ``_submission_time`` (UTC, no offset), ``_tags``,
``_notes``, ``_validation_status`` ({} or {timestamp, uid, by_whom, color, label}),
``_submitted_by``, ``meta/rootUuid``; edited submissions get a new ``_uuid`` and
``meta/deprecatedID`` but keep ``meta/rootUuid``. Unanswered questions are absent, as Kobo omits them.

- the older version (``OLD_VERSION``, submitted before ``SWITCH``): one victim per submission in a
  plain group (``victim/name``, ``victim/role``, ``victim/gender``, ``victim/outlet``);
- the newer version: one submission per incident, the victims in a repeat group ``victim`` (a
  list of objects keyed ``victim/name``...), ``victim_count`` (the number of victims the monitor
  knows of, which may exceed those listed), and ``incident/country`` = ``other`` with
  ``incident/country_other`` in free text for a country the choice list lacks (and sometimes for
  one it has).

A saved response must not announce a next page (extract/connectors/kobo_api.py), so the whole
form is one page: ``count`` = number of results, ``next`` null. Staging keys a repeat row
``<submission key>/victim[<n>]`` (n 1-based in list order; the submission key is ``meta/rootUuid``
without ``uuid:``, else ``_uuid``); an older-version submission keeps its plain key.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import ClassVar

from bench.formats.base import ATTRIBUTION, Source
from bench.model import FORMS_FROM, VIOLATION_FALLBACK, VIOLATION_WORDS, Actor, Event, Prefs

ASSET_UID = "aQk7HbRd2nMwXe4TyPz9Lc"
FORMHUB_UUID = "7f3c2a9e41d84b0c9a6e5d21c0b8f4a3"
OLD_VERSION = "vK3pQ8tLmN2rX5wY9zA4bC"
NEW_VERSION = "vR7sT2uV4wX6yZ8aB1cD3e"
SWITCH = dt.date(2021, 3, 1)  # the day the repeat-group version was deployed
COUNTRY_CHOICES = {"KG": "kyrgyzstan", "KZ": "kazakhstan", "TJ": "tajikistan", "UZ": "uzbekistan", "TM": "turkmenistan"}
# the form's own choice lists (the older version lacked imprisonment and disappearance)
VIOLATION_CHOICES = {
    "threats": "threats",
    "arbitrary_detention": "arbitrary_detention",
    "physical_attack": "physical_attack",
    "online_harassment": "online_harassment",
    "legal_harassment": "judicial_harassment",
    "killing": "killing",
    "imprisonment": "imprisonment",
    "enforced_disappearance": "enforced_disappearance",
}
OLD_LACKS = frozenset({"imprisonment", "enforced_disappearance"})
PERPETRATOR_CHOICES = {
    "police": "police",
    "security_services": "security_services",
    "local_officials": "local_officials",
    "military": "security_services",
    "criminal_group": "non_state",
    "private_individual": "non_state",
    "mob": "non_state",
    "unknown": "unknown",
}
VALIDATION = {
    "validation_status_approved": ("#00ff00", "Approved"),
    "validation_status_on_hold": ("#0000ff", "On Hold"),
    "validation_status_not_approved": ("#ff0000", "Not Approved"),
}


class KoboApi(Source):
    """One KoboToolbox form's submissions, as the API returns them, in two form versions."""

    key, name, kind, weight, p_resubmit = "kobo_api", "bench_kobo_monitoring", "kobo_api", 2.5, 0.06
    prefs = Prefs(
        0.3,
        0.3,
        (("simple", 0.35), ("dj", 0.35), ("passport", 0.2), ("french", 0.1)),
        (("GS", 0.55), ("SG", 0.4), ("S,G", 0.05)),
        0.1,
        0.08,
    )
    ROLES: ClassVar[dict[str, str]] = {
        "journalist": "journalist",
        "media_worker": "media_worker",
        "blogger": "blogger",
        "hrd": "hrd",
        "lawyer": "lawyer",
        "outlet": "media_outlet",
    }

    def eligible(self, event: Event) -> bool:
        return event.date >= FORMS_FROM

    def old_version(self, event: Event) -> bool:
        return event.date < SWITCH

    def plan(self, event: Event) -> list[list[Actor]]:
        if self.old_version(event):  # one victim per submission
            if len(event.victims) > 1:
                self.world.noise["one_record_per_victim"] += 1
            return [[victim] for victim in event.victims]
        return super().plan(event)

    def p_together(self) -> float:
        return 0.8

    # -- one submission ------------------------------------------------------------------------

    def victim_fields(self, victim: Actor) -> dict[str, str]:
        world = self.world
        fields = {
            "victim/name": world.latin_name(victim, self.prefs),
            "victim/role": self.ROLES[victim.role],
            "victim/gender": {"m": "male", "f": "female", "": "other"}[victim.gender],
        }
        outlet = world.organization_text(victim) if victim.kind == "person" else None
        if outlet:
            fields["victim/outlet"] = outlet
        return fields

    def country_fields(self, event: Event, *, old: bool) -> dict[str, str]:
        rng, world = self.rng, self.world
        choice = COUNTRY_CHOICES.get(event.country)
        if choice and (old or rng.random() > 0.05):
            return {"incident/country": choice}
        # not in the choice list (or the monitor did not find it): "other" and free text
        world.noise["kobo_country_other"] += 1
        text = world.country_text(event.country, "cyrillic") if rng.random() < 0.5 else event.country
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.5 else f"{text} "
        return {"incident/country": "other", "incident/country_other": text}

    def violations(self, event: Event, *, old: bool) -> str:
        codes = [VIOLATION_FALLBACK[code] if old and code in OLD_LACKS else code for code in event.violations]
        return " ".join(dict.fromkeys(VIOLATION_CHOICES[code] for code in codes))

    def validation(self) -> dict:
        roll = self.rng.random()
        if roll < 0.6:
            return {}
        uid = (
            "validation_status_approved"
            if roll < 0.9
            else ("validation_status_on_hold" if roll < 0.97 else "validation_status_not_approved")
        )
        color, label = VALIDATION[uid]
        stamp = 1_600_000_000 + self.rng.randint(0, 150_000_000)
        return {"timestamp": stamp, "uid": uid, "by_whom": "bench_reviewer", "color": color, "label": label}

    def add(self, event: Event, victims: list[Actor], lag: int, *, resubmission: bool) -> int:
        world, rng = self.world, self.rng
        old = self.old_version(event)
        submitted = dt.datetime.combine(event.date, dt.time(0)) + dt.timedelta(
            days=lag, seconds=rng.randint(0, 86399), milliseconds=rng.randint(0, 999)
        )
        offset = dt.timedelta(hours=6 if event.country in {"KG", "KZ"} else 5)
        local_end = submitted + offset
        local_start = local_end - dt.timedelta(minutes=rng.randint(4, 40), milliseconds=rng.randint(0, 999))
        first_uuid = world.uuid()
        submission: dict = {
            "formhub/uuid": FORMHUB_UUID,
            "start": local_start.isoformat(timespec="milliseconds") + _offset_text(offset),
            "end": local_end.isoformat(timespec="milliseconds") + _offset_text(offset),
            "today": local_end.date().isoformat(),
        }
        if rng.random() < 0.04:
            world.noise["date_missing"] += 1
        else:
            submission["incident/date"] = world.shown_date(event, lag, 0.15).isoformat()
            world.noise["date_precision_day"] += 1
        submission.update(self.country_fields(event, old=old))
        city = world.city_text(event.city, 0.3, 0.1)
        if city:
            submission["incident/city"] = city
        lat, lon = world.coordinates(event, 0.35)
        if lat:
            submission["incident/location"] = f"{lat} {lon} 0 {rng.choice((5, 10, 20))}"
        if old:
            submission.update(self.victim_fields(victims[0]))
        else:
            known = len(event.victims) if len(victims) < len(event.victims) and rng.random() < 0.7 else len(victims)
            submission["victim_count"] = str(known)
            submission["victim"] = [self.victim_fields(victim) for victim in victims]
        submission["incident/violation"] = self.violations(event, old=old)
        submission["incident/perpetrator"] = PERPETRATOR_CHOICES[event.perpetrator]
        submission["incident/description"] = f"{VIOLATION_WORDS[event.violations[0]][0].capitalize()} (synthetic)."
        edited = rng.random() < 0.05
        current = world.uuid() if edited else first_uuid
        submission.update(
            {
                "__version__": OLD_VERSION if old else NEW_VERSION,
                "meta/instanceID": f"uuid:{current}",
                "_xform_id_string": ASSET_UID,
                "_uuid": current,
                "_attachments": [],
                "_status": "submitted_via_web",
                "_geolocation": [float(lat), float(lon)] if lat else [None, None],
                "_submission_time": submitted.strftime("%Y-%m-%dT%H:%M:%S"),
                "_tags": [],
                "_notes": [],
                "_validation_status": self.validation(),
                "_submitted_by": rng.choice(("monitor_kg", "monitor_kz", "monitor_tj", "monitor_uz", None)),
            }
        )
        if edited:
            world.noise["kobo_edited_submission"] += 1
            submission["meta/deprecatedID"] = f"uuid:{first_uuid}"
        submission["meta/rootUuid"] = f"uuid:{first_uuid}"
        world.noise["kobo_old_version" if old else "kobo_repeat_group"] += 1
        self.rows.append((submitted, len(self.rows), submission, first_uuid, event, victims, old))
        return 1 if old else len(victims)

    def finish(self, out: Path) -> None:
        folder = out / "data" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.rows.sort(key=lambda row: (row[0], row[1]))
        results = []
        for index, (_, _, submission, key, event, victims, old) in enumerate(self.rows, start=1):
            results.append({"_id": 31_000_000 + index, **submission})
            if old:
                self.world.add_truth(self, key, event, victims, [(submission["victim/name"],)])
                self.reports += 1
                continue
            for position, (victim, fields) in enumerate(zip(victims, submission["victim"], strict=True), start=1):
                self.world.add_truth(self, f"{key}/victim[{position}]", event, [victim], [(fields["victim/name"],)])
                self.reports += 1
        document = {"count": len(results), "next": None, "previous": None, "results": results}
        path = folder / f"{ASSET_UID}_data.json"
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.records = len(results)
        self.files = [f"data/{self.name}/{path.name}"]

    def spec(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": "Benchmark: KoboToolbox API v2 data.json of an incident form saved to disk; an older "
            "version with one victim per submission (plain group), a newer one with a victim repeat group.",
            "attribution": ATTRIBUTION,
            "reliability": "low",
            "location": {"url": f"data/{self.name}/{ASSET_UID}_data.json"},
            "options": {"min_request_interval_seconds": 0, "shrink_guard_min_ratio": 0},
            "columns": {
                "victims_repeat": "victim",
                "victim_name": "victim/name",
                "victim_type": "victim/role",
                "victim_gender": "victim/gender",
                "organization": "victim/outlet",
                "victim_count": "victim_count",
                "event_date": "incident/date",
                "country": "incident/country",  # "other": staging reads incident/country_other
                "city": "incident/city",
                "geopoint": "incident/location",
                "violations": "incident/violation",
                "perpetrator": "incident/perpetrator",
                "description": "incident/description",
            },
            # the newer version's choice the shared kobo defaults lack, from the form's choice list
            "labels": {"violations": {"imprisonment": "imprisonment"}},
            "publication": {"publish": False},
        }


def _offset_text(offset: dt.timedelta) -> str:
    hours = int(offset.total_seconds() // 3600)
    return f"+{hours:02d}:00"
