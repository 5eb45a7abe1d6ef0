"""DAG integrity: every DAG imports, has no cycle, documents triage, uses the one tag list,
sets retries, and does no work at import time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hrdw import settings
from hrdw.sources import load_specs
from orchestration.airflow_support import ALLOWED_TAGS

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_one_ingest_dag_per_source_plus_build_and_publish(dagbag):
    expected = {spec.dag_id for spec in load_specs(REPO / "sources")} | {"build_warehouse", "publish_snapshot"}
    assert set(dagbag.dag_ids) == expected


def test_no_cycles(dagbag):
    for dag in dagbag.dags.values():
        ordered = dag.topological_sort()
        assert len(ordered) == len(dag.tasks), dag.dag_id


def test_every_dag_documents_how_to_triage(dagbag):
    for dag in dagbag.dags.values():
        assert dag.doc_md and "Triage" in dag.doc_md, dag.dag_id


def test_tags_come_from_the_one_list(dagbag):
    for dag in dagbag.dags.values():
        assert dag.tags, dag.dag_id
        assert set(dag.tags) <= ALLOWED_TAGS, (dag.dag_id, set(dag.tags) - ALLOWED_TAGS)


def test_every_task_retries_and_has_a_failure_callback(dagbag):
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            assert task.retries >= 1, (dag.dag_id, task.task_id)
            assert task.on_failure_callback, (dag.dag_id, task.task_id)


def test_warehouse_writers_share_one_pool(dagbag):
    writers = {
        (dag.dag_id, task.task_id)
        for dag in dagbag.dags.values()
        for task in dag.tasks
        if task.task_id in {"load_raw", "dbt_build", "publish"}
    }
    assert len(writers) == len(load_specs(REPO / "sources")) + 2
    for dag_id, task_id in writers:
        assert dagbag.dags[dag_id].get_task(task_id).pool == settings.WAREHOUSE_POOL
    assert dagbag.dags["build_warehouse"].max_active_runs == 1


def test_the_build_waits_for_every_source_s_raw_asset_or_its_deadline(dagbag):
    """Issue 18, point 3: the night is ordered by data; the clock is only the deadline."""
    from orchestration.airflow_support import BUILD_DEADLINE_CRON, raw_asset_uri
    from orchestration.sync import _asset_uris

    schedule = dagbag.dags["build_warehouse"].timetable
    expected = {raw_asset_uri(spec.name) for spec in load_specs(REPO / "sources")}
    assert _asset_uris(schedule.asset_condition) == expected and type(schedule.asset_condition).__name__ == "AssetAll"
    assert (schedule.timetable.expression, str(schedule.timetable.timezone)) == (BUILD_DEADLINE_CRON, "UTC")
    for spec in load_specs(REPO / "sources"):
        outlets = {outlet.uri for outlet in dagbag.dags[spec.dag_id].get_task("load_raw").outlets}
        assert outlets == {raw_asset_uri(spec.name)}, spec.dag_id


def test_a_deployment_started_after_the_deadline_waits_for_the_next_one(dagbag, monkeypatch):
    """First started at 03:10 UTC, the deadline is tomorrow's 03:00, not a build at once with nothing
    landed (Airflow fires a missed cron trigger under 2.4 hours old by default: the scheduler test,
    run at 03:10, built twice)."""
    import datetime as dt

    from airflow.serialization.decoders import decode_timetable
    from airflow.serialization.encoders import encode_timetable
    from airflow.timetables import trigger

    # the timetable as the scheduler reads it: serialized by the DAG processor, then decoded
    deadline = decode_timetable(encode_timetable(dagbag.dags["build_warehouse"].timetable)).timetable
    monkeypatch.setattr(trigger, "utcnow", lambda: dt.datetime(2026, 12, 7, 3, 10, tzinfo=dt.UTC))
    assert deadline._calc_first_run() == dt.datetime(2026, 12, 8, 3, 0, tzinfo=dt.UTC)


def test_the_sync_runs_the_night_in_the_order_the_assets_give(dagbag):
    from orchestration.sync import night_order, producers_of

    order = night_order(dagbag.dags)
    ingests = sorted(spec.dag_id for spec in load_specs(REPO / "sources"))
    assert order == [*ingests, "build_warehouse", "publish_snapshot"]
    assert producers_of(dagbag.dags)["publish_snapshot"] == {"build_warehouse"}
    assert producers_of(dagbag.dags)["build_warehouse"] == set(ingests)


def dagbag_with_second_uwazi(tmp_path, monkeypatch, name: str):
    """The DAG folder parsed over a copy of the sources plus one more YAML file (the Uwazi source's, renamed)."""
    from airflow.dag_processing.dagbag import DagBag

    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    text = (sources / "uwazi_hrd_events.yml").read_text().replace("name: uwazi_hrd_events", f"name: {name}")
    (sources / f"{name}.yml").write_text(text)
    monkeypatch.setenv("HRDW_SOURCES_DIR", str(sources))
    return DagBag(dag_folder=str(REPO / "dags"))


def test_a_new_source_joins_the_night_without_code_changes(tmp_path, monkeypatch):
    """A new YAML file is waited for by the build, and the sync orders it before the build."""
    from orchestration.sync import night_order

    bag = dagbag_with_second_uwazi(tmp_path, monkeypatch, "aaa_uwazi")
    waited_for = bag.dags["build_warehouse"].timetable.asset_condition.objects
    assert "hrdw://raw/aaa_uwazi" in {asset.uri for asset in waited_for}
    order = night_order(bag.dags)
    assert order.index("ingest_aaa_uwazi") < order.index("build_warehouse") < order.index("publish_snapshot")


def test_parsing_does_no_work(tmp_path, monkeypatch):
    """Importing the DAG files must not touch the warehouse, landing or snapshots."""
    from airflow.dag_processing.dagbag import DagBag

    home = tmp_path / "home"
    monkeypatch.setenv("HRDW_HOME", str(home))
    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert bag.import_errors == {}
    assert not home.exists()


def test_a_new_yaml_file_is_a_new_dag_without_code_changes(tmp_path, monkeypatch):

    bag = dagbag_with_second_uwazi(tmp_path, monkeypatch, "uwazi_second")
    assert "ingest_uwazi_second" in bag.dag_ids
    assert "forms" in bag.dags["ingest_uwazi_second"].tags


def test_a_bad_source_file_fails_only_its_own_dag_and_keeps_no_token(tmp_path, monkeypatch):
    """Issue 15.3 and 15.9: a broken YAML is a failing DAG of its own (the others import), and a
    token in a source URL is not in any DAG's serialized form."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.serialization.serialized_objects import DagSerialization

    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    (sources / "partner_typo.yml").write_text(
        "name: partner_typo\nkind: spreadshet\ndescription: x\nlocation: {path: a.xlsx}\n"
    )
    (sources / "feed.yml").write_text(
        "name: feed\nkind: cpj_people_list\ndescription: x\n"
        "location: {url: 'https://feed.example.org/list?page={page}&api_key=tok-9f8e7d6c'}\n"
    )
    monkeypatch.setenv("HRDW_SOURCES_DIR", str(sources))
    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert bag.import_errors == {}
    assert {spec.dag_id for spec in load_specs(REPO / "sources")} | {"ingest_feed", "ingest_partner_typo"} <= set(
        bag.dag_ids
    )
    broken = bag.dags["ingest_partner_typo"]
    assert "partner_typo.yml" in broken.doc_md and "unknown source kind 'spreadshet'" in broken.doc_md
    assert "Triage" in broken.doc_md and set(broken.tags) <= ALLOWED_TAGS
    (check,) = broken.tasks
    assert check.retries == 0 and check.on_failure_callback  # retrying cannot fix a file; the alert goes out
    for dag in bag.dags.values():
        assert "tok-9f8e7d6c" not in str(DagSerialization.to_dict(dag)), dag.dag_id
    assert "api_key=REDACTED" in bag.dags["ingest_feed"].doc_md
