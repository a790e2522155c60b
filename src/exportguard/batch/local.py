"""The local engine: worker processes screen chunks of rows while the parent reads the input and
writes the results, in input order.

How the workers get the index (`share`):

- `fork` (default): the parent builds the screener once and forks the workers, which inherit it
  copy-on-write. `gc.freeze()` first moves every object into the permanent generation so the
  collector never writes to (and so never copies) the pages of the shared index; only reference
  counts of the objects a worker touches dirty their pages.
- `load`: workers are spawned fresh and each unpickles the index from a file. Every worker then
  holds a private copy. Kept for the measurement in bench/batch.py (bench/RESULTS.md).

Rows: each chunk is shared out between the workers by name (its letters and digits, case and
punctuation aside), so every way of writing one party reaches the same worker's row cache
(`rows.RowCache`) and is screened once. Order: chunks are submitted in order and their results
taken back in submission order from a window of a few chunks, so output order equals input order
and memory stays bounded whatever the file size. Workers ask the kernel to kill them when the
parent dies, so a SIGKILLed run leaves no orphan processes behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import re
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from exportguard.batch.formats import InputChunk
from exportguard.batch.rows import (
    RESULT_COLUMNS,
    Results,
    RowOptions,
    ScreenerSpec,
    row_inputs,
    screen_rows,
    screen_table,
)
from exportguard.screening.screener import Screener

SHARES = ("fork", "load")
_CHUNKS_AHEAD = 3  # chunks in flight, each shared by every worker
_NOT_ALNUM = re.compile(r"[\W_]+")
_PR_SET_PDEATHSIG = 1
_state: tuple[Screener, RowOptions] | None = None


def all_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def screened(chunks: Iterable[InputChunk], screener: Screener, options: RowOptions,
             workers: int, *, share: str = "fork",
             index_file: Path | None = None) -> Iterator[tuple[InputChunk, Results]]:
    """Each chunk with its result columns, in input order."""
    if workers <= 1:
        for chunk in chunks:
            yield chunk, screen_table(screener, chunk.table, chunk.problems, options)
        return
    with _pools(screener, options, workers, share, index_file) as pools:
        pending: deque[tuple[InputChunk, list[list[int]], list[Future[Results]]]] = deque()
        for chunk in chunks:
            names, countries, problems = row_inputs(chunk.table, chunk.problems, options)
            shares = _routed(names, len(pools))
            futures = [pool.submit(_screen, [names[i] for i in rows],
                                   [countries[i] for i in rows], [problems[i] for i in rows])
                       for pool, rows in zip(pools, shares, strict=True)]
            pending.append((chunk, shares, futures))
            if len(pending) > _CHUNKS_AHEAD:
                yield _gathered(*pending.popleft())
        while pending:
            yield _gathered(*pending.popleft())


def _routed(names: list[str | None], workers: int) -> list[list[int]]:
    """The rows of a chunk for each worker. A name goes to the worker its letters and digits
    (case, spaces and punctuation aside) choose, so the ways one party is written meet in one
    worker's row cache and it is screened once, not once per worker. Only where a row is
    screened depends on this, never its answer."""
    shares: list[list[int]] = [[] for _ in range(workers)]
    for position, name in enumerate(names):
        letters = _NOT_ALNUM.sub("", name.casefold()) if name else ""
        shares[hash(letters) % workers].append(position)
    return shares


def _gathered(chunk: InputChunk, shares: list[list[int]],
              futures: list[Future[Results]]) -> tuple[InputChunk, Results]:
    """The chunk's result columns in row order, from its workers' shares."""
    size = chunk.table.num_rows
    merged: Results = {name: [None] * size for name in RESULT_COLUMNS}
    for rows, future in zip(shares, futures, strict=True):
        for name, values in future.result().items():
            column = merged[name]
            for position, value in zip(rows, values, strict=True):
                column[position] = value
    return chunk, merged


@contextlib.contextmanager
def _pools(screener: Screener, options: RowOptions, workers: int, share: str,
           index_file: Path | None) -> Iterator[list[ProcessPoolExecutor]]:
    """One single-process pool per worker, so the parent chooses which worker screens a row."""
    global _state
    if share == "fork":
        _state = (screener, options)
        gc.freeze()
        pools = [ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                     initializer=_die_with_parent, initargs=(os.getpid(),))
                 for _ in range(workers)]
    elif share == "load" and index_file is not None:
        pools = [ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=_load_state,
            initargs=(os.getpid(), index_file, ScreenerSpec.of(screener), options))
            for _ in range(workers)]
    else:
        raise ValueError(f"share must be one of {SHARES} (load needs index_file), got {share}")
    try:
        yield pools
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        _state = None
        gc.unfreeze()


def write_index(screener: Screener, path: Path) -> None:
    """The pickled index `load` workers read."""
    with path.open("wb") as handle:
        pickle.dump(screener.index, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _die_with_parent(parent: int) -> None:
    """Worker start: die with the parent (Linux prctl), so a killed run leaves no orphans."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _load_state(parent: int, index_file: Path, spec: ScreenerSpec, options: RowOptions) -> None:
    global _state
    _die_with_parent(parent)
    with index_file.open("rb") as handle:
        _state = (spec.build(pickle.load(handle)), options)


def _screen(names: list[str | None], countries: list[str | None],
            problems: list[str | None]) -> Results:
    if _state is None:  # pragma: no cover - a worker always starts with the state
        raise RuntimeError("batch worker started without a screener")
    screener, options = _state
    return screen_rows(screener, names, countries, problems, options)
