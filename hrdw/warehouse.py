"""Opening the DuckDB warehouse file, one writer at a time.

DuckDB allows one writing process per file. Two mechanisms keep writers apart:

- Airflow's ``hrdw_warehouse_writer`` pool (one slot) serialises the writing tasks the scheduler
  starts (``load_raw``, ``dbt_build``, ``publish``);
- the **writer lock** here, an exclusive ``flock`` on ``warehouse.lock`` next to the warehouse
  file, serialises every writer on this machine, including those the pool never sees:
  ``DAG.test()`` (``make run``, which ignores pools), ``python -m orchestration.replay``, an analyst's
  read-write session opened with :func:`connect`. ``connect()`` takes it for read-write
  connections and releases it on ``close()``; ``dbt_build`` holds it around ``dbt build``
  (:func:`writer_lock`). A waiting writer logs ``waiting for the warehouse writer lock held by
  pid N`` (again whenever the holder changes, and every minute), then proceeds when the lock frees.
  The kernel drops a ``flock`` when its process dies, so a crashed writer never leaves it stuck.

Read-only connections take no lock; if a writer has the file open, DuckDB refuses them and
:func:`connect` retries for ``wait_seconds``.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from hrdw import settings

log = logging.getLogger(__name__)
POLL_SECONDS = 0.2
REPORT_EVERY_SECONDS = 60.0

# Locks this process holds: lock file -> [owning pid, file descriptor, depth]. Re-entrant within a
# process (a replay inside a held lock, tests opening several connections); the pid guards against
# a forked child believing it holds its parent's lock.
_held: dict[Path, list[int]] = {}
_guard = threading.Lock()


def lock_path(path: Path | None = None) -> Path:
    """The writer lock file of a warehouse file: ``warehouse.lock`` next to ``warehouse.duckdb``."""
    return (path or settings.warehouse_path()).with_suffix(".lock")


def lock_holder(path: Path | None = None) -> str:
    """Who holds (or last held) the writer lock, as written in the lock file; empty when free."""
    try:
        return lock_path(path).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _holder_of(fd: int) -> str:
    try:
        text = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "another process (starting up)"


def _acquire(lock: Path, purpose: str) -> None:
    with _guard:
        entry = _held.get(lock)
        if entry and entry[0] == os.getpid():
            entry[2] += 1
            return
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    announced, started, last_report = "", time.monotonic(), time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder_of(fd)
                now = time.monotonic()
                if holder != announced or now - last_report >= REPORT_EVERY_SECONDS:
                    log.warning(
                        "waiting for the warehouse writer lock held by %s (%s; waiting %.0fs so far)",
                        holder,
                        lock,
                        now - started,
                    )
                    announced, last_report = holder, now
                time.sleep(POLL_SECONDS)
    except BaseException:
        os.close(fd)
        raise
    if announced:
        log.warning("acquired the warehouse writer lock after waiting %.1fs", time.monotonic() - started)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}: {purpose}\n".encode(), 0)
    with _guard:
        _held[lock] = [os.getpid(), fd, 1]


def _release(lock: Path) -> None:
    with _guard:
        entry = _held.get(lock)
        if not entry or entry[0] != os.getpid():
            return
        entry[2] -= 1
        if entry[2] > 0:
            return
        del _held[lock]
    fd = entry[1]
    try:
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _default_purpose() -> str:
    """What the writer is: the Airflow task when run by Airflow, else the command line."""
    dag_id, task_id = os.environ.get("AIRFLOW_CTX_DAG_ID"), os.environ.get("AIRFLOW_CTX_TASK_ID")
    if dag_id and task_id:
        return f"Airflow task {dag_id}.{task_id}"
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:3]]) if sys.argv and sys.argv[0] else "python"


@contextlib.contextmanager
def writer_lock(path: Path | None = None, *, purpose: str | None = None) -> Iterator[Path]:
    """Hold the warehouse writer lock for the block (waiting, with a log line, while another process has it)."""
    lock = lock_path(path)
    _acquire(lock, purpose or _default_purpose())
    try:
        yield lock
    finally:
        _release(lock)


class WriterConnection:
    """A read-write DuckDB connection that holds the writer lock until ``close()``.

    Everything else is the DuckDB connection's own API (attribute access is delegated).
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection, lock: Path) -> None:
        self._connection = connection
        self._lock: Path | None = lock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def close(self) -> None:
        try:
            self._connection.close()
        finally:
            lock, self._lock = self._lock, None
            if lock is not None:
                _release(lock)

    def __enter__(self) -> WriterConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        lock, self._lock = getattr(self, "_lock", None), None
        if lock is not None:
            with contextlib.suppress(Exception):
                _release(lock)


def _open(target: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(target), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def connect(path: Path | None = None, *, read_only: bool = False, wait_seconds: float = 60.0) -> Any:
    """A DuckDB connection to the warehouse; read-write connections hold the writer lock until closed.

    ``wait_seconds`` bounds the wait for DuckDB's own file lock (a process outside this
    convention, e.g. the DuckDB CLI, holding the file); the writer lock is waited for as long as
    it takes, with a log line naming the holder.
    """
    target = path or settings.warehouse_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    if read_only:
        return _open(target, True, wait_seconds)
    lock = lock_path(target)
    _acquire(lock, _default_purpose())
    try:
        connection = _open(target, False, wait_seconds)
    except BaseException:
        _release(lock)
        raise
    return WriterConnection(connection, lock)


def read_built(sql: str, path: Path | None = None) -> list[tuple]:
    """The rows of one read-only query of the built warehouse, for the run summary's listings;
    none when the warehouse was never built or lacks the queried model (an older build)."""
    target = path or settings.warehouse_path()
    if not target.exists():
        return []
    con = connect(target, read_only=True)
    try:
        return con.execute(sql).fetchall()
    except Exception:  # never fail the summary: an older warehouse without the model lists nothing
        return []
    finally:
        con.close()
