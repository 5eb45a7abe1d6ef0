"""The public variant: built from the publication policy, and nothing withheld reaches any public file.

The hand-made warehouse (tests/test_publish_marts.py) holds seven withheld events (pending status,
marked not public by its source, a source whose YAML says publish: false, a source the policy does
not list, no status from a source that keeps one, blank status with such a source, sources that
disagree on the status) and withheld fields on public records. Every withheld value contains
SENTINEL or is a numeric sentinel.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
import yaml
from test_publish_marts import NUMERIC_SENTINELS, PUBLIC_EVENTS, write_home, write_policy

from publish.policy import PolicyError
from publish.snapshot import publish

RUN_TIME = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)


@pytest.fixture
def published(hrdw_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HRDW_PUBLICATION_POLICY", str(write_policy(tmp_path / "policy.yml")))
    write_home(hrdw_home)
    return publish(RUN_TIME)


def every_value(folder: Path) -> Iterator[tuple[str, str]]:
    """``(file, text)`` for every value of every file under ``folder``, decoded by format: Parquet cells
    and column names, CSV cells, every table and column of DuckDB files (cast to text), JSON and
    Markdown text; and the raw bytes of every file. An unknown file type fails the test."""
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        name = str(path.relative_to(folder))
        yield name, path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            yield from ((name, column) for column in table.column_names)
            for column in table.to_pylist():
                yield from ((name, repr(value)) for value in column.values())
        elif path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                for row in csv.reader(handle):
                    yield from ((name, cell) for cell in row)
        elif path.suffix == ".duckdb":
            con = duckdb.connect(str(path), read_only=True)
            try:
                tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
                assert tables, name
                for schema, table in tables:
                    yield name, f"{schema}.{table}"
                    columns = [row[0] for row in con.execute(f'describe "{schema}"."{table}"').fetchall()]
                    yield from ((name, column) for column in columns)
                    comments = con.execute(
                        "select comment from duckdb_tables() where schema_name = ? and table_name = ? union all "
                        "select comment from duckdb_columns() where schema_name = ? and table_name = ?",
                        [schema, table, schema, table],
                    ).fetchall()
                    yield from ((name, comment) for (comment,) in comments if comment)
                    casts = ", ".join(f'cast("{column}" as varchar)' for column in columns)
                    for row in con.execute(f'select {casts} from "{schema}"."{table}"').fetchall():
                        yield from ((name, str(value)) for value in row)
            finally:
                con.close()
        elif path.suffix == ".json":
            yield name, json.dumps(json.loads(path.read_text()), ensure_ascii=False)
        elif path.suffix == ".md":
            yield name, path.read_text()
        elif path.suffix == ".xlsx":  # the flat exports: every cell of every sheet
            workbook = openpyxl.load_workbook(path, read_only=True)
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    yield from ((name, str(value)) for value in row if value is not None)
            workbook.close()
        elif path.suffix == ".html":  # the data dictionary and the report: their text with entities decoded
            yield name, html.unescape(path.read_text(encoding="utf-8"))
        else:
            pytest.fail(f"unexpected file in the public variant: {name}")


def leaks(folder: Path) -> list[tuple[str, str]]:
    return [
        (name, text[:120])
        for name, text in every_value(folder)
        if "sentinel" in text.lower() or any(sentinel in text for sentinel in NUMERIC_SENTINELS)
    ]


def test_no_public_file_holds_a_withheld_record_or_field(published):
    public = published.public_path
    suffixes = {path.suffix for path in public.rglob("*") if path.is_file()}
    assert suffixes == {".parquet", ".csv", ".duckdb", ".json", ".md", ".html", ".xlsx"}
    assert leaks(public) == []
    # The same search finds the sentinels in the internal snapshot: the search itself works.
    internal_leaks = {name for name, _ in leaks(published.path) if not name.startswith("public")}
    assert {
        "dim_event.parquet",
        "dim_event.csv",
        "warehouse.duckdb",
        "review_queue.csv",
        "report.html",
    } <= internal_leaks


def _rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def test_public_tables_keep_public_events_and_allowed_columns_only(published):
    public = published.public_path
    events = {row["event_id"]: row for row in _rows(public / "dim_event.parquet")}
    assert set(events) == PUBLIC_EVENTS
    columns = set(pq.read_schema(public / "dim_event.parquet").names)
    assert "summary_for_publication" in columns
    assert not columns & {"description", "description_source", "first_loaded_at", "published_in_all_sources"}
    assert events["ev_public_active"]["summary_for_publication"] == "Public summary of the detention"
    for table in ("fct_violation", "bridge_event_actor", "bridge_event_source_record"):
        assert {row["event_id"] for row in _rows(public / f"{table}.parquet")} <= PUBLIC_EVENTS, table
    bridge_columns = set(pq.read_schema(public / "bridge_event_source_record.parquet").names)
    assert not bridge_columns & {"source_file", "source_row", "record_hash", "batch_id"}
    actor_columns = set(pq.read_schema(public / "dim_actor.parquet").names)
    assert not actor_columns & {"original_script_names", "gender", "name_key", "skeleton_key"}

    actors = {row["actor_id"]: row for row in _rows(public / "dim_actor.parquet")}
    assert set(actors) == {"ac_public_a", "ac_public_b", "ac_hostile", "ac_mixed", "ac_police"}
    # An actor also involved in a withheld event: counts and countries from public rows only,
    # spellings and outlets (which mix in the withheld record) emptied.
    assert (actors["ac_mixed"]["event_count"], actors["ac_mixed"]["country_codes"]) == (1, "KG")
    assert (actors["ac_mixed"]["name_variants"], actors["ac_mixed"]["organizations"]) == (None, None)
    assert actors["ac_police"]["event_count"] == 1
    assert actors["ac_public_a"]["organizations"] == "Public Outlet"

    sources = {row["source_name"]: row["record_count"] for row in _rows(public / "dim_source.parquet")}
    assert sources == {"open_wire": 2, "partner_sheet": 1}  # secret (YAML says no) and unlisted sources withheld
    redirects = _rows(public / "event_id_redirects.parquet")
    assert redirects == [{"retired_event_id": "ev_retired_public", "current_event_id": "ev_public_active"}]
    assert {row["calendar_year"] for row in _rows(public / "dim_date.parquet")} == {2021}
    assert not list(public.glob("review_queue.*"))
    assert published.manifest["public"]["withheld_tables"] == ["fct_sdg_16_10_1", "review_queue"]
    assert published.manifest["public"]["public_events"] == 3


def _on_grid(value: float, grid: float) -> bool:
    return abs(value / grid - round(value / grid)) < 1e-9


def test_public_coordinates_are_on_the_grid_and_true_values_stay_internal(published):
    public = {row["event_id"]: row for row in _rows(published.public_path / "dim_event.parquet")}
    coarse = {event_id: (row["latitude"], row["longitude"]) for event_id, row in public.items()}
    assert coarse == {
        "ev_public_active": (42.9, 74.6),
        "ev_public_open": (-33.9, 151.2),
        "ev_hostile": (40.5, -70.7),
    }
    assert all(_on_grid(value, 0.1) for pair in coarse.values() for value in pair)
    con = duckdb.connect(str(published.public_path / "warehouse.duckdb"), read_only=True)
    from_duckdb = con.execute("select latitude, longitude from dim_event where latitude is not null").fetchall()
    assert all(_on_grid(value, 0.1) for pair in from_duckdb for value in pair)
    internal = {row["event_id"]: row for row in _rows(published.path / "dim_event.parquet")}
    assert (internal["ev_public_active"]["latitude"], internal["ev_public_active"]["longitude"]) == (42.8746, 74.5698)


def test_grid_comes_from_the_policy(hrdw_home, tmp_path, monkeypatch):
    policy = write_policy(tmp_path / "policy.yml")
    document = yaml.safe_load(policy.read_text())
    document["coordinates"]["grid_degrees"] = 0.5
    policy.write_text(yaml.safe_dump(document))
    monkeypatch.setenv("HRDW_PUBLICATION_POLICY", str(policy))
    write_home(hrdw_home)
    snapshot = publish(RUN_TIME)
    rows = _rows(snapshot.public_path / "dim_event.parquet")
    assert {(row["latitude"], row["longitude"]) for row in rows} == {(43.0, 74.5), (-34.0, 151.0), (40.5, -70.5)}
    assert snapshot.manifest["public"]["policy_sha256"] and "0.5" not in json.dumps(snapshot.manifest["tables"])


MALFORMED = [
    (lambda doc: doc.update(publish_everything=True), "unknown key"),
    (lambda doc: doc["sources"]["open_wire"].update(publsh=True), "unknown key"),
    (lambda doc: doc["tables"]["dim_event"].update(rows="all"), "identity column"),
    (lambda doc: doc["tables"]["dim_actor"].update(rows="everything"), "must be one of"),
    (lambda doc: doc["monitoring_status"].update(allowed=["Active", None]), "list of statuses"),
]


def test_a_malformed_policy_publishes_nothing(hrdw_home, tmp_path, monkeypatch):
    policy = write_policy(tmp_path / "policy.yml")
    monkeypatch.setenv("HRDW_PUBLICATION_POLICY", str(policy))
    write_home(hrdw_home)
    first = publish(RUN_TIME)
    good = policy.read_text()
    root = hrdw_home / "snapshots"
    for change, message in MALFORMED:
        document = yaml.safe_load(good)
        change(document)
        policy.write_text(yaml.safe_dump(document))
        with pytest.raises(PolicyError, match=message):
            publish(RUN_TIME + dt.timedelta(days=1))
        assert (root / "LATEST").read_text().strip() == first.snapshot_id
        assert {path.name for path in root.iterdir() if not path.name.startswith(".")} == {
            "LATEST",
            first.snapshot_id,
            "latest",
        }
        assert not [path for path in root.iterdir() if path.name.endswith(".partial")]


def test_the_repository_policy_loads_and_withholds_unlisted_sources(hrdw_home, monkeypatch):
    """The committed config/publication_policy.yml is valid; the hand-made sources are not listed in it,
    so nothing of theirs is public (default deny)."""
    monkeypatch.delenv("HRDW_PUBLICATION_POLICY", raising=False)
    write_home(hrdw_home)
    snapshot = publish(RUN_TIME)
    assert snapshot.manifest["public"]["policy_file"] == "config/publication_policy.yml"
    assert snapshot.manifest["public"]["public_events"] == 0
    assert _rows(snapshot.public_path / "dim_event.parquet") == []
    assert _rows(snapshot.public_path / "dim_source.parquet") == []


def test_an_event_whose_sources_disagree_on_its_status_is_public_only_when_the_policy_allows(
    hrdw_home, tmp_path, monkeypatch
):
    policy = write_policy(tmp_path / "policy.yml")
    monkeypatch.setenv("HRDW_PUBLICATION_POLICY", str(policy))
    write_home(hrdw_home)
    first = publish(RUN_TIME)
    assert "ev_sentinel_status_conflict" not in {
        row["event_id"] for row in _rows(first.public_path / "dim_event.parquet")
    }

    document = yaml.safe_load(policy.read_text())
    document["monitoring_status"]["withhold_on_conflict"] = False
    policy.write_text(yaml.safe_dump(document, sort_keys=False))
    second = publish(RUN_TIME + dt.timedelta(days=1))
    public = {row["event_id"] for row in _rows(second.public_path / "dim_event.parquet")}
    assert public == PUBLIC_EVENTS | {"ev_sentinel_status_conflict"}


def test_each_source_is_publishable_only_with_both_yeses_and_the_manifest_says_why(published):
    """Issue 20, point 1: the source YAML's `publication.publish` and the policy's entry are two owners'
    yeses; the internal manifest says, per source, which is missing. The public manifest names no source."""
    manifest = json.loads((published.path / "manifest.json").read_text())
    decisions = manifest["public"]["sources"]
    assert {name for name, rule in decisions.items() if rule["publishable"]} == {"open_wire", "partner_sheet"}
    assert decisions["sentinel_secret_partner"]["why"] == "its source YAML says publication: {publish: false}"
    assert "not listed in policy.yml" in decisions["sentinel_unlisted_feed"]["why"]
    public_manifest = (published.public_path / "manifest.json").read_text()
    assert "sentinel_unlisted_feed" not in public_manifest and "open_wire" not in public_manifest
