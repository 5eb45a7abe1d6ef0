"""Files under ``HRDW_HOME`` are private to the service user.

Landing files, ``warehouse.duckdb``, dbt's logs, Airflow's logs and the snapshots hold the names
of people at risk. :func:`make_private` sets the process umask to ``0o077`` (new files ``0600``,
new folders ``0700``; subprocesses such as dbt inherit it) and makes ``HRDW_HOME`` itself
``0700``, which also closes whatever older versions left readable inside it.

The umask belongs to a process, and under a real scheduler every task runs in a process of its
own, so every task that writes calls this first: ``land`` and ``load_raw`` (``extract.ingest``),
``dbt_build``, ``publish`` (``publish.snapshot``), the failure callback that records alerts, and
:func:`orchestration.airflow_env.configure` for ``make run``. It only ever tightens: bits an operator's
stricter umask already removes stay removed.

The public variant of a snapshot is private too: it sits inside the private home. Publish it
by copying it out (or through ``HRDW_PUBLISH_TARGET``).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from hrdw import settings

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700


def make_private() -> Path:
    """Set this process's umask to keep group and others out, and make ``HRDW_HOME`` ``0700``; returns the home."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)
    home = settings.home()
    home.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    mode = stat.S_IMODE(home.stat().st_mode)
    if mode & ~PRIVATE_DIR_MODE:
        try:
            home.chmod(PRIVATE_DIR_MODE)
        except PermissionError:  # not ours to change (e.g. a folder an administrator set up for a group)
            log.warning("HRDW_HOME %s has mode %o and this user may not change it (new files stay private)", home, mode)
    return home
