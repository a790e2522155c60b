"""Persistence: list snapshots and their entries (SQLAlchemy; SQLite or PostgreSQL).

`Store` is imported on first use, so that the modules of this package that do not need
SQLAlchemy (`reads`, `revision`, `direct`) can be imported without it: a cold `screen` of a
SQLite store reads it with the standard library's sqlite3 (`direct.open_for_screening`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exportguard.store.snapshots import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from exportguard.store.snapshots import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
