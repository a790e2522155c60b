"""Persistence: list snapshots and their entries (SQLAlchemy; SQLite or PostgreSQL)."""

from exportguard.store.snapshots import Store

__all__ = ["Store"]
