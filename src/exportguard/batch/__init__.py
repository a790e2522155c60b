"""Batch screening: a file of names (CSV, Parquet, JSON Lines) screened row by row into a file
of results, on every core or on Spark, resumable after a kill. See `run.run_batch`."""

from exportguard.batch.run import BatchOptions, BatchSummary, meta_path, plan, run_batch

__all__ = ["BatchOptions", "BatchSummary", "meta_path", "plan", "run_batch"]
