"""The Spark engine: the same per-row function (`rows.screen_rows`) run over partitions, in local
mode (`local[N]`) or on a cluster under spark-submit.

1. The driver streams the input once into `stage.parquet` (in the partial directory): per row its
   number (`__row`), the name and country as text and the reader's problem, exactly what the
   local engine hands its workers.
2. The pickled index is broadcast once; each executor's Python worker unpickles it on first use
   and keeps it in a module global (workers are reused between tasks).
3. Spark reads the stage, cuts it into contiguous ranges of `__row` (one partition each, sorted),
   screens each partition with `mapPartitions` (the RDD API: no pandas needed) and writes
   Parquet, one part file per partition, in row order.
4. The driver reads the input again chunk by chunk and puts each chunk's results next to it,
   checking the row numbers, so the output keeps input order and every input column unchanged
   (Arrow types and metadata never go through Spark).

Stages are checkpointed (`staged`, `screened`): a rerun after a kill skips what is done. There is
no finer resume inside the Spark job.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from exportguard.batch.checkpoint import Checkpoint, PartialOutput
from exportguard.batch.formats import InputChunk, InputFile, Piece, rechunk
from exportguard.batch.memory import MemoryPeak
from exportguard.batch.rows import (
    PROBLEM_COLUMN,
    RESULT_COLUMNS,
    RESULT_FIELDS,
    ROW_COLUMN,
    Results,
    RowOptions,
    ScreenerSpec,
    row_inputs,
    screen_rows,
)
from exportguard.errors import ExportGuardError
from exportguard.screening.screener import Screener

Progress = Callable[[str, int, int | None], None]
"""`progress(phase, rows_done, rows_expected)`: phase is staging, screening or writing."""
_NAME, _COUNTRY = "__name", "__country"
_STAGE_SCHEMA = pa.schema([pa.field(ROW_COLUMN, pa.int64()), pa.field(_NAME, pa.string()),
                           pa.field(_COUNTRY, pa.string()), pa.field(PROBLEM_COLUMN, pa.string())])
_ROWS_PER_PARTITION = 10_000
_ROWS_PER_CALL = 1_000
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.repl.name = org.apache.spark.api.python.PythonGatewayServer
logger.repl.level = error
"""
_screeners: dict[str, Screener] = {}  # per executor Python worker: the unpickled broadcast


def run_spark(source: InputFile, chunk_size: int, partial: PartialOutput, checkpoint: Checkpoint,
              screener: Screener, options: RowOptions, workers: int, memory: MemoryPeak,
              progress: Progress) -> Iterator[tuple[InputChunk, Results]]:
    """Each input chunk with its result columns, in input order, screened by Spark."""
    stage = partial.directory / "stage.parquet"
    screened = partial.directory / "spark-out"
    total = None
    if checkpoint.extra.get("spark") not in ("staged", "screened"):
        total = _stage(source, chunk_size, options, stage, progress)
        checkpoint.extra["spark"] = "staged"
        partial.save(checkpoint)
    total = total if total is not None else pq.ParquetFile(stage).metadata.num_rows
    if checkpoint.extra.get("spark") != "screened":
        session, owned = spark_session(workers, partial.directory)
        try:
            _screen_in_spark(session, stage, screened, screener, options, total, memory,
                             progress)
        finally:
            if owned:
                session.stop()
        checkpoint.extra["spark"] = "screened"
        partial.save(checkpoint)
    results = rechunk(_result_pieces(screened), chunk_size)
    for chunk in source.chunks(chunk_size):
        part = next(results, None)
        if part is None:
            raise ExportGuardError(f"Spark returned no result from row {chunk.first_row} on; "
                                   "nothing was written")
        yield chunk, _checked(part, chunk)
    if next(results, None) is not None:
        raise ExportGuardError("Spark returned more rows than the input holds; nothing was "
                               "written")


def _stage(source: InputFile, chunk_size: int, options: RowOptions, stage: Path,
           progress: Progress) -> int:
    rows = 0
    temporary = stage.with_name(stage.name + ".tmp")
    with pq.ParquetWriter(temporary, _STAGE_SCHEMA) as writer:
        for chunk in source.chunks(chunk_size):
            names, countries, problems = row_inputs(chunk.table, chunk.problems, options)
            numbers = range(chunk.first_row, chunk.first_row + len(names))
            writer.write_table(pa.Table.from_arrays(
                [pa.array(numbers, pa.int64()), pa.array(names, pa.string()),
                 pa.array(countries, pa.string()), pa.array(problems, pa.string())],
                schema=_STAGE_SCHEMA))
            rows += len(names)
            progress("staging", rows, None)
    temporary.replace(stage)
    return rows


def spark_session(workers: int, scratch: Path) -> tuple[Any, bool]:
    """The active SparkSession (a test's) or a new one; `owned` says whether this run must stop
    it. Outside spark-submit the new one runs in local mode, quiet, bound to 127.0.0.1 with no
    UI; under spark-submit (which starts the JVM and sets PYSPARK_GATEWAY_PORT) the cluster's
    settings stand."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ExportGuardError("--engine spark needs PySpark: pip install -e '.[spark]'") \
            from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    builder = SparkSession.builder.appName("exportguard-batch").config(
        "spark.ui.showConsoleProgress", "false")
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        host = os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        log4j = scratch / "log4j2.properties"
        log4j.write_text(_LOG4J, encoding="utf-8")
        builder = (builder.master(f"local[{workers}]")
                   .config("spark.ui.enabled", "false")
                   .config("spark.log.level", "ERROR")
                   .config("spark.driver.host", host)
                   .config("spark.driver.bindAddress", host)
                   .config("spark.sql.shuffle.partitions", str(max(2, workers * 2)))
                   .config("spark.driver.extraJavaOptions",
                           f"-Dlog4j2.configurationFile=file:{log4j}"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session, True


def _screen_in_spark(session: Any, stage: Path, out: Path, screener: Screener,
                     options: RowOptions, total: int, memory: MemoryPeak,
                     progress: Progress) -> None:
    from pyspark.sql.types import StructType

    payload = pickle.dumps((screener.index, ScreenerSpec.of(screener)),
                           protocol=pickle.HIGHEST_PROTOCOL)
    key = hashlib.sha256(payload).hexdigest()
    broadcast = session.sparkContext.broadcast(payload)
    del payload
    partitions = max(2 * session.sparkContext.defaultParallelism,
                     math.ceil(total / _ROWS_PER_PARTITION))
    # Contiguous row ranges, each sorted, before the screening: mapPartitions keeps that order,
    # so the output needs no sort (a sort after the screening would make Spark sample, and so
    # screen, every row twice).
    staged = (session.read.parquet(str(stage)).repartitionByRange(partitions, ROW_COLUMN)
              .sortWithinPartitions(ROW_COLUMN))
    schema = StructType.fromJson({"type": "struct", "fields": [
        {"name": ROW_COLUMN, "type": "long", "nullable": False, "metadata": {}},
        *({"name": f.name, "type": _SPARK_TYPES[f.type], "nullable": True, "metadata": {}}
          for f in RESULT_FIELDS)]})
    screen = _partition_screener(broadcast, key, options)
    results = session.createDataFrame(staged.rdd.mapPartitions(screen), schema,
                                      verifySchema=False)
    failure: list[BaseException] = []

    def write() -> None:  # on a thread, so the driver can report progress meanwhile
        try:
            results.write.mode("overwrite").parquet(str(out))
        except BaseException as exc:  # re-raised on the main thread below
            failure.append(exc)

    job = threading.Thread(target=write, name="spark-job")
    job.start()
    tracker = session.sparkContext.statusTracker()
    done = 0
    while job.is_alive():
        job.join(0.5)
        memory.sample()
        done = max(done, int(total * _share_done(tracker, partitions)))
        progress("screening", done, total)
    with contextlib.suppress(Exception):
        broadcast.unpersist()
    if failure:
        raise failure[0]
    progress("screening", total, total)


_SPARK_TYPES = {pa.int32(): "integer", pa.string(): "string", pa.float64(): "double"}


def _share_done(tracker: Any, partitions: int) -> float:
    """Completed share of the screening stage: the active stage with one task per partition
    (the range sampling and the shuffle before it have other task counts)."""
    for stage_id in tracker.getActiveStageIds():
        info = tracker.getStageInfo(stage_id)
        if info is not None and info.numTasks == partitions:
            return info.numCompletedTasks / partitions
    return 0.0


def _partition_screener(broadcast: Any, key: str,
                        options: RowOptions) -> Callable[[Iterable[Any]], Iterator[tuple]]:
    """The function Spark ships to executors: rows of the stage in, result rows out."""

    def screen(rows: Iterable[Any]) -> Iterator[tuple]:
        screener = _screeners.get(key)
        if screener is None:
            index, spec = pickle.loads(broadcast.value)
            screener = _screeners[key] = spec.build(index)
        batch: list[Any] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _ROWS_PER_CALL:
                yield from _screen_batch(screener, batch, options)
                batch = []
        yield from _screen_batch(screener, batch, options)

    return screen


def _screen_batch(screener: Screener, batch: list[Any], options: RowOptions) -> Iterator[tuple]:
    if not batch:
        return
    results = screen_rows(screener, [r[_NAME] for r in batch], [r[_COUNTRY] for r in batch],
                          [r[PROBLEM_COLUMN] for r in batch], options)
    columns = [results[name] for name in RESULT_COLUMNS]
    for row, values in zip(batch, zip(*columns, strict=True), strict=True):
        yield (row[ROW_COLUMN], *values)


def _result_pieces(directory: Path) -> Iterator[Piece]:
    """Spark's sorted output, part file by part file (their names follow the sort)."""
    for path in sorted(directory.glob("part-*.parquet")):
        table = pq.read_table(path)
        yield Piece(table, [None] * table.num_rows)


def _checked(part: InputChunk, chunk: InputChunk) -> Results:
    """The results of one chunk, after checking Spark returned exactly its rows."""
    numbers = part.table.column(ROW_COLUMN).to_pylist()
    if numbers != list(range(chunk.first_row, chunk.first_row + chunk.table.num_rows)):
        raise ExportGuardError(f"Spark returned rows out of order or incomplete near row "
                               f"{chunk.first_row}; nothing was written")
    return {name: part.table.column(name).to_pylist() for name in RESULT_COLUMNS}
