"""exportguard: export-control compliance engine for AI hardware and the companies that buy it.

The library's verbs are the CLI's verbs:

    >>> from exportguard import Store, current_screener, load_file
    >>> store = Store()                                   # SQLite in the user's data directory
    >>> current_screener(store).screen("商汤科技").matches[0].entry.name
    'Beijing SenseTime Technology Development Co., Ltd.'
    >>> from exportguard import classify
    >>> classify("H800", "2023-11-17").paragraph
    '3A090.a.1'
"""

from importlib import import_module
from typing import Any

# Attributes are imported on first use so that `import exportguard` (and with it every
# `exportguard.x` submodule import, the CLI's included) costs nothing beyond the submodule asked
# for: the list parsers, the store and the matcher have heavy dependencies.
_LAZY = {
    "DEFAULT_THRESHOLD": "exportguard.screening",
    "Classification": "exportguard.items",
    "ExportGuardError": "exportguard.errors",
    "InputError": "exportguard.errors",
    "ListEntry": "exportguard.model",
    "ListFileError": "exportguard.errors",
    "Match": "exportguard.screening",
    "NameComparison": "exportguard.screening.pairs",
    "ScreenResult": "exportguard.screening",
    "Screener": "exportguard.screening",
    "Snapshot": "exportguard.model",
    "Store": "exportguard.store",
    "StoreError": "exportguard.errors",
    "catalog": "exportguard.items",
    "classify": "exportguard.items",
    "compare_names": "exportguard.screening.pairs",
    "current_screener": "exportguard.screening.loaded",
    "load_file": "exportguard.lists.loader",
    "spec": "exportguard.items",
    "throughput": "exportguard.items",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'exportguard' has no attribute '{name}'")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "DEFAULT_THRESHOLD",
    "Classification",
    "ExportGuardError",
    "InputError",
    "ListEntry",
    "ListFileError",
    "Match",
    "NameComparison",
    "ScreenResult",
    "Screener",
    "Snapshot",
    "Store",
    "StoreError",
    "catalog",
    "classify",
    "compare_names",
    "current_screener",
    "load_file",
    "spec",
    "throughput",
]
