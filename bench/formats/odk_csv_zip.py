"""ODK Central submissions.csv.zip with a victims repeat."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import ClassVar

from bench.formats.base import ATTRIBUTION, Source
from bench.model import FORMS_FROM, VIOLATION_WORDS, Actor, Event, Prefs


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
            "attribution": ATTRIBUTION,
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
