"""Shared test setup.

Airflow reads its configuration when first imported, so AIRFLOW_HOME is pointed at a private
temporary folder here, before any test module imports Airflow. Each test gets its own HRDW_HOME.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long modules first (end-to-end runs, and those marked `slow`: whole-project dbt or
    sqlfluff), so that `make test`'s parallel workers (pytest-xdist, one file each at a time)
    finish together instead of one waiting out the last long file alone."""
    items.sort(key=lambda item: 0 if item.get_closest_marker("e2e") or item.get_closest_marker("slow") else 1)


def sync_env(home: Path, sources: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for a real `python -m orchestration.sync` run: this process's, without the test
    session's Airflow and HRDW settings, pointed at `home` (and `sources`), plus `extra`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AIRFLOW", "HRDW_"))}
    env["HRDW_HOME"] = str(home)
    # dbt's documentation site costs about 5 s a build: on where a test reads it (test_e2e's demo
    # night), off elsewhere, as an operator may set it
    env["HRDW_DOCS_SITE"] = "0"
    if sources:
        env["HRDW_SOURCES_DIR"] = str(sources)
    env.update(extra)
    return env


def run_sync(env: dict[str, str], date: str = "2026-11-29") -> subprocess.CompletedProcess:
    """The nightly sync for `date`, run as operators run it: a subprocess, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "orchestration.sync", "--date", date],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture
def hrdw_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HRDW_HOME", str(home))
    return home


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


class ScriptedHandler(http.server.BaseHTTPRequestHandler):
    """Serves files from a folder; a script of responses can precede them per path.

    Script entries are ``(status, headers, body)`` or ``(status, headers, body, delay_seconds)``;
    a delay longer than the client's timeout simulates a hung server. Paths are matched without
    the query string; ``requests`` records every full path asked for, and ``headers`` the request
    headers, in order.
    """

    root: Path
    script: dict[str, list[tuple[int, dict[str, str], bytes]]]
    requests: list[str]
    headers_seen: list[dict[str, str]]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.headers_seen.append(dict(self.headers.items()))
        path = self.path.split("?", 1)[0]
        queued = self.script.get(path)
        if queued:
            status, headers, body, *delay = queued.pop(0)
            if delay:
                time.sleep(delay[0])
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
        attributes = {
            "root": root,
            "script": {path: list(entries) for path, entries in (script or {}).items()},
            "requests": [],
            "headers_seen": [],
        }
        handler = type("Handler", (ScriptedHandler,), attributes)
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


@pytest.fixture
def build_warehouse(hrdw_home: Path):
    """Load sources' landed batches into a fresh warehouse and run the real ``dbt build`` on them.

    ``build_warehouse(specs)`` lands (interval ending 2026-11-29) and loads every spec, generates
    the dbt working copy for exactly these sources, runs ``dbt build`` and returns a read-only
    DuckDB connection to the result. dbt failures fail the test with dbt's own output.
    ``data_tests=False`` builds without the data tests (for tests of ids: every demo night runs
    them all). ``select`` narrows the build to what a test reads (``"+int_report_violations"``
    for staging and the conformed reports and violations: matching and the marts take most of a
    build's time).
    """
    import datetime as dt

    import duckdb

    from extract.ingest import land_source, load_source
    from hrdw import settings
    from orchestration import dbt

    def run(specs: list, select: str | None = None, data_tests: bool = True) -> duckdb.DuckDBPyConnection:
        end = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
        for spec in specs:
            manifest = land_source(spec, end - dt.timedelta(days=1), end)
            load_source(spec, manifest["batch_id"])
        project = dbt.prepare_work_dir(specs)
        # every seed too (relationship tests read them); a test runs when all it reads is built
        selection = ["--select", select, "resource_type:seed", "--indirect-selection", "cautious"] if select else []
        # dbt's unit tests run in test_e2e
        excluded = ["unit_test"] if data_tests else ["unit_test", "test"]
        result = dbt.run_dbt(project, ["build", *selection, "--exclude-resource-type", *excluded])
        assert result.ok, "\n".join(result.failures) + "\n" + result.output_tail
        return duckdb.connect(str(settings.warehouse_path()), read_only=True)

    return run


CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # as root in CI; the page is our own file
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no call home: the page must load with no network at all
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1100,1400",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """A real headless Chromium driven by Selenium: Debian's chromium and chromium-driver, which
    `make test` installs when missing (scripts/install-browser.sh), or HRDW_CHROMIUM / HRDW_CHROMEDRIVER."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = os.environ.get("HRDW_CHROMIUM", "/usr/bin/chromium")
    chromedriver = os.environ.get("HRDW_CHROMEDRIVER", "/usr/bin/chromedriver")
    missing = [path for path in (chromium, chromedriver) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail(f"no browser for the report test: {missing} not found; run scripts/install-browser.sh")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a driver or a browser
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingOptions", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    try:
        yield driver
    finally:
        driver.quit()
