"""docker-compose.yml cannot be started here (no Docker engine): check that it parses, that every
path it names exists in the repository, that every command it runs is a real Airflow command, and
its access rules: logins with the documented roles, the UI on 127.0.0.1 unless the operator opts
in, no start without the secrets (Compose's interpolation done in Python), private files."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from hrdw import settings

REPO = Path(__file__).resolve().parent.parent
AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
}


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def airflow_subcommands() -> dict[str, argparse.ArgumentParser]:
    from airflow.cli.cli_parser import get_parser

    parser = get_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def commands_of(service: dict) -> list[list[str]]:
    command = service["command"]
    if isinstance(command, list) and command[:2] == ["bash", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [shlex.split(command) if isinstance(command, str) else command]


def test_services_of_the_multi_process_deployment():
    services = compose()["services"]
    assert AIRFLOW_SERVICES | {"postgres"} <= set(services)
    for name in AIRFLOW_SERVICES:
        environment = services[name]["environment"]
        assert environment["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert environment["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")


def test_every_command_is_a_real_airflow_command():
    subcommands = airflow_subcommands()
    for name in AIRFLOW_SERVICES:
        for argv in commands_of(compose()["services"][name]):
            assert argv[0] == "airflow", (name, argv)
            assert argv[1] in subcommands, (name, argv)
            if len(argv) > 2 and not argv[2].startswith("-"):
                nested = next(
                    (a for a in subcommands[argv[1]]._actions if isinstance(a, argparse._SubParsersAction)), None
                )
                assert nested is not None and argv[2] in nested.choices, (name, argv)


def test_pool_created_at_init_is_the_one_the_dags_use():
    init = commands_of(compose()["services"]["airflow-init"])
    pools = [argv for argv in init if argv[1:3] == ["pools", "set"]]
    assert pools and pools[0][3] == settings.WAREHOUSE_POOL


def test_every_path_it_names_exists_in_the_repository():
    document = compose()
    service = document["services"]["airflow-scheduler"]
    build = service["build"]
    assert (REPO / build["context"] / build["dockerfile"]).is_file()
    assert ".:/opt/hrdw" in service["volumes"]
    for key in ("AIRFLOW__CORE__DAGS_FOLDER", "HRDW_SOURCES_DIR"):
        path = service["environment"][key]
        assert path.startswith("/opt/hrdw/")
        assert (REPO / path.removeprefix("/opt/hrdw/")).is_dir(), key
    dockerfile = (REPO / build["dockerfile"]).read_text()
    for copied in re.findall(r"^COPY\s+(\S+)", dockerfile, flags=re.MULTILINE):
        assert (REPO / copied).exists(), copied


def test_the_image_installs_the_same_pinned_lock_as_make():
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    makefile = (REPO / "Makefile").read_text()
    uv_pin = re.search(r"uv==([0-9.]+)", dockerfile).group(1)
    assert f"UV_VERSION := {uv_pin}" in makefile
    assert "-r /tmp/requirements.lock" in dockerfile
    assert "psycopg2-binary==" in (REPO / "requirements.lock").read_text()


# --- access: logins with roles, the UI on this machine only, no start without secrets -------------
#
# `docker compose config` cannot run here (no Docker engine); ``interpolate`` does what Compose does
# to the values of the file: ``${VAR}``, ``${VAR:-default}`` / ``${VAR-default}``, ``${VAR:?error}``
# / ``${VAR?error}`` (refuse to start), ``$$`` for a literal dollar.

SECRETS = {"POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "AIRFLOW_FERNET_KEY"}
# The documented UI users (README.md, docs/operations.md, deploy/env.example): name -> role.
DOCUMENTED_USERS = {"operator": "user", "analyst": "viewer"}
DOCUMENTED_USERS_SETTING = "operator:user,analyst:viewer"
SECRET_LOOKING_KEY = re.compile(r"(PASSWORD|SECRET|SECRET_KEY|FERNET_KEY|SQL_ALCHEMY_CONN)$")
_REFERENCE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(ValueError):
    """Compose refuses to start: a ``${VAR:?error}`` variable is unset (or empty)."""


def interpolate(value, env: dict[str, str]):
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        name, op = match["name"] or match["bare"], match["op"] or ""
        current = env.get(name)
        unset = current is None or (op.startswith(":") and current == "")
        if op.endswith("-"):
            return match["arg"] if unset else current
        if op.endswith("?"):
            if unset:
                raise MissingVariable(f"required variable {name} is missing a value: {match['arg']}")
            return current
        return current or ""

    return _REFERENCE.sub(replace, value)


def references(text: str) -> list[re.Match]:
    return [match for match in _REFERENCE.finditer(text) if not match["escaped"]]


def with_secrets(**extra: str) -> dict[str, str]:
    return {name: f"value-of-{name.lower()}" for name in SECRETS} | extra


def airflow_services(document: dict) -> dict[str, dict]:
    return {name: service for name, service in document["services"].items() if name in AIRFLOW_SERVICES}


def test_interpolation_does_what_compose_does():
    assert interpolate("${A:-x} ${B-y} $$C ${D}", {"A": "", "B": ""}) == "x  $C "
    assert interpolate("${A:?set A}", {"A": "1"}) == "1"
    with pytest.raises(MissingVariable, match="A is missing a value: set A"):
        interpolate("${A:?set A}", {"A": ""})


def test_no_one_is_an_administrator_without_logging_in():
    text = (REPO / "docker-compose.yml").read_text()
    settings_in_text = re.findall(r"SIMPLE_AUTH_MANAGER_ALL_ADMINS\W+(\S+)", text)
    assert settings_in_text and all(value.strip("\"'").lower() == "false" for value in settings_in_text)
    for name, service in airflow_services(interpolate(compose(), with_secrets())).items():
        environment = service["environment"]
        assert environment["AIRFLOW__CORE__AUTH_MANAGER"].endswith(".SimpleAuthManager"), name
        assert environment["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"].lower() == "false", name


def test_ui_users_are_the_documented_ones_with_the_least_roles_that_do_the_job(monkeypatch):
    from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
    from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager, SimpleAuthManagerRole

    document = compose()
    raw = document["services"]["airflow-apiserver"]["environment"]["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"]
    assert raw == "${HRDW_UI_USERS:-" + DOCUMENTED_USERS_SETTING + "}"
    environments = [
        service["environment"] for service in airflow_services(interpolate(document, with_secrets())).values()
    ]
    assert {env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] for env in environments} == {DOCUMENTED_USERS_SETTING}
    # Airflow's own parser and roles, so a misspelt role or a wrong separator fails here.
    monkeypatch.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", DOCUMENTED_USERS_SETTING)
    users = {user.username: user for user in SimpleAuthManager.get_users()}
    assert {name: user.role for name, user in users.items()} == DOCUMENTED_USERS
    assert all(user.role.upper() in SimpleAuthManagerRole.__members__ for user in users.values())
    manager = SimpleAuthManager()
    operator, analyst = users["operator"], users["analyst"]
    for method, entity in [("POST", DagAccessEntity.RUN), ("PUT", DagAccessEntity.TASK_INSTANCE)]:  # trigger, clear
        assert manager.is_authorized_dag(method=method, user=operator, access_entity=entity)
        assert not manager.is_authorized_dag(method=method, user=analyst, access_entity=entity)
    assert manager.is_authorized_dag(method="GET", user=analyst, access_entity=DagAccessEntity.TASK_LOGS)
    for user in (operator, analyst):  # connection secrets: neither reads them in the UI (the CLI manages them)
        assert not manager.is_authorized_connection(method="GET", user=user)
        assert not manager.is_authorized_variable(method="GET", user=user)
    # Passwords are generated into a file in the deployment's own volume, not in the mounted project.
    passwords_file = environments[0]["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    assert passwords_file.startswith(environments[0]["AIRFLOW_HOME"] + "/")
    assert "airflow-home:" + environments[0]["AIRFLOW_HOME"] in document["services"]["airflow-apiserver"]["volumes"]
    for doc in (REPO / "README.md", REPO / "docs" / "operations.md", REPO / "deploy" / "env.example"):
        assert DOCUMENTED_USERS_SETTING in doc.read_text(), doc


def published_ports(document: dict) -> list[tuple[str, str, str]]:
    """(host ip, host port, container port) of every published port; short syntax must name the ip."""
    ports = []
    for name, service in document["services"].items():
        for entry in service.get("ports", []):
            if isinstance(entry, dict):
                ports.append((entry.get("host_ip", ""), str(entry.get("published")), str(entry["target"])))
                continue
            parts = str(entry).rsplit(":", 2)
            assert len(parts) == 3, f"{name} publishes {entry!r} on every interface"
            ports.append(tuple(parts))
    return ports


def test_the_ui_is_published_on_this_machine_only_unless_the_operator_opts_in():
    document = compose()
    ports = published_ports(interpolate(document, with_secrets()))
    assert ports and all(host_ip == "127.0.0.1" for host_ip, _, _ in ports), ports
    assert [service for service, body in document["services"].items() if body.get("ports")] == ["airflow-apiserver"]
    assert document["services"]["airflow-apiserver"]["ports"] == ["${HRDW_UI_BIND:-127.0.0.1}:8080:8080"]
    assert published_ports(interpolate(document, with_secrets(HRDW_UI_BIND="0.0.0.0"))) == [("0.0.0.0", "8080", "8080")]


def test_every_secret_is_required_and_none_has_a_default():
    text = (REPO / "docker-compose.yml").read_text()
    for match in references(text):
        name = match["name"] or match["bare"]
        if name in SECRETS:
            assert match["op"] == ":?" and match["arg"].strip(), f"{match[0]}: a secret must use ${{{name}:?...}}"
        else:
            assert name in {"HRDW_UI_USERS", "HRDW_UI_BIND"}, f"{match[0]}: an unknown variable"
    assert {match["name"] for match in references(text)} >= SECRETS
    document = compose()
    secret_settings = []
    for service_name, service in document["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_LOOKING_KEY.search(key):
                used = {match["name"] for match in references(str(value)) if match["op"] == ":?"}
                assert used & SECRETS, f"{service_name} {key}={value!r} is not taken from a required secret"
                secret_settings.append(key)
    assert len(secret_settings) == 1 + 4 * len(AIRFLOW_SERVICES)  # Postgres's password; Airflow's four
    assert document["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    connection = document["services"]["airflow-scheduler"]["environment"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert re.fullmatch(
        r"postgresql\+psycopg2://airflow:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/airflow", connection
    )


def test_compose_refuses_to_start_until_every_secret_is_set():
    with pytest.raises(MissingVariable):
        interpolate(compose(), {})
    for missing in sorted(SECRETS):
        for value in (None, ""):
            env = with_secrets()
            if value is None:
                del env[missing]
            else:
                env[missing] = value
            with pytest.raises(MissingVariable, match=missing):
                interpolate(compose(), env)
    services = interpolate(compose(), with_secrets())["services"]
    environment = services["airflow-scheduler"]["environment"]
    assert environment["AIRFLOW__CORE__FERNET_KEY"] == "value-of-airflow_fernet_key"
    assert environment["AIRFLOW__API_AUTH__JWT_SECRET"] == "value-of-airflow_jwt_secret"
    assert environment["AIRFLOW__API__SECRET_KEY"] == "value-of-airflow_api_secret_key"
    assert ":value-of-postgres_password@" in environment["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "value-of-postgres_password"


def test_the_env_example_lists_every_secret_without_a_value():
    values: dict[str, str] = {}
    commented: dict[str, str] = {}
    for line in (REPO / "deploy" / "env.example").read_text().splitlines():
        if match := re.fullmatch(r"(#?)([A-Z_]+)=(.*)", line.strip()):
            (commented if match[1] else values)[match[2]] = match[3]
    assert values == dict.fromkeys(SECRETS, "")  # copied as it is, it refuses to start
    assert commented == {"HRDW_UI_USERS": DOCUMENTED_USERS_SETTING, "HRDW_UI_BIND": "127.0.0.1"}
    dockerignore = (REPO / ".dockerignore").read_text().split()
    assert ".env" in dockerignore and ".hrdw/" in dockerignore  # secrets and data stay out of the build


def test_every_process_of_the_deployment_creates_private_files():
    document = interpolate(compose(), with_secrets())
    for name, service in airflow_services(document).items():
        assert service["environment"]["AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FILE_PERMISSIONS"] == "0o600", name
        assert service["environment"]["AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FOLDER_PERMISSIONS"] == "0o700", name
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["/usr/local/bin/hrdw-entrypoint"]' in dockerfile
    assert "COPY deploy/entrypoint.sh /usr/local/bin/hrdw-entrypoint" in dockerfile
    # The entry point itself: the command it starts runs with umask 077.
    started = subprocess.run(
        ["sh", str(REPO / "deploy" / "entrypoint.sh"), "sh", "-c", "umask"], capture_output=True, text=True, check=True
    )
    assert started.stdout.strip() == "0077"
