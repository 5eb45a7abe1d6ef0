"""Connector kinds: one module per kind; the module name is the ``kind`` in a source YAML.

A connector module provides ``land`` and ``parse`` and declares ``TAG``, ``OPTIONS`` and
optionally ``PRODUCES`` as literals (``hrdw.kinds`` reads them without importing the module, and
says what each means). A module may also provide ``spec_problems(spec) -> list[str]``: what its
kind cannot read in a source YAML (each problem names the field); ``checked`` runs it before a
source lands or loads, and ``make check-source`` reports it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from hrdw.kinds import UnknownKindError, require_kind
from hrdw.sources import SourceSpec

REQUIRED_ATTRIBUTES = ("land", "parse", "TAG")


def connector_for(kind: str) -> ModuleType:
    require_kind(kind)
    module = importlib.import_module(f"{__name__}.{kind}")
    missing = [name for name in REQUIRED_ATTRIBUTES if not hasattr(module, name)]
    if missing:
        raise UnknownKindError(f"connector module {module.__name__} lacks {missing}")
    return module


def spec_problems(spec: SourceSpec) -> list[str]:
    """What the connector of ``spec.kind`` says it cannot read in this YAML (its optional ``spec_problems``)."""
    check = getattr(connector_for(spec.kind), "spec_problems", None)
    return check(spec) if check else []


def checked(spec: SourceSpec) -> ModuleType:
    """The connector of ``spec``, after its own checks of the YAML (a ``ValueError`` naming the fields)."""
    problems = spec_problems(spec)
    if problems:
        raise ValueError(f"source {spec.name} ({spec.yaml_path or 'built in code'}): " + "; ".join(problems))
    return connector_for(spec.kind)
