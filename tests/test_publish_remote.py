"""Publishing to object storage: a local S3-compatible server (moto), credentials from an Airflow
connection given as an AIRFLOW_CONN_* environment variable, through Airflow's ObjectStoragePath."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer
from test_publish_marts import scenario, write_home, write_policy

from publish.snapshot import publish

RUN_TIME = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
BUCKET = "hrdw-snapshots"
PREFIX = "nightly/demo"
KEY_ID = "AKIAHRDWTESTKEY00001"
SECRET = "hrdw-test-secret-value-7d1f9c2b"


@pytest.fixture
def s3(hrdw_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """A moto S3 server on 127.0.0.1, a bucket, and the publish target configured through the environment."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    connection = {
        "conn_type": "aws",
        "login": KEY_ID,
        "password": SECRET,
        "extra": {"endpoint_url": endpoint, "region_name": "us-east-1"},
    }
    # Airflow caches one filesystem per connection id and process: a new id for each server.
    conn_id = f"hrdw_test_s3_{port}"
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(connection))
    monkeypatch.setenv("HRDW_PUBLISH_TARGET", f"s3://{BUCKET}/{PREFIX}")
    monkeypatch.setenv("HRDW_PUBLISH_CONN_ID", conn_id)
    monkeypatch.setenv("HRDW_PUBLICATION_POLICY", str(write_policy(tmp_path / "policy.yml")))
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET, region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    write_home(hrdw_home)
    yield client
    server.stop()


def objects(client) -> dict[str, bytes]:
    """Every object under the prefix, by key relative to it."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PREFIX + "/"):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            found[item["Key"][len(PREFIX) + 1 :]] = body
    return found


def local_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_snapshot_is_uploaded_whole_then_latest_and_the_secret_stays_out(s3):
    snapshot = publish(RUN_TIME)
    remote = objects(s3)
    assert remote.pop("LATEST").decode().strip() == snapshot.snapshot_id
    expected = {f"{snapshot.snapshot_id}/{name}": data for name, data in local_files(snapshot.path).items()}
    assert {key: hashlib.sha256(data).hexdigest() for key, data in remote.items()} == {
        key: hashlib.sha256(data).hexdigest() for key, data in expected.items()
    }
    assert f"{snapshot.snapshot_id}/public/dim_event.parquet" in remote
    manifest = json.loads(remote[f"{snapshot.snapshot_id}/manifest.json"])
    assert manifest["publish_target"]["url"] == f"s3://{BUCKET}/{PREFIX}"
    assert manifest["publish_target"]["conn_id"].startswith("hrdw_test_s3_")
    for key, data in remote.items():
        assert SECRET.encode() not in data, key


def test_an_interrupted_upload_leaves_remote_latest_on_the_previous_snapshot(s3, hrdw_home, monkeypatch):
    first = publish(RUN_TIME)
    rows = scenario()
    rows["dim_event"][0]["title"] = "changed, so the next snapshot differs"
    write_home(hrdw_home, rows)
    real_copy = shutil.copyfileobj
    uploads = []

    def connection_lost_after_three_files(source, sink, *args, **kwargs):
        name = str(getattr(source, "name", ""))
        if not name.startswith(str(hrdw_home / "snapshots")) or ".partial" in name:
            return real_copy(source, sink, *args, **kwargs)  # not an upload (e.g. writing an XLSX archive)
        if len(uploads) == 3:
            raise ConnectionError("connection reset (injected)")
        uploads.append(sink)
        return real_copy(source, sink, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfileobj", connection_lost_after_three_files)
    with pytest.raises(ConnectionError, match="injected"):
        publish(RUN_TIME + dt.timedelta(days=1))
    monkeypatch.setattr(shutil, "copyfileobj", real_copy)
    remote = objects(s3)
    assert remote["LATEST"].decode().strip() == first.snapshot_id
    second_id = (hrdw_home / "snapshots" / "LATEST").read_text().strip()
    assert second_id != first.snapshot_id
    assert f"{second_id}/manifest.json" not in remote  # incomplete: the manifest goes last

    # The retry (Airflow clears the task) rebuilds the same snapshot and completes the upload;
    # with retention 1 the older snapshot goes, here and remotely.
    monkeypatch.setenv("HRDW_SNAPSHOT_RETENTION", "1")
    local_manifest = (hrdw_home / "snapshots" / second_id / "manifest.json").read_bytes()
    retried = publish(RUN_TIME + dt.timedelta(days=1))
    assert retried.snapshot_id == second_id
    assert (retried.path / "manifest.json").read_bytes() == local_manifest  # the complete snapshot is kept as is
    remote = objects(s3)
    assert remote["LATEST"].decode().strip() == second_id
    assert {key.split("/")[0] for key in remote} == {"LATEST", second_id}
    assert set(local_files(retried.path)) == {key.split("/", 1)[1] for key in remote if key != "LATEST"}
