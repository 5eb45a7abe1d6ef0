"""Shared test setup.

Airflow reads its configuration when first imported, so AIRFLOW_HOME is pointed at a private
temporary folder here, before any test module imports Airflow. Each test gets its own HRDW_HOME.
"""

from __future__ import annotations

import functools
import http.server
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_airflow_home = tempfile.mkdtemp(prefix="hrdw-test-airflow-")
os.environ["AIRFLOW_HOME"] = _airflow_home
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ.setdefault("HRDW_HOME", tempfile.mkdtemp(prefix="hrdw-test-home-"))


@pytest.fixture
def hrdw_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HRDW_HOME", str(home))
    return home


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


class ScriptedHandler(http.server.BaseHTTPRequestHandler):
    """Serves files from a folder; a script of (status, headers, body) can precede them per path."""

    root: Path
    script: dict[str, list[tuple[int, dict[str, str], bytes]]]
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        path = self.path.split("?", 1)[0]
        queued = self.script.get(path)
        if queued:
            status, headers, body = queued.pop(0)
        else:
            target = self.root / path.lstrip("/")
            if target.is_file():
                status, headers, body = 200, {"Content-Type": "application/json"}, target.read_bytes()
            else:
                status, headers, body = 404, {}, b"not found"
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[Callable[..., tuple[str, ScriptedHandler]]]:
    """Start a real local HTTP server on 127.0.0.1 serving a folder (and an optional fault script)."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(root: Path, script: dict | None = None) -> tuple[str, type[ScriptedHandler]]:
        handler = type("Handler", (ScriptedHandler,), {"root": root, "script": dict(script or {}), "requests": []})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", handler

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


FAST_HTTP = {"retry_backoff_seconds": 0.01, "min_request_interval_seconds": 0, "timeout_seconds": 2}


@pytest.fixture
def make_spec(tmp_path: Path):
    """Build a SourceSpec in code; HTTP sources get fast retries unless the test says otherwise."""
    from hrdw.sources import SourceSpec

    def build(**fields) -> SourceSpec:
        folder = tmp_path / "sources"
        folder.mkdir(exist_ok=True)
        fields.setdefault("description", "test source")
        if "url" in fields.get("location", {}):
            fields["options"] = {**FAST_HTTP, **fields.get("options", {})}
        return SourceSpec(**fields, yaml_path=folder / f"{fields['name']}.yml")

    return build


@pytest.fixture
def land_and_parse(hrdw_home: Path):
    """Land a source for the interval ending 2026-11-29 and parse the landed partition."""
    import datetime as dt

    from extract.connectors import connector_for
    from extract.ingest import land_source
    from hrdw import settings

    def run(spec, end: dt.datetime | None = None) -> tuple[dict, list]:
        end = end or dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
        manifest = land_source(spec, end - dt.timedelta(days=1), end)
        partition = settings.landing_dir() / spec.name / manifest["batch_id"]
        return manifest, list(connector_for(spec.kind).parse(spec, partition))

    return run
