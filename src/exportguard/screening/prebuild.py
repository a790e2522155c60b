"""Building a screening index in a process of its own, so the service's process keeps serving.

Indexing the full CSL is pure Python for several seconds (tens under load): in the service's
process it would hold the interpreter lock and stall every screen meanwhile. The service
therefore runs `python -m exportguard.screening.prebuild URL DAY FILTER` (at a lower CPU
priority), which builds the index and writes it to the cache file next to the database (see
`loaded.py`); the service then opens that file, memory-mapped, in milliseconds. When the child
fails, or there is no cache file to share (an in-memory database), the service builds the index
itself as before: this only moves work, it never decides what is screened.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

log = logging.getLogger("exportguard.service")
BUILD_SECONDS = 900.0  # a child still building by then is stopped (the service builds itself)
_NICE = 10


def shareable(url: str) -> bool:
    """Whether another process sees the same store (not an in-memory SQLite database)."""
    if not url.startswith("sqlite"):
        return True
    database = url.split("///", 1)[1] if "///" in url else ""
    return bool(database) and database != ":memory:" and "mode=memory" not in database


def build_elsewhere(url: str, day: date | None, filter_dates: bool = True, *,
                    history: bool = False) -> bool:
    """Build (and cache) the index of `screener_for(day, filter_dates)`, or the history index,
    in a child process; True when it finished well. Blocks the calling thread only."""
    if not shareable(url):
        return False
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
    args = [sys.executable, "-m", "exportguard.screening.prebuild", url,
            "history" if history else (day.isoformat() if day else "latest"),
            "filter" if filter_dates else "all"]
    try:
        done = subprocess.run(args, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=BUILD_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("building the index in a child process failed (%s); building it here", exc)
        return False
    if done.returncode != 0:
        log.warning("building the index in a child process failed (exit %d): %s; building it "
                    "here", done.returncode, done.stderr.decode("utf-8", "replace")[-500:])
        return False
    return True


def main(argv: list[str]) -> int:
    from exportguard.screening.loaded import history_screener, screener_for
    from exportguard.store import Store

    url, which, dates = argv
    with contextlib.suppress(OSError):
        os.nice(_NICE)  # the screens the service answers meanwhile come first
    store = Store(url)
    try:
        if which == "history":
            history_screener(store)
        else:
            day = None if which == "latest" else date.fromisoformat(which)
            screener_for(store, day, filter_dates=dates == "filter")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
