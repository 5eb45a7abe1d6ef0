"""docker-compose.yml cannot be started here (no Docker engine): check that it parses, that every
path it names exists in the repository, and that every command it runs is a real Airflow command."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

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
