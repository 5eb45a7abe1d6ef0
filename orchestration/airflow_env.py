"""Environment for running Airflow on this project: set before ``airflow`` is imported.

Defaults keep everything inside ``HRDW_HOME`` (Airflow home, its SQLite metadata database and
logs), load no example DAGs, and keep parallelism small for 2-core machines. Values already set
in the environment win, so a deployment can override any of them.

Files are private to the service user: the process umask keeps group and others out and
``HRDW_HOME`` is ``0700`` (:func:`hrdw.privacy.make_private`); Airflow's task log files and
folders are created ``0600`` / ``0700`` (Airflow's defaults are group-writable ``0664`` / ``0775``).
"""

from __future__ import annotations

import os

from hrdw import privacy, settings


def configure() -> dict[str, str]:
    privacy.make_private()
    defaults = {
        "AIRFLOW_HOME": str(settings.home() / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__LOGGING__COLORED_CONSOLE_LOG": "False",
        "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FOLDER_PERMISSIONS": "0o700",
        "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FILE_PERMISSIONS": "0o600",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    return {key: os.environ[key] for key in defaults}
