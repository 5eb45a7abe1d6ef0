"""Credentials from Airflow connections: the one place a source's or a webhook's secret is read.

A source YAML only names its connection (``connection_id``); the secret stays in Airflow (its
metadata database, a secrets backend, or an ``AIRFLOW_CONN_<ID>`` variable) and is handed to the
connector in memory only.
"""

from __future__ import annotations


def connection_credentials(connection_id: str | None) -> tuple[str | None, dict[str, str]]:
    """(login, {"password": ...}) of an Airflow connection; (None, {}) without a connection id."""
    if not connection_id:
        return None, {}
    from airflow.sdk import Connection

    connection = Connection.get(connection_id)
    return connection.login, ({"password": connection.password} if connection.password else {})
