"""The matching benchmark (bench/): the generator's ground truth and files, and the scorer's arithmetic.

Fast: no Airflow and no dbt. Generated files are landed and parsed with the real connectors; the
scorer and calibrator run on a small DuckDB file shaped like the warehouse's matching tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import matching  # noqa: E402
from bench.generator import generate  # noqa: E402

CYRILLIC = re.compile("[А-Яа-яЁёӨөҮүҢңӘәҒғҚқҰұҺһІіӢӣӮӯҲҳҶҷЎў]")
END = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "sources"
    generate(600, 7, out)
    return out


@pytest.fixture
def parsed(generated: Path, hrdw_home: Path) -> dict:
    """Every generated source landed and parsed with its connector, required columns enforced."""
    from extract.base import QuarantinedRow
    from extract.connectors import connector_for
    from extract.ingest import enforce_required, land_source
    from extract.raw import _record_id, record_hash
    from hrdw import settings
    from hrdw.sources import load_spec

    result: dict = {"records": {}, "quarantined": set(), "specs": {}}
    for path in sorted(generated.glob("*.yml")):
        spec = load_spec(path)
        manifest = land_source(spec, END - dt.timedelta(days=1), END)
        partition = settings.landing_dir() / spec.name / manifest["batch_id"]
        records = []
        for row in enforce_required(spec, connector_for(spec.kind).parse(spec, partition)):
            if isinstance(row, QuarantinedRow):
                result["quarantined"].add((spec.name, row.source_file, row.source_row, row.reason))
            else:
                records.append((_record_id(spec, row, record_hash(row.values)), row.values))
        result["records"][spec.name] = records
        result["specs"][spec.name] = spec
    return result


def staging_ids(spec, records: list) -> list[str]:
    """The source_record_id staging gives each report (ODK: one report per victims repeat row; Kobo:
    one per row of the `victim` repeat, `<key>/victim[n]`, and an older version's submission its key)."""
    if spec.kind == "odk_csv_zip":
        return [victim["KEY"] for _, values in records for victim in json.loads(values["victims"] or "[]")]
    if spec.kind == "kobo_api":
        ids = []
        for record_id, values in records:
            repeat = json.loads(values.get("victim") or "[]")
            ids += [f"{record_id}/victim[{n}]" for n in range(1, len(repeat) + 1)] if repeat else [record_id]
        return ids
    return [record_id for record_id, _ in records]


# --- generator -------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_files_and_another_seed_does_not(tmp_path: Path):
    from openpyxl import load_workbook

    generate(300, 11, tmp_path / "a")
    generate(300, 11, tmp_path / "b")
    generate(300, 12, tmp_path / "c")
    files = sorted(path.relative_to(tmp_path / "a") for path in (tmp_path / "a").rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(tmp_path / "b") for path in (tmp_path / "b").rglob("*") if path.is_file())
    for relative in files:
        first, second = tmp_path / "a" / relative, tmp_path / "b" / relative
        if relative.suffix == ".xlsx":  # openpyxl stamps the save time into the workbook
            cells = [
                [list(sheet.iter_rows(values_only=True)) for sheet in load_workbook(path).worksheets]
                for path in (first, second)
            ]
            assert cells[0] == cells[1], relative
        else:
            assert first.read_bytes() == second.read_bytes(), relative
    assert (tmp_path / "a" / "truth_reports.csv").read_bytes() != (tmp_path / "c" / "truth_reports.csv").read_bytes()


def test_every_yaml_loads_and_names_a_connector_with_a_staging_macro(generated: Path):
    from hrdw.kinds import available_kinds, staging_macro
    from hrdw.sources import load_spec

    specs = [load_spec(path) for path in sorted(generated.glob("*.yml"))]
    kinds = {spec.kind for spec in specs}
    assert {"cpj_csv", "cpj_people_list", "spreadsheet", "uwazi_csv"} <= kinds
    assert kinds <= set(available_kinds())
    for kind in {"kobo_api", "odk_csv_zip"} & set(available_kinds()):
        assert kind in kinds, f"the {kind} connector exists, so the benchmark renders a source of that kind"
    for spec in specs:
        macro = staging_macro(spec.kind)
        assert (REPO / "dbt_project" / "macros" / "staging" / f"{macro}.sql").exists()
    spreadsheets = [spec for spec in specs if spec.kind == "spreadsheet"]
    paths = [spec.location.path for spec in spreadsheets]
    assert any(path.endswith(".csv") for path in paths) and any(path.endswith(".xlsx") for path in paths)
    people = next(spec for spec in specs if spec.kind == "cpj_people_list")
    assert "://" not in people.location.url and "{page}" in people.location.url
    for spec in specs:  # multi-victim sources say how their victim lists are separated
        if spec.kind == "spreadsheet":
            assert spec.options["victim_separator"] == ";"
    uwazi = next(spec for spec in specs if spec.kind == "uwazi_csv")
    assert uwazi.victims_from_text == ["title", "description"] and "victim_name" not in uwazi.columns
    assert (uwazi.columns["victim_count"], uwazi.columns["victim_type"]) == ("Impact of Event", "HRD")


def test_every_file_parses_and_the_truth_covers_every_record(generated: Path, parsed: dict):
    truth_reports = read_csv(generated / "truth_reports.csv")
    truth_mentions = read_csv(generated / "truth_mentions.csv")
    by_source: dict[str, list[str]] = defaultdict(list)
    for row in truth_reports:
        by_source[row["source_name"]].append(row["source_record_id"])
    assert set(by_source) == set(parsed["records"])
    for name, records in parsed["records"].items():
        ids = staging_ids(parsed["specs"][name], records)
        assert records, name
        assert len(ids) == len(set(ids)), f"{name}: duplicate record keys"
        assert sorted(ids) == sorted(by_source[name]), name
    # mentions: positions 1..k for every report (an Uwazi record may name nobody), of truth reports only
    positions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in truth_mentions:
        positions[(row["source_name"], row["source_record_id"])].append(int(row["victim_position"]))
    reports = {(row["source_name"], row["source_record_id"]) for row in truth_reports}
    assert set(positions) <= reports
    assert {report for report in reports if report[0] != "bench_uwazi_events"} <= set(positions)
    assert all(sorted(found) == list(range(1, len(found) + 1)) for found in positions.values())
    events = {(row["source_name"], row["source_record_id"]): row["true_event_id"] for row in truth_reports}
    assert all(events[(row["source_name"], row["source_record_id"])] == row["true_event_id"] for row in truth_mentions)
    # the victim list of a multi-victim source has exactly as many names as the truth has positions
    for name, records in parsed["records"].items():
        spec = parsed["specs"][name]
        separator = spec.options.get("victim_separator")
        if not separator:
            continue
        header = spec.columns["victim_name"]
        for record_id, values in records:
            names = [part for part in (values.get(header) or "").split(separator) if part.strip()]
            assert len(names) == len(positions[(name, record_id)]), (name, record_id, values.get(header))
    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["n_reports"] == len(truth_reports) >= 600


def test_only_the_rows_injected_on_purpose_are_quarantined(generated: Path, parsed: dict):
    expected = {
        (row["source_name"], row["source_file"], int(row["source_row"]), row["reason"])
        for row in read_csv(generated / "expected_quarantine.csv")
    }
    assert expected, "the benchmark injects a few unreadable rows (a draft row, a total row)"
    assert parsed["quarantined"] == expected


def test_every_kind_of_noise_is_present(generated: Path, parsed: dict):
    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    noise = manifest["noise"]
    for kind in (
        "cyrillic_victim_name", "swapped_name_order", "comma_name_order", "typo", "patronymic_dropped",
        "patronymic_kept", "russified_before_romanisation", "country_name_variant", "city_missing",
        "coordinates_missing", "multi_victim_record", "one_record_per_victim", "resubmission", "repeat_victim_event",
        "namesake_actor", "relatives_event", "same_day_sibling_event", "mass_event", "date_precision_day",
        "date_precision_month", "date_precision_year", "date_shifted_to_report_date", "date_cpj_unknown_in_year",
        "date_two_digit_year", "date_month_name", "date_range", "kobo_old_version", "kobo_repeat_group",
        "kobo_country_other", "uwazi_russian_text", "uwazi_distractor_name", "uwazi_city_only_in_pin",
        "uwazi_cyrillic_original_in_parentheses",
    ):  # fmt: skip
        assert noise.get(kind, 0) > 0, kind
    assert len([key for key in noise if key.startswith("romanisation_")]) >= 5

    # a Cyrillic name in a Latin name field, as the files really hold it
    victim_values = [
        values.get(parsed["specs"][name].columns.get("victim_name", "fullName")) or ""
        for name, records in parsed["records"].items()
        for _, values in records
    ]
    assert any(CYRILLIC.search(value) for value in victim_values)
    assert any(", " in value for value in victim_values)  # "Saipov, Alisher"

    truth_mentions = read_csv(generated / "truth_mentions.csv")
    events_of_actor: dict[str, set[str]] = defaultdict(set)
    records_of: Counter = Counter()
    for row in truth_mentions:
        events_of_actor[row["true_actor_id"]].add(row["true_event_id"])
        records_of[(row["source_name"], row["true_event_id"], row["true_actor_id"])] += 1
    assert any(int(row["victim_position"]) >= 3 for row in truth_mentions)  # multi-victim record
    assert any(len(events) >= 2 for events in events_of_actor.values())  # same actor, two events
    assert any(count >= 2 for count in records_of.values())  # the same victim of one event twice in one source

    # one source lists an event's victims in one record, another one record per victim
    reports_by_event: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    victims_per_report: Counter = Counter()
    for row in truth_mentions:
        reports_by_event[row["true_event_id"]][row["source_name"]].add(row["source_record_id"])
        victims_per_report[(row["source_name"], row["source_record_id"])] += 1
    assert any(
        any(victims_per_report[(s, r)] > 1 for s, records in by_source.items() for r in records)
        and any(len(records) > 1 for records in by_source.values())
        for by_source in reports_by_event.values()
    )

    actors = {row["true_actor_id"]: row for row in read_csv(generated / "truth_actors.csv")}
    namesakes = [row for row in actors.values() if row["namesake_of"]]
    assert namesakes
    for row in namesakes:  # the same name, another person, another country
        original = actors[row["namesake_of"]]
        assert row["canonical_name"] == original["canonical_name"] and row["country_code"] != original["country_code"]
    national_letters = re.compile("[ӨөҮүҢңӘәҒғҚқҰұҺһІіӢӣӮӯҲҳҶҷ]")
    assert any(national_letters.search(row["canonical_name"]) for row in actors.values())

    events = read_csv(generated / "truth_events.csv")
    siblings = Counter((e["event_date"], e["city"]) for e in events if "same_day_sibling" in e["tags"].split("|"))
    assert any(count >= 2 for count in siblings.values())  # same day, same city, different events
    relatives = [e for e in events if "relatives" in e["tags"].split("|")]
    assert relatives
    for event in relatives:
        first, second = (actors[a] for a in event["true_actor_ids"].split("|")[:2])
        assert first["true_actor_id"] != second["true_actor_id"]
        surnames = [actor["canonical_name"].split(" ", 1)[1] for actor in (first, second)]
        assert surnames[0][:4] == surnames[1][:4], surnames


def test_outlets_of_one_country_have_names_a_reader_can_tell_apart(tmp_path: Path):
    """A writer drops an outlet's type word half of the time ("Бетачар" for "Газета Бетачар"), so two
    outlets of one country sharing a name core would be two truths nobody can tell apart. At 100,000
    reports the generator makes hundreds of outlets from 87 cores: the rule has to hold there."""
    from bench.world import World

    world = World(12, 100_000, tmp_path)
    outlets = [(country, outlet.given) for country, pool in world.outlets_by_country.items() for outlet in pool]
    assert len(outlets) >= 350  # nearly the 400 asked for: the rule moves outlets, it does not drop them
    assert len(set(outlets)) == len(outlets)
    countries_per_core = Counter(core for _, core in outlets)
    assert max(countries_per_core.values()) > 1  # a core may still name outlets of several countries


def test_the_gazetteer_is_the_seeds():
    from bench import gazetteer

    seeds = REPO / "dbt_project" / "seeds"
    spellings = {(row["country_code"], row["place_name"]) for row in read_csv(seeds / "place_aliases.csv")}
    centroids = {(row["country_code"], row["canonical_place"]) for row in read_csv(seeds / "place_centroids.csv")}
    countries = gazetteer.load()
    for code, country in countries.items():
        assert country.cities[0].weight == max(city.weight for city in country.cities)  # the capital first
        for city in country.cities:
            assert (code, city.names[0]) in centroids
            assert all((code, name) in spellings for name in city.names)
            assert not set(city.names) & gazetteer.HISTORICAL_PLACE_NAMES
    aliases = {row["alias"] for row in read_csv(seeds / "country_aliases.csv")}
    assert all(set(country.aliases) <= aliases for country in countries.values())


def test_uwazi_has_the_template_properties_only_and_names_victims_in_its_text(generated: Path):
    from bench.formats.uwazi_csv import UwaziCsv

    rows = read_csv(generated / "data" / "bench_uwazi_events" / "uwazi_export.csv")
    assert list(rows[0]) == list(UwaziCsv.HEADER)
    assert not {"Victim", "City"} & set(rows[0])
    by_key = {f"{row['Title']}|{row['Date added']}": row for row in rows}
    mentions = [row for row in read_csv(generated / "truth_mentions.csv") if row["source_name"] == "bench_uwazi_events"]
    assert mentions
    for mention in mentions:  # every victim of the truth is written, in every form, in the title or description
        record = by_key[mention["source_record_id"]]
        text = record["Title"] + " " + record["Event Description"]
        assert mention["victim_name"] == mention["victim_name_forms"].split("|")[0]
        assert all(form in text for form in mention["victim_name_forms"].split("|")), (mention, text)
    named = Counter(mention["source_record_id"] for mention in mentions)
    assert any(CYRILLIC.search(row["Title"]) for row in rows)  # Russian titles
    assert any(re.search(r"(^|: |at least )\d+ \w+", row["Title"]) for row in rows)  # "Kazakhstan: 7 journalists"
    assert any("program coordinator" in row["Event Description"] for row in rows)  # a name that is no victim
    assert any(key not in named for key in by_key) or len(rows) < 50  # a record naming nobody
    assert all(re.fullmatch(r"-?\d+\.\d+\|-?\d+\.\d+", row["Event Location"]) for row in rows if row["Event Location"])


def test_kobo_is_one_form_in_two_versions_with_a_victim_repeat(generated: Path):
    from bench.formats import kobo_api

    (path,) = (generated / "data" / "bench_kobo_monitoring").glob("*_data.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(document) == ["count", "next", "previous", "results"] and document["next"] is None
    results = document["results"]
    assert document["count"] == len(results)
    versions = Counter(item["__version__"] for item in results)
    assert set(versions) == {kobo_api.OLD_VERSION, kobo_api.NEW_VERSION}
    for item in results:
        for key in (
            "_id",
            "_uuid",
            "meta/instanceID",
            "meta/rootUuid",
            "formhub/uuid",
            "_xform_id_string",
            "_submission_time",
            "_geolocation",
            "_validation_status",
            "_attachments",
            "_tags",
            "_notes",
        ):
            assert key in item, key  # fmt: skip
        assert item["meta/rootUuid"].startswith("uuid:") and isinstance(item["_validation_status"], dict)
        if item["__version__"] == kobo_api.OLD_VERSION:
            assert "victim/name" in item and "victim" not in item and "victim_count" not in item
        else:
            assert "victim/name" not in item and int(item["victim_count"]) >= len(item["victim"]) >= 1
            assert all("victim/name" in victim for victim in item["victim"])
    assert any(item["incident/country"] == "other" and item["incident/country_other"] for item in results)
    assert any(item["_uuid"] != item["meta/rootUuid"].removeprefix("uuid:") for item in results)  # an edit
    truth = {row["source_record_id"] for row in read_csv(generated / "truth_reports.csv")
             if row["source_name"] == "bench_kobo_monitoring"}  # fmt: skip
    expected = set()
    for item in results:
        key = item["meta/rootUuid"].removeprefix("uuid:")
        victims = item.get("victim", [])
        expected |= {f"{key}/victim[{n}]" for n in range(1, len(victims) + 1)} if victims else {key}
    assert truth == expected


def test_partner_sheets_write_dates_and_labels_as_partners_do(generated: Path):
    text = (generated / "data" / "bench_partner_ca" / "partner_ca_incidents.csv").read_text(encoding="utf-8-sig")
    dates = [row[1] for row in csv.reader(text.splitlines()[3:]) if len(row) > 1]
    assert any(re.fullmatch(r"\d\d\.\d\d\.\d\d", date) for date in dates)  # 17.10.15
    assert any(re.search(r"[а-яқәөүұ]{3,} \d{4}", date) for date in dates)  # март 2019, 12 қаңтар 2019
    assert any(re.search(r"\d - \d|\d-\d\d\.|^с \d+ по", date) for date in dates)  # ranges
    assert "Задержание / Detention" in text or "Угрозы / Threats" in text
    crosswalk = {
        row["source_label"].lower() for row in read_csv(REPO / "dbt_project/seeds/violation_type_crosswalk.csv")
    }
    labels = {label.strip() for row in csv.reader(text.splitlines()[3:]) if len(row) > 9 for label in row[9].split(";")}
    assert any(label and label.lower() not in crosswalk for label in labels)  # partners' own words too


# --- scoring ---------------------------------------------------------------------------------


def test_pairwise_and_bcubed_on_a_toy_clustering():
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    # true pairs ab ac bc de; predicted ab cd ce de; both: ab de
    pairwise = matching.pairwise_scores(predicted, truth)
    assert (pairwise.precision, pairwise.recall, pairwise.f1) == (0.5, 0.5, 0.5)
    assert pairwise.detail == {"true_positive_pairs": 2, "predicted_pairs": 4, "true_pairs": 4}
    # per item precision a 2/2 b 2/2 c 1/3 d 2/3 e 2/3; recall a 2/3 b 2/3 c 1/3 d 2/2 e 2/2
    bcubed = matching.bcubed_scores(predicted, truth)
    assert bcubed.precision == pytest.approx(11 / 15) and bcubed.recall == pytest.approx(11 / 15)

    truth = {"a": 1, "b": 1, "c": 1, "d": 1, "e": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "z", "e": "z"}
    pairwise = matching.pairwise_scores(predicted, truth)
    assert (pairwise.precision, pairwise.recall) == (0.5, pytest.approx(1 / 6))
    assert pairwise.f1 == pytest.approx(0.25)
    bcubed = matching.bcubed_scores(predicted, truth)
    assert (bcubed.precision, bcubed.recall) == (pytest.approx(0.8), pytest.approx(0.5))
    assert bcubed.f1 == pytest.approx(0.8 / 1.3)
    assert matching.entity_count_error(predicted, truth) == {"predicted": 3, "true": 2, "relative_error": 0.5}


def test_items_the_prediction_lacks_are_singletons_and_extra_items_are_ignored():
    truth = {"a": 1, "b": 1, "c": 2}
    predicted = {"a": "x", "z": "x"}  # b and c missing, z unknown to the truth
    pairwise = matching.pairwise_scores(predicted, truth)
    assert (pairwise.precision, pairwise.recall, pairwise.f1) == (1.0, 0.0, 0.0)
    assert matching.bcubed_scores(predicted, truth).precision == 1.0
    assert matching.entity_count_error(predicted, truth)["predicted"] == 3
    perfect = matching.pairwise_scores({"a": 1, "b": 2}, {"a": 1, "b": 2})
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)  # no pair to judge


def write_truth(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    reports = [("a", "r1", "E1"), ("a", "r2", "E1"), ("b", "r3", "E1"), ("a", "r4", "E2"), ("b", "r5", "E2")]
    mentions = [
        ("a", "r1", 1, "A1", "E1"), ("a", "r1", 2, "A2", "E1"), ("a", "r2", 1, "A1", "E1"),
        ("b", "r3", 1, "A3", "E1"), ("a", "r4", 1, "A3", "E2"), ("b", "r5", 1, "A4", "E2"),
    ]  # fmt: skip
    with (folder / "truth_reports.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([("source_name", "source_record_id", "true_event_id"), *reports])
    with (folder / "truth_mentions.csv").open("w", newline="") as handle:
        header = ("source_name", "source_record_id", "victim_position", "true_actor_id", "true_event_id")
        csv.writer(handle).writerows([header, *mentions])


def write_warehouse(path: Path, *, with_mentions: bool = True, with_pairs: bool = True) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema intermediate")
    con.execute(
        """create table marts.bridge_event_source_record as select * from (values
            ('X', 'a', 'r1'), ('X', 'a', 'r2'), ('Y', 'b', 'r3'), ('Y', 'a', 'r4'), ('Y', 'b', 'r5'),
            ('Z', 'c', 'r9')) as t(event_id, source_name, source_record_id)"""
    )
    if with_mentions:  # act grain: a victim repeats once per violation type
        con.execute(
            """create table intermediate.int_mentions as select * from (values
                ('a:r1#1', 'a:r1', 'a', 'r1', 1, 'p1', 'X'), ('a:r1#1', 'a:r1', 'a', 'r1', 1, 'p1', 'X'),
                ('a:r1#2', 'a:r1', 'a', 'r1', 2, 'p1', 'X'), ('a:r2#1', 'a:r2', 'a', 'r2', 1, 'p1', 'X'),
                ('b:r3#1', 'b:r3', 'b', 'r3', 1, 'p3', 'Y'), ('a:r4#1', 'a:r4', 'a', 'r4', 1, 'p4', 'Y'),
                ('b:r5#1', 'b:r5', 'b', 'r5', 1, 'p4', 'Y'))
                as t(mention_id, report_id, source_name, source_record_id, victim_position, actor_id, event_id)"""
        )
    if with_pairs:
        con.execute(
            """create table intermediate.int_mention_pairs_scored as select * from (values
                ('a:r1#1', 'a:r2#1', 'exact', 'same_day', 20.0),
                ('a:r1#2', 'a:r2#1', 'different', 'same_day', 3.0),
                ('a:r1#1', 'b:r3#1', 'fuzzy', 'within_3d', 12.0),
                ('b:r3#1', 'a:r4#1', 'exact', 'far', 4.0),
                ('a:r4#1', 'b:r5#1', 'different', 'same_day', 3.0),
                ('a:r1#1', 'a:r1#2', 'different', 'same_day', 3.0),
                ('a:r2#1', 'b:r5#1', 'different', 'far', -9.0))
                as t(left_mention_id, right_mention_id, name_level, date_level, event_score)"""
        )
    con.close()


def test_score_reads_the_warehouse_tables(tmp_path: Path):
    write_truth(tmp_path / "truth")
    write_warehouse(tmp_path / "warehouse.duckdb")
    result = matching.score(tmp_path / "warehouse.duckdb", tmp_path / "truth")

    events = result["events"]
    assert (events["pairwise"].precision, events["pairwise"].recall) == (0.5, 0.5)
    assert events["bcubed"].f1 == pytest.approx(11 / 15)
    assert (events["covered"], events["extra"], events["count"]["relative_error"]) == (5, 1, 0.0)

    # actors: truth {r1#1 r2#1} {r1#2} {r3#1 r4#1} {r5#1}; predicted {r1#1 r1#2 r2#1} {r3#1} {r4#1 r5#1}
    actors = result["actors"]
    assert (actors["pairwise"].precision, actors["pairwise"].recall) == (0.25, 0.5)
    assert actors["pairwise"].f1 == pytest.approx(1 / 3)
    assert (actors["bcubed"].precision, actors["bcubed"].recall) == (pytest.approx(11 / 18), pytest.approx(5 / 6))
    assert actors["count"] == {"predicted": 3, "true": 4, "relative_error": -0.25}

    # true report pairs: a:r1-a:r2 (found), a:r1-b:r3 (found), a:r2-b:r3 (missed), a:r4-b:r5 (found)
    blocking = result["blocking"]
    assert (blocking["recall"], blocking["true_pairs"], blocking["found"]) == (0.75, 4, 3)
    assert blocking["cross_source_recall"] == pytest.approx(2 / 3) and blocking["same_source_recall"] == 1.0
    # a:r2-b:r3 has no candidate pair but meets through a:r1 (r1-r2, r1-r3 within E1): reachable
    assert (blocking["reachable"], blocking["reachable_recall"]) == (4, 1.0)
    assert matching.summary_line(result) == "events pairwise_f1=0.500 b3_f1=0.733 blocking_recall=0.750"


def test_score_says_n_a_for_tables_not_built_yet(tmp_path: Path, capsys: pytest.CaptureFixture):
    write_truth(tmp_path / "truth")
    (tmp_path / "home").mkdir()
    write_warehouse(tmp_path / "home" / "warehouse.duckdb", with_mentions=False, with_pairs=False)
    assert matching.main(["score", "--home", str(tmp_path / "home"), "--truth", str(tmp_path / "truth")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("actors: n/a") for line in lines)
    assert any(line.startswith("blocking: n/a") for line in lines)
    assert lines[-1] == "events pairwise_f1=0.500 b3_f1=0.733 blocking_recall=nan"
    assert re.fullmatch(r"events pairwise_f1=\S+ b3_f1=\S+ blocking_recall=\S+", lines[-1])


def test_calibrate_estimates_both_models_and_thresholds(tmp_path: Path, capsys: pytest.CaptureFixture):
    write_truth(tmp_path / "truth")
    (tmp_path / "home").mkdir()
    write_warehouse(tmp_path / "home" / "warehouse.duckdb")
    weights, calibration = tmp_path / "seeds" / "match_weights.csv", tmp_path / "calibration.json"
    code = matching.main(
        ["calibrate", "--home", str(tmp_path / "home"), "--truth", str(tmp_path / "truth"),
         "--weights-out", str(weights), "--calibration-out", str(calibration), "--estimator", "naive_bayes"]
    )  # fmt: skip
    assert code == 0
    assert list(read_csv(weights)[0]) == [
        "model",
        "comparison",
        "level",
        "m_probability",
        "u_probability",
        "match_weight",
    ]
    rows = {(row["model"], row["comparison"], row["level"]): row for row in read_csv(weights)}
    # Labelled pairs of distinct reports: 4 of one event (exact/same_day naming the same victim;
    # different/same_day twice and fuzzy/within_3d naming different victims) and 2 of different
    # events (exact/far: the same person attacked twice; different/far). Laplace over 3 levels.
    # Mention model: m over the 1 co-referent pair, u over the 2 different-event pairs.
    assert float(rows[("mention", "name", "exact")]["m_probability"]) == pytest.approx(2 / 4, abs=1e-6)
    assert float(rows[("mention", "name", "exact")]["u_probability"]) == pytest.approx(2 / 5, abs=1e-6)
    assert float(rows[("mention", "date", "far")]["match_weight"]) == pytest.approx(
        math.log2((1 / 4) / (3 / 5)), abs=1e-3
    )
    # Context model: no name comparison; m over the 4 same-event pairs.
    assert not any(model == "context" and comparison == "name" for model, comparison, _ in rows)
    same_day = rows[("context", "date", "same_day")]
    assert float(same_day["match_weight"]) == pytest.approx(math.log2((4 / 7) / (1 / 5)), abs=1e-3)
    result = json.loads(calibration.read_text())
    # The searched thresholds reproduce the true events exactly on this toy (ties go to the stricter).
    assert (result["pairwise_f1"], result["pairwise_precision"], result["pairwise_recall"]) == (1.0, 1.0, 1.0)
    assert set(result["thresholds"]) == set(matching.THRESHOLD_VARS)
    # the thresholds are written into the weights file, the one file calibration writes
    threshold_rows = {row["comparison"]: row for row in read_csv(weights) if row["model"] == "threshold"}
    assert {model: float(row["match_weight"]) for model, row in threshold_rows.items()} == {
        "mention": result["thresholds"]["hrdw_event_match_threshold"],
        "context": result["thresholds"]["hrdw_context_match_threshold"],
        "actor": result["thresholds"]["hrdw_actor_match_threshold"],
    }
    assert all(row["m_probability"] == "" and row["level"] == "score" for row in threshold_rows.values())
    assert f"weights and thresholds written to {weights}" in capsys.readouterr().out


def test_logistic_weights_do_not_count_correlated_evidence_twice():
    # Two comparisons that always agree (a and b are copies): naive Bayes adds the same evidence
    # twice; the jointly fitted weights give the pair the log-odds the data shows, once.
    con = duckdb.connect()
    con.execute(
        """create temp table labelled_pairs as
        select * from (values
            ('x', 'x', true, 300), ('y', 'y', true, 100), ('x', 'x', false, 100), ('y', 'y', false, 300)
        ) as t(a_level, b_level, is_match, n), range(n)"""
    )
    naive = matching._level_weights(con, ["a_level", "b_level"], "is_match", ["a", "b"])
    fitted = matching._logistic_weights(con, naive, "is_match", "not is_match")

    def spread(rows: list[dict]) -> float:
        weight = {(row["comparison"], row["level"]): row["match_weight"] for row in rows}
        return weight[("a", "x")] + weight[("b", "x")] - weight[("a", "y")] - weight[("b", "y")]

    data_log2_odds_ratio = math.log2(300 / 100) - math.log2(100 / 300)  # P(match | x,x) = 3/4 against 1/4
    assert spread(naive) > 1.8 * data_log2_odds_ratio  # twice, less Laplace smoothing
    assert spread(fitted) == pytest.approx(data_log2_odds_ratio, abs=0.1)
    assert [row["m_probability"] for row in fitted] == [row["m_probability"] for row in naive]


def test_calibrate_writes_one_file_and_leaves_the_project_alone(tmp_path: Path):
    write_truth(tmp_path / "truth")
    write_warehouse(tmp_path / "warehouse.duckdb")
    (tmp_path / "project" / "seeds").mkdir(parents=True)
    project = tmp_path / "project" / "dbt_project.yml"
    project.write_text("vars:\n  hrdw_event_match_threshold: 12\n  other: 3\n")
    matching.calibrate(
        tmp_path / "warehouse.duckdb", tmp_path / "truth", tmp_path / "project" / "seeds" / "w.csv", None, {}
    )
    assert project.read_text() == "vars:\n  hrdw_event_match_threshold: 12\n  other: 3\n"
    written = {path.name for path in tmp_path.rglob("*") if path.is_file()}
    truth = {path.name for path in (tmp_path / "truth").iterdir()}
    assert written - truth - {"warehouse.duckdb", "dbt_project.yml"} == {"w.csv"}


def test_best_threshold_walks_the_union_find_from_the_top():
    truth = {"r1": "E1", "r2": "E1", "r3": "E2"}
    best, curve = matching.best_threshold([(5.0, "r1", "r2"), (1.0, "r2", "r3")], truth)
    assert best == {"threshold": 5.0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert curve[-1]["precision"] == pytest.approx(1 / 3)


def test_sources_whose_connector_is_missing_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from bench.formats.kobo_api import KoboApi
    from bench.formats.odk_csv_zip import OdkCsvZip

    monkeypatch.setattr(KoboApi, "available", lambda self: False)
    monkeypatch.setattr(OdkCsvZip, "available", lambda self: False)
    generate(40, 1, tmp_path)
    names = {path.stem for path in tmp_path.glob("*.yml")}
    assert names == {
        "bench_cpj_export",
        "bench_cpj_people",
        "bench_partner_ca",
        "bench_partner_tj",
        "bench_uwazi_events",
    }
    assert {row["source_name"] for row in read_csv(tmp_path / "truth_reports.csv")} <= names


def test_best_threshold_takes_the_highest_of_the_nearly_best(monkeypatch: pytest.MonkeyPatch):
    # F1 is 0.667 at 3.0 (only r1-r2 linked), 1.0 at 2.5 and 2.0, and falls at 1.0 (r4-r5 wrong)
    truth = {"r1": "E1", "r2": "E1", "r3": "E2", "r4": "E2", "r5": "E3"}
    edges = [(3.0, "r1", "r2"), (2.5, "r3", "r4"), (2.0, "r2", "r1"), (1.0, "r4", "r5")]
    best, curve = matching.best_threshold(edges, truth)
    assert best["threshold"] == 2.5 and best["f1"] == 1.0  # of equally good thresholds, the highest
    assert [point["threshold"] for point in curve if point["f1"] == 1.0] == [2.5, 2.0]
    # a threshold within the tolerance of the best F1 counts as good enough: the highest is taken
    monkeypatch.setattr(matching, "F1_TOLERANCE", 0.4)
    best, _ = matching.best_threshold(edges, truth)
    assert best["threshold"] == 3.0 and best["f1"] == pytest.approx(2 / 3)


def test_victims_named_in_text_are_aligned_by_name(tmp_path: Path):
    from bench import extraction

    truth_dir = tmp_path / "truth"
    truth_dir.mkdir()
    (truth_dir / "u.yml").write_text("name: u\nkind: uwazi_csv\nvictims_from_text: [title, description]\n")
    with (truth_dir / "truth_reports.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([("source_name", "source_record_id", "true_event_id"),
                                      ("u", "t1", "E1"), ("u", "t2", "E2"), ("a", "r1", "E1")])  # fmt: skip
    with (truth_dir / "truth_mentions.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([
            ("source_name", "source_record_id", "victim_position", "true_actor_id", "true_event_id", "victim_name",
             "victim_name_forms"),
            ("u", "t1", 1, "A1", "E1", "Venera Djumataeva", "Venera Djumataeva|Венера Джуматаева"),
            ("u", "t1", 2, "A2", "E1", "Bolot Asanov", "Bolot Asanov"),
            ("u", "t2", 1, "A3", "E2", "Aibek Tolov", "Aibek Tolov"),
            ("a", "r1", 1, "A1", "E1", "DZHUMATAEVA VENERA", "DZHUMATAEVA VENERA"),
        ])  # fmt: skip
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema intermediate")
    con.execute(
        """create table marts.dim_event as select * from (values ('X', date '2020-01-01'), ('Y', date '1066-10-14'))
            as t(event_id, event_date)"""
    )
    # the warehouse read t1's victims in the other order, plus a quoted coordinator; t2's victim it missed
    con.execute(
        """create table intermediate.int_mentions as select * from (values
            ('u', 't1', 1, 'Bolot Asanov', 'text', 'p2'), ('u', 't1', 2, 'Gulnoza Said', 'text', 'p9'),
            ('u', 't1', 3, 'Venera Dzhumataeva', 'text', 'p1'), ('a', 'r1', 1, 'DZHUMATAEVA VENERA', 'field', 'p1'))
            as t(source_name, source_record_id, victim_position, victim_name, victim_name_origin, actor_id)"""
    )
    con.execute(
        """create table intermediate.int_report_violations as select * from (values
            ('u:t1', 'Enforced Disappearance', 'unclassified'), ('u:t1', 'Killing', 'killing'),
            ('a:r1', null, 'unclassified')) as t(report_id, source_labels, violation_type_code)"""
    )
    con.close()
    result = matching.score(path, truth_dir)
    text = result["text_victims"]["u"]
    assert (text["records"], text["naming"], text["extracted"], text["extracted_right"]) == (2, 2, 1, 1)
    assert (text["victims"], text["aligned"], text["names_extracted"], text["names_wrong"]) == (3, 2, 3, 1)
    assert text["from_text"] == 3
    actors = result["actors"]  # Venera (u:t1 at the warehouse's position 3 and a:r1) is one actor: perfect
    assert actors["pairwise"].precision == 1.0 and actors["pairwise"].recall == 1.0
    assert actors["covered"] == 3  # Aibek Tolov was never extracted: a singleton the warehouse lacks
    assert result["victims_read"]["u"] == {"present": 3, "read": 2}
    assert result["victims_read"]["a"] == {"present": 1, "read": 1}
    assert result["dates_out_of_range"] == 1
    unmapped = result["unmapped_labels"]
    assert unmapped["u"]["labels"] == [("Enforced Disappearance", 1)] and unmapped["a"]["without_label"] == 1
    lines = matching.format_report(result)
    assert any(line.startswith("victims from text, u: 1/2 records") for line in lines)
    assert extraction.name_similarity("Akmal Saipov", "Akmal Turov") < extraction.ALIGN_THRESHOLD
    assert extraction.name_similarity("Джуматаева Венера", "Venera Djumatayeva") >= extraction.ALIGN_THRESHOLD


def test_splink_side_by_side_turns_matched_pairs_into_connected_components():
    """The side-by-side scores Splink's pairs as clusters: a chain joins, an unmatched node stays alone."""
    from bench.splink_side_by_side import _components

    clusters = _components(["a", "b", "c", "d", "e"], [("c", "b"), ("b", "a"), ("e", "e")])
    assert clusters == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "e"}
