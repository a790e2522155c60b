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

from exportguard.errors import ExportGuardError, InputError, ListFileError, StoreError
from exportguard.items import Classification, catalog, classify, spec, throughput
from exportguard.lists.loader import load_file
from exportguard.model import ListEntry, Snapshot
from exportguard.screening import DEFAULT_THRESHOLD, Match, Screener, ScreenResult
from exportguard.screening.loaded import current_screener
from exportguard.store import Store

__all__ = [
    "DEFAULT_THRESHOLD",
    "Classification",
    "ExportGuardError",
    "InputError",
    "ListEntry",
    "ListFileError",
    "Match",
    "ScreenResult",
    "Screener",
    "Snapshot",
    "Store",
    "StoreError",
    "catalog",
    "classify",
    "current_screener",
    "load_file",
    "spec",
    "throughput",
]
