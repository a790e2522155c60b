"""The regime: dated rules, thresholds and conditions, as data with a small evaluator.

The names below are imported from their modules on first use: `regime.dated` alone is light and
the CLI reads it at start-up; the rules need YAML."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exportguard.regime.advanced_computing import (
        AdvancedComputingRules,
        advanced_computing_rules,
    )
    from exportguard.regime.dated import EARLIEST_DATE, Citation, Period, parse_as_of

_MODULES = {
    "EARLIEST_DATE": "dated", "Citation": "dated", "Period": "dated", "parse_as_of": "dated",
    "AdvancedComputingRules": "advanced_computing",
    "advanced_computing_rules": "advanced_computing",
}

__all__ = [
    "EARLIEST_DATE",
    "AdvancedComputingRules",
    "Citation",
    "Period",
    "advanced_computing_rules",
    "parse_as_of",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'exportguard.regime' has no attribute '{name}'")
    value = getattr(import_module(f"exportguard.regime.{module}"), name)
    globals()[name] = value
    return value
