"""Batch screening: a file of names (CSV, Parquet, JSON Lines) screened row by row into a file
of results, on every core or on Spark, resumable after a kill. See `run.run_batch`."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exportguard.batch.run import BatchOptions, BatchSummary, meta_path, plan, run_batch

__all__ = ["BatchOptions", "BatchSummary", "meta_path", "plan", "run_batch"]


def __getattr__(name: str) -> Any:
    """The names above, imported on first use: `run` needs pyarrow, which the CLI should load
    only for the `batch` command (`batch.checkpoint` is imported by the CLI for its constants)."""
    if name not in __all__:
        raise AttributeError(f"module 'exportguard.batch' has no attribute '{name}'")
    return getattr(import_module("exportguard.batch.run"), name)
