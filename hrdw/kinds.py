"""What each connector kind declares, read from its module without importing it.

A connector module (``extract/connectors/<kind>.py``; the module name is the ``kind`` in a source
YAML) declares three literals at its top level:

- ``TAG``: the Airflow tag of its ingest DAGs (one of ``KIND_TAGS``);
- ``OPTIONS``: the ``options:`` keys a source of its kind may set (name -> what it does), written
  as a dict literal that may spread the shared groups below (``**HTTP_OPTIONS``);
- ``PRODUCES`` (optional): what its staging model holds, ``reports`` unless it says otherwise.

This module reads those literals from the module's source text (``ast``), so validating a source
YAML and parsing a DAG file import no connector code (no HTTP client, no xlsx reader), and the
declaration is still stated once, in the module that reads the options. Every kind also accepts
``COMMON_OPTIONS``; any other key is a mistake (a typo silently ignored would be a setting the
operator believes in) and is rejected when the YAML is read. The staging macro of a kind is
``hrdw_stage_<kind>`` (``staging_macro``).
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

from hrdw import settings

KIND_TAGS = ("cpj", "forms", "review", "spreadsheet")

# Read by extract.ingest (the shrink guard) and by every staging macro.
COMMON_OPTIONS: dict[str, str] = {
    "shrink_guard_min_ratio": "refuse a run returning fewer records than this share of the last good run (0 disables)",
    "vocabulary": "key of the violation/perpetrator crosswalk seeds for this source's labels",
}
# Shared groups a kind may spread into its OPTIONS.
HTTP_OPTIONS: dict[str, str] = {
    "retry_attempts": "attempts per request before the run fails (5xx, 429, timeouts)",
    "retry_backoff_seconds": "first wait between attempts; doubles each time (Retry-After wins)",
    "timeout_seconds": "per-request timeout",
    "min_request_interval_seconds": "politeness: least time between two requests",
    "user_agent": "User-Agent header sent",
}
VICTIM_SEPARATOR = {"victim_separator": "separator between several victims named in one record"}
MULTI_VALUE_SEPARATOR = {"multi_value_separator": "separator of multi-valued cells"}
SHARED_OPTION_GROUPS = {
    "HTTP_OPTIONS": HTTP_OPTIONS,
    "VICTIM_SEPARATOR": VICTIM_SEPARATOR,
    "MULTI_VALUE_SEPARATOR": MULTI_VALUE_SEPARATOR,
}


class UnknownKindError(ValueError):
    pass


@dataclass(frozen=True)
class KindDeclaration:
    kind: str
    tag: str
    options: dict[str, str]
    produces: str


def connectors_dir() -> Path:
    return settings.REPO_ROOT / "extract" / "connectors"


def available_kinds() -> list[str]:
    return sorted(path.stem for path in connectors_dir().glob("*.py") if not path.stem.startswith("_"))


def staging_macro(kind: str) -> str:
    return f"hrdw_stage_{kind}"


def _literal(kind: str, name: str, node: ast.expr) -> object:
    """A literal value; in a dict, ``**GROUP`` spreads one of the shared option groups."""
    if isinstance(node, ast.Dict):
        value: dict = {}
        for key, item in zip(node.keys, node.values, strict=True):
            if key is None:  # **GROUP
                if not (isinstance(item, ast.Name) and item.id in SHARED_OPTION_GROUPS):
                    raise UnknownKindError(
                        f"connector {kind}: {name} may only spread {', '.join(SHARED_OPTION_GROUPS)} "
                        f"(found **{ast.unparse(item)})"
                    )
                value.update(SHARED_OPTION_GROUPS[item.id])
            else:
                value[_literal(kind, name, key)] = _literal(kind, name, item)
        return value
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise UnknownKindError(f"connector {kind}: {name} must be a literal (found {ast.unparse(node)})") from None


@functools.cache
def _declared(kind: str, source: str) -> KindDeclaration:
    found: dict[str, object] = {}
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
            target, value = statement.target.id, statement.value
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = getattr(statement.targets[0], "id", ""), statement.value
        else:
            continue
        if target in ("TAG", "OPTIONS", "PRODUCES"):
            found[target] = _literal(kind, target, value)
    tag = found.get("TAG")
    if tag not in KIND_TAGS:
        raise UnknownKindError(f"connector {kind}: TAG must be one of {', '.join(KIND_TAGS)} (found {tag!r})")
    return KindDeclaration(kind, tag, {**COMMON_OPTIONS, **found.get("OPTIONS", {})}, found.get("PRODUCES", "reports"))


def require_kind(kind: str) -> None:
    """``UnknownKindError`` naming the available kinds when ``kind`` has no connector module."""
    if kind not in available_kinds():
        raise UnknownKindError(f"unknown source kind {kind!r}; available: {', '.join(available_kinds())}")


def declared(kind: str) -> KindDeclaration:
    """What connector ``kind`` declares; ``UnknownKindError`` when there is no such kind."""
    require_kind(kind)
    return _declared(kind, (connectors_dir() / f"{kind}.py").read_text(encoding="utf-8"))


def accepted_options(kind: str) -> dict[str, str]:
    """Every ``options:`` key a source of ``kind`` may set, with what it does."""
    return declared(kind).options


def unknown_options(kind: str, options: dict) -> list[str]:
    """The keys of ``options`` that ``kind`` does not read, sorted."""
    accepted = accepted_options(kind)
    return sorted(key for key in options if key not in accepted)
