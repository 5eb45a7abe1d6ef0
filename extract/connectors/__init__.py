"""Connector kinds: one module per kind; the module name is the ``kind`` in a source YAML.

A connector module provides ``land``, ``parse``, ``STAGING_MACRO`` and ``TAG``, and declares the
``options:`` keys a source of its kind may set in ``OPTIONS`` (name -> what it does). Every kind
also accepts ``COMMON_OPTIONS``; any other key is a mistake (a typo silently ignored would be a
setting the operator believes in) and is rejected when the YAML is read.
A module may also provide ``spec_problems(spec) -> list[str]``: what its kind cannot read in a
source YAML (each problem names the field); the YAML is then rejected when it is read.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

REQUIRED_ATTRIBUTES = ("land", "parse", "STAGING_MACRO", "TAG")

# Read by extract.ingest (the shrink guard) and by every staging macro.
COMMON_OPTIONS: dict[str, str] = {
    "shrink_guard_min_ratio": "refuse a run returning fewer records than this share of the last good run (0 disables)",
    "vocabulary": "key of the violation/perpetrator crosswalk seeds for this source's labels",
}
# Declared by the kinds whose staging macros read them.
VICTIM_SEPARATOR = {"victim_separator": "separator between several victims named in one record"}
MULTI_VALUE_SEPARATOR = {"multi_value_separator": "separator of multi-valued cells"}


class UnknownKindError(ValueError):
    pass


def available_kinds() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def connector_for(kind: str) -> ModuleType:
    if kind not in available_kinds():
        raise UnknownKindError(f"unknown source kind {kind!r}; available: {', '.join(available_kinds())}")
    module = importlib.import_module(f"{__name__}.{kind}")
    missing = [name for name in REQUIRED_ATTRIBUTES if not hasattr(module, name)]
    if missing:
        raise UnknownKindError(f"connector module {module.__name__} lacks {missing}")
    return module


def accepted_options(kind: str) -> dict[str, str]:
    """Every ``options:`` key a source of ``kind`` may set, with what it does."""
    return {**COMMON_OPTIONS, **getattr(connector_for(kind), "OPTIONS", {})}


def unknown_options(kind: str, options: dict) -> list[str]:
    """The keys of ``options`` that ``kind`` does not read, sorted."""
    accepted = accepted_options(kind)
    return sorted(key for key in options if key not in accepted)
