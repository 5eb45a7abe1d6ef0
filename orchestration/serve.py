"""The scheduler deployment on one machine, without Docker: what ``make airflow`` runs.

    python -m orchestration.serve [--port 8080]      # Ctrl-C stops every process it started

Prepares, then starts and watches Airflow's four long-running processes with the LocalExecutor:

- the metadata database: SQLite in ``HRDW_HOME/airflow`` unless ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN``
  names another (PostgreSQL for a long-lived installation), migrated;
- the one-slot ``hrdw_warehouse_writer`` pool (DuckDB allows one writer);
- the Airflow connections the sources name: each is checked and a missing one is named (credentials
  are never invented; add them with ``airflow connections add`` or ``AIRFLOW_CONN_<ID>``);
- the secrets Airflow's processes must share (JWT signing key, API secret key, Fernet key):
  generated once into ``HRDW_HOME/airflow/deployment-secrets.json`` (private to this user) unless
  set in the environment;
- the api-server (UI and the tasks' execution API) on 127.0.0.1 only (``HRDW_UI_BIND`` opts in to
  another address), with a login: users ``operator`` (role user) and ``analyst`` (viewer), whose
  generated passwords Airflow writes to ``HRDW_HOME/airflow/simple_auth_manager_passwords.json.generated``;
- the scheduler, the DAG processor and the triggerer, sized for two cores.

Each process logs to ``HRDW_HOME/logs/airflow/<process>.log``. If one of them exits, the others
are stopped too and the exit code says so: a half-running deployment is worse than a stopped one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hrdw import privacy, settings
from orchestration import airflow_env

PROCESSES = ("api-server", "scheduler", "dag-processor", "triggerer")
STOP_GRACE_SECONDS = 30.0
READY_TIMEOUT_SECONDS = 180.0


@dataclass
class Started:
    name: str
    process: subprocess.Popen
    log_path: Path


def _secrets_file() -> Path:
    return Path(os.environ["AIRFLOW_HOME"]) / "deployment-secrets.json"


def shared_secrets() -> dict[str, str]:
    """The secrets every Airflow process of this deployment must agree on, made once and kept private."""
    from cryptography.fernet import Fernet

    path = _secrets_file()
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    wanted = {
        "AIRFLOW__API_AUTH__JWT_SECRET": lambda: secrets.token_urlsafe(48),
        "AIRFLOW__API__SECRET_KEY": lambda: secrets.token_urlsafe(48),
        "AIRFLOW__CORE__FERNET_KEY": lambda: Fernet.generate_key().decode(),
    }
    missing = {key: make() for key, make in wanted.items() if key not in stored}
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        stored.update(missing)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
            json.dump(stored, handle)
    return {key: os.environ.get(key) or stored[key] for key in wanted}


def deployment_env(host: str, port: int) -> dict[str, str]:
    """Environment of every process: the project's Airflow defaults, the LocalExecutor, the shared secrets."""
    defaults = {
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "2",  # two cores; the writer pool lets one writer at a time anyway
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API__HOST": host,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": os.environ.get("HRDW_UI_USERS", "operator:user,analyst:viewer"),
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    airflow_env.configure()  # after ours: its parallelism default is for the one-process sync
    for key, value in shared_secrets().items():
        os.environ.setdefault(key, value)
    return dict(os.environ)


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise SystemExit(f"hrd-warehouse airflow: {host}:{port} is in use ({error}); pass --port") from None


def missing_connections() -> list[str]:
    """``source <name>: connection <id> is not defined`` for each connection a source names that Airflow lacks."""
    from airflow.exceptions import AirflowNotFoundException
    from airflow.models.connection import Connection

    from hrdw.sources import scan_specs

    wanted = {spec.connection_id: f"source {spec.name}" for spec in scan_specs()[0] if spec.connection_id}
    if settings.publish_conn_id():
        wanted[settings.publish_conn_id()] = "the publish target (HRDW_PUBLISH_CONN_ID)"
    problems = []
    for conn_id, user in sorted(wanted.items()):
        try:
            Connection.get_connection_from_secrets(conn_id)
        except AirflowNotFoundException:
            problems.append(f"{user}: Airflow connection {conn_id!r} is not defined")
    return problems


def prepare(log_dir: Path) -> list[str]:
    """Migrate the metadata database, create the pool; returns the missing connections."""
    from orchestration.sync import prepare_airflow

    prepare_airflow(log_dir / "prepare.log")
    return missing_connections()


def start(name: str, env: dict[str, str], log_dir: Path) -> Started:
    log_path = log_dir / f"{name}.log"
    handle = log_path.open("ab")
    # Task logs are files on this machine, which the api-server reads itself: the scheduler's and
    # triggerer's log servers would only listen on every interface (they have no host setting).
    serves_logs = name in {"scheduler", "triggerer"}
    command = [sys.executable, "-m", "airflow", name, *(["--skip-serve-logs"] if serves_logs else [])]
    # its own session: the terminal's Ctrl-C reaches this launcher, which stops each process group in turn
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    handle.close()
    return Started(name, process, log_path)


def stop_all(started: list[Started]) -> None:
    """SIGTERM every process group (a process and the workers it forked), then SIGKILL what is left."""
    for item in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(item.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for item in started:
        with contextlib.suppress(subprocess.TimeoutExpired):
            item.process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for item in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(item.process.pid, signal.SIGKILL)  # the group may outlive its leader
        item.process.wait()


def wait_ready(port: int, started: list[Started]) -> None:
    url = f"http://127.0.0.1:{port}/api/v2/monitor/health"
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        exited = [item for item in started if item.process.poll() is not None]
        if exited:
            raise RuntimeError(f"{exited[0].name} exited with {exited[0].process.returncode}; see {exited[0].log_path}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"the api-server did not answer {url} within {READY_TIMEOUT_SECONDS:.0f} s")


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT (Ctrl-C) and SIGTERM end the watch loop as KeyboardInterrupt, so every process is stopped
    (set explicitly: a launcher started in the background inherits SIGINT ignored)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("HRDW_UI_PORT", "8080")))
    args = parser.parse_args(argv)
    host = os.environ.get("HRDW_UI_BIND", "127.0.0.1")
    check_port_free(host, args.port)
    env = deployment_env(host, args.port)
    log_dir = settings.home() / "logs" / "airflow"
    log_dir.mkdir(parents=True, exist_ok=True)
    privacy.make_private()
    print(f"hrd-warehouse airflow: sources {settings.sources_dir()} -> {settings.home()}", flush=True)
    print(f"  preparing the metadata database and the pool (log: {log_dir / 'prepare.log'}) ...", flush=True)
    for problem in prepare(log_dir):
        print(f"  warning: {problem}: its ingest will fail until it is added", flush=True)
    started: list[Started] = []
    with stop_on_signals():
        try:
            for name in PROCESSES:
                started.append(start(name, env, log_dir))
            wait_ready(args.port, started)
            passwords = Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
            print(f"  Airflow UI: http://{host}:{args.port}  (passwords: {passwords})", flush=True)
            print(f"  processes: {', '.join(f'{i.name} (pid {i.process.pid})' for i in started)}", flush=True)
            print(f"  logs: {log_dir}; Ctrl-C stops them all", flush=True)
            while True:
                exited = [item for item in started if item.process.poll() is not None]
                if exited:
                    item = exited[0]
                    print(f"hrd-warehouse airflow: {item.name} exited ({item.process.returncode}); see {item.log_path}")
                    return 1
                time.sleep(1)
        except KeyboardInterrupt:
            print("\nhrd-warehouse airflow: stopping ...", flush=True)
            return 0
        except RuntimeError as error:
            print(f"hrd-warehouse airflow: {error}", file=sys.stderr)
            return 1
        finally:
            stop_all(started)
            print("hrd-warehouse airflow: every process it started has stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
