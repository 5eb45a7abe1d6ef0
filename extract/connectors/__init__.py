"""Connector kinds: one module per kind; the module name is the ``kind`` in a source YAML."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

REQUIRED_ATTRIBUTES = ("land", "parse", "STAGING_MACRO", "TAG")


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
