"""Environment for running Airflow on this project: set before ``airflow`` is imported.

Defaults keep everything inside ``HRDW_HOME`` (Airflow home, its SQLite metadata database and
logs), load no example DAGs, and keep parallelism small for 2-core machines. Values already set
in the environment win, so a deployment can override any of them.
"""

from __future__ import annotations

import os

from hrdw import settings


def configure() -> dict[str, str]:
    defaults = {
        "AIRFLOW_HOME": str(settings.home() / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__LOGGING__COLORED_CONSOLE_LOG": "False",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    return {key: os.environ[key] for key in defaults}
