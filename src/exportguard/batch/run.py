"""A batch run from end to end: every check that can refuse the run happens before any row is
read; then the screener over the snapshots in force, the engine, the checkpointed parts, and the
output, renamed into place with its `OUTPUT.meta.json` once every row is done."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from exportguard.batch.checkpoint import (
    DEFAULT_CHUNK_SIZE,
    Checkpoint,
    PartialOutput,
    input_fingerprint,
)
from exportguard.batch.formats import (
    InputChunk,
    InputFile,
    OutputWriter,
    check_output_schema,
    check_text_column,
    format_of,
    write_part,
)
from exportguard.batch.local import SHARES, all_cores, screened, write_index
from exportguard.batch.memory import MemoryPeak
from exportguard.batch.rows import (
    ERROR,
    RESULT_COLUMNS,
    RESULT_FIELDS,
    Results,
    RowOptions,
    with_results,
)
from exportguard.batch.spark import Progress, run_spark
from exportguard.errors import InputError
from exportguard.screening.loaded import screener_for
from exportguard.screening.screener import DECISIONS, MAX_LIMIT, Screener
from exportguard.store import Store

ENGINES = ("local", "spark")
ERRORS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """A batch run as asked. `country_column` None means `country` when the input has one;
    `workers` None means every core; `share` is how local workers get the index (batch.local)."""

    input: Path
    output: Path
    name_column: str = "name"
    country_column: str | None = None
    id_column: str | None = None
    min_score: float | None = None
    lists: frozenset[str] | None = None
    as_of: date | None = None
    workers: int | None = None
    engine: str = "local"
    chunk_size: int = DEFAULT_CHUNK_SIZE
    resume: bool = True
    share: str = "fork"


@dataclass(slots=True)
class BatchSummary:
    output: Path
    meta: dict[str, Any]
    rows: int
    decisions: dict[str, int]
    error_sample: list[dict[str, Any]]
    seconds: float
    rows_this_run: int
    memory: MemoryPeak
    starter_only: bool

    @property
    def rate(self) -> float:
        return self.rows_this_run / self.seconds if self.seconds > 0 else 0.0


@dataclass(slots=True)
class _Plan:
    """What the checks found: the opened input and the resolved options."""

    source: InputFile
    output_format: str
    options: BatchOptions
    workers: int


def plan(options: BatchOptions) -> _Plan:
    """Every check that can refuse the run, before any row is read or any index built."""
    if options.engine not in ENGINES:
        raise InputError("engine", f"must be one of {', '.join(ENGINES)}, got {options.engine}")
    if options.share not in SHARES:
        raise InputError("share", f"must be one of {', '.join(SHARES)}, got {options.share}")
    if options.chunk_size < 1:
        raise InputError("chunk_size", f"must be at least 1, got {options.chunk_size}")
    if options.workers is not None and options.workers < 1:
        raise InputError("workers", f"must be at least 1, got {options.workers}")
    if options.engine == "spark":
        _check_spark_installed()
    output_format = format_of(options.output, "out")
    _check_paths(options.input, options.output)
    source = InputFile(options.input, "input")
    country = _check_columns(source, options)
    schema = pa.schema([*source.schema, *RESULT_FIELDS])
    check_output_schema(schema, output_format, "out")
    return _Plan(source, output_format, replace(options, country_column=country),
                 options.workers or all_cores())


def _check_spark_installed() -> None:
    """Before the partial folder exists: a run refused later would leave an unfinished run
    that the next command (another engine) is then refused to resume."""
    if importlib.util.find_spec("pyspark") is None:
        raise InputError("engine", "spark needs PySpark: pip install -e '.[spark]' (and Java 17+)")


def _check_paths(source: Path, output: Path) -> None:
    same = source.resolve() == output.resolve()
    with contextlib.suppress(OSError):
        same = same or output.samefile(source)
    if same:
        raise InputError("out", f"'{output}' is the input file; write the results elsewhere")
    if not output.parent.is_dir():
        raise InputError("out", f"the folder '{output.parent}' does not exist")


def _check_columns(source: InputFile, options: BatchOptions) -> str | None:
    """The country column to use; a named column that is missing is an error."""
    columns = source.columns
    shown = ", ".join(columns)
    if options.name_column not in columns:
        raise InputError("name_column", f"'{source.path}' has no column '{options.name_column}' "
                         f"(columns: {shown}); use --name-column")
    check_text_column(source.schema, options.name_column, "name_column")
    country = options.country_column
    if country is not None and country not in columns:
        raise InputError("country_column", f"'{source.path}' has no column '{country}' "
                         f"(columns: {shown})")
    if country is None and "country" in columns:
        country = "country"
    if country is not None:
        check_text_column(source.schema, country, "country_column")
    if options.id_column is not None and options.id_column not in columns:
        raise InputError("id_column", f"'{source.path}' has no column '{options.id_column}' "
                         f"(columns: {shown})")
    taken = [c for c in RESULT_COLUMNS if c in columns]
    if taken:
        raise InputError("input", f"'{source.path}' already has column(s) {', '.join(taken)}, "
                         "which batch screening adds; rename or drop them")
    return country


def run_batch(store: Store, options: BatchOptions,
              progress: Progress | None = None) -> BatchSummary:
    """Screen every row of `options.input` into `options.output`; see the module docstring.
    `progress(phase, rows_done, rows_expected)` is called after each chunk."""
    found = plan(options)
    options = found.options
    report: Progress = progress or (lambda phase, done, total: None)
    screener = screener_for(store, options.as_of)
    # The screener's own checks of min_score and lists, once, before any row.
    screener.screen("probe", None, options.lists, MAX_LIMIT, options.min_score)
    row_options = RowOptions(options.name_column, options.country_column, options.lists,
                             options.min_score, ",".join(str(s.id) for s in screener.snapshots))
    scanned = input_fingerprint(options.input)
    partial = PartialOutput(options.output)
    checkpoint = partial.start(_fingerprint(options, scanned, screener), options.resume)
    total = _row_estimate(found.source, scanned)
    started, resumed_rows, spent_before = (time.monotonic(), checkpoint.rows_done,
                                           checkpoint.seconds)
    memory = MemoryPeak()
    memory.sample()
    if options.engine == "spark":
        pairs = run_spark(found.source, options.chunk_size, partial, checkpoint, screener,
                          row_options, found.workers, memory, report)
        totals = _assemble(found, partial, _merged(pairs), report, total)
    else:
        if checkpoint.stage != "screened":
            _screen_locally(found, partial, checkpoint, screener, row_options, memory, report,
                            total, started)
        parts = (pq.read_table(p) for p in partial.parts(checkpoint.parts_done))
        totals = _assemble(found, partial, parts, report, checkpoint.rows_done)
    seconds = time.monotonic() - started
    memory.sample()
    summary = BatchSummary(options.output, {}, totals.rows, totals.decisions, totals.errors,
                           seconds, totals.rows - resumed_rows, memory, screener.starter_only)
    summary.meta = _meta(found, screener, scanned, summary, spent_before + seconds,
                         resumed_rows)
    _publish(partial, summary.meta)
    return summary


def _fingerprint(options: BatchOptions, scanned: dict[str, Any],
                 screener: Screener) -> dict[str, Any]:
    """What must not change for a stopped run to be continued: the input's bytes, the options
    that change results or part boundaries, and the snapshots screened against."""
    return {
        "input": {"sha256": scanned["sha256"], "bytes": scanned["bytes"]},
        "options": {"name_column": options.name_column,
                    "country_column": options.country_column,
                    "min_score": options.min_score,
                    "lists": sorted(options.lists) if options.lists else None,
                    "as_of": options.as_of.isoformat() if options.as_of else None,
                    "engine": options.engine, "chunk_size": options.chunk_size,
                    "exportguard": _version()},
        "snapshots": [[s.id, s.checksum] for s in screener.snapshots],
    }


def _row_estimate(source: InputFile, scanned: dict[str, Any]) -> int | None:
    """Rows to expect, for the progress bar: exact for Parquet, newlines for text formats."""
    if source.format == "parquet":
        return pq.ParquetFile(source.path).metadata.num_rows
    return max(0, scanned["lines"] - (1 if source.format == "csv" else 0)) or None


def _screen_locally(found: _Plan, partial: PartialOutput, checkpoint: Checkpoint,
                    screener: Screener, options: RowOptions, memory: MemoryPeak,
                    report: Progress, total: int | None, started: float) -> None:
    """Screen the rows not yet done, one durable part and checkpoint per chunk."""
    spent = checkpoint.seconds
    index_file = partial.directory / "index.pickle"
    if found.options.share == "load" and found.workers > 1:
        write_index(screener, index_file)
    chunks = found.source.chunks(found.options.chunk_size, checkpoint.rows_done)
    report("screening", checkpoint.rows_done, total)
    for chunk, results in screened(chunks, screener, options, found.workers,
                                   share=found.options.share, index_file=index_file):
        write_part(with_results(chunk.table, results), partial.part(chunk.number))
        checkpoint.parts_done = chunk.number + 1
        checkpoint.rows_done = chunk.first_row + chunk.table.num_rows
        checkpoint.seconds = spent + time.monotonic() - started
        partial.save(checkpoint)
        memory.sample()
        report("screening", checkpoint.rows_done, max(total or 0, checkpoint.rows_done))
    index_file.unlink(missing_ok=True)
    checkpoint.stage = "screened"
    partial.save(checkpoint)


def _merged(pairs: Iterable[tuple[InputChunk, Results]]) -> Iterator[pa.Table]:
    for chunk, results in pairs:
        yield with_results(chunk.table, results)


@dataclass(slots=True)
class _Totals:
    rows: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _assemble(found: _Plan, partial: PartialOutput, tables: Iterable[pa.Table],
              report: Progress, total: int | None) -> _Totals:
    """Write the output file aside from the result tables, in order, counting decisions and
    keeping the first errors for the summary."""
    totals = _Totals()
    counts: Counter[str] = Counter()
    temporary = partial.directory / f"output{found.options.output.suffix}"
    writer = OutputWriter(temporary, found.output_format)
    id_column = found.options.id_column
    for table in tables:
        counts.update(_value_counts(table.column("decision")))
        if len(totals.errors) < ERRORS_SHOWN:
            totals.errors.extend(_errors(table, totals.rows, id_column,
                                         ERRORS_SHOWN - len(totals.errors)))
        writer.write(table)
        totals.rows += table.num_rows
        report("writing", totals.rows, total)
    writer.close(pa.schema([*found.source.schema, *RESULT_FIELDS]))
    totals.decisions = {d: counts.get(d, 0) for d in (*DECISIONS, ERROR)}
    return totals


def _value_counts(column: pa.ChunkedArray) -> dict[str, int]:
    return {item["values"]: item["counts"] for item in pc.value_counts(column).to_pylist()}


def _errors(table: pa.Table, first_row: int, id_column: str | None,
            limit: int) -> list[dict[str, Any]]:
    positions = pc.indices_nonzero(pc.equal(table.column("decision"), ERROR)).to_pylist()
    shown = []
    for position in positions[:limit]:
        item: dict[str, Any] = {"row": first_row + position + 1,
                                "error": table.column("error")[position].as_py()}
        if id_column:
            item["id"] = table.column(id_column)[position].as_py()
        shown.append(item)
    return shown


def _meta(found: _Plan, screener: Screener, scanned: dict[str, Any], summary: BatchSummary,
          total_seconds: float, resumed_rows: int) -> dict[str, Any]:
    options = found.options
    return {
        "input": str(options.input), "input_sha256": scanned["sha256"],
        "output": str(options.output), "format": {"input": found.source.format,
                                                  "output": found.output_format},
        "engine": options.engine, "workers": found.workers,
        "options": {"name_column": options.name_column,
                    "country_column": options.country_column, "id_column": options.id_column,
                    "min_score": options.min_score,
                    "lists": sorted(options.lists) if options.lists else None,
                    "chunk_size": options.chunk_size},
        "as_of": options.as_of.isoformat() if options.as_of else None,
        "snapshot_ids": [s.id for s in screener.snapshots],
        "snapshots": [s.to_dict() for s in screener.snapshots],
        "in_force": [f.to_dict() for f in screener.in_force],
        "starter_only": screener.starter_only,
        "rows": summary.rows, "decisions": summary.decisions,
        "errors": summary.decisions.get(ERROR, 0), "error_sample": summary.error_sample,
        "resumed_from_row": resumed_rows,
        "seconds": round(summary.seconds, 3), "seconds_all_attempts": round(total_seconds, 3),
        "rows_per_second": round(summary.rate, 1),
        "peak_memory": summary.memory.to_dict(),
        "exportguard": _version(),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def meta_path(output: Path) -> Path:
    return output.with_name(output.name + ".meta.json")


def _publish(partial: PartialOutput, meta: dict[str, Any]) -> None:
    """The sidecar, then the output, each by rename; then the partial directory goes."""
    output = partial.output
    sidecar = partial.directory / "meta.json"
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2, default=str) + "\n",
                       encoding="utf-8")
    sidecar.replace(meta_path(output))
    (partial.directory / f"output{output.suffix}").replace(output)
    partial.discard()


def _version() -> str:
    try:
        return version("exportguard")
    except PackageNotFoundError:
        return "unknown"
