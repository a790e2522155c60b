"""The local engine: worker processes screen chunks of rows while the parent reads the input and
writes the results, in input order.

How the workers get the index (`share`):

- `fork` (default): the parent builds the screener once and forks the workers, which inherit it
  copy-on-write. `gc.freeze()` first moves every object into the permanent generation so the
  collector never writes to (and so never copies) the pages of the shared index; only reference
  counts of the objects a worker touches dirty their pages.
- `load`: workers are spawned fresh and each unpickles the index from a file. Every worker then
  holds a private copy. Kept for the measurement in bench/batch.py (bench/RESULTS.md).

Order: chunks are submitted in order and their results taken back in submission order from a
window of at most two chunks per worker, so output order equals input order and memory stays
bounded whatever the file size. Workers ask the kernel to kill them when the parent dies, so a
SIGKILLed run leaves no orphan processes behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from exportguard.batch.formats import InputChunk
from exportguard.batch.rows import (
    Results,
    RowOptions,
    ScreenerSpec,
    row_inputs,
    screen_rows,
    screen_table,
)
from exportguard.screening.screener import Screener

SHARES = ("fork", "load")
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
    with _pool(screener, options, workers, share, index_file) as pool:
        pending: deque[tuple[InputChunk, Future[Results]]] = deque()
        for chunk in chunks:
            names, countries, problems = row_inputs(chunk.table, chunk.problems, options)
            pending.append((chunk, pool.submit(_screen, names, countries, problems)))
            if len(pending) >= 2 * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


@contextlib.contextmanager
def _pool(screener: Screener, options: RowOptions, workers: int, share: str,
          index_file: Path | None) -> Iterator[ProcessPoolExecutor]:
    global _state
    if share == "fork":
        _state = (screener, options)
        gc.freeze()
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_die_with_parent, initargs=(os.getpid(),))
    elif share == "load" and index_file is not None:
        pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_load_state,
            initargs=(os.getpid(), index_file, ScreenerSpec.of(screener), options))
    else:
        raise ValueError(f"share must be one of {SHARES} (load needs index_file), got {share}")
    try:
        yield pool
    finally:
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
