"""Peak memory of a batch run: this process and all its descendants (forked workers, the Spark
JVM and its Python workers), sampled while the run goes.

Summed RSS counts a page shared by forked workers once per process, so it overstates what forked
workers cost; PSS (proportional set size) splits each shared page between the processes sharing
it and adds up to the real footprint. Both are reported, read from /proc (Linux) with no extra
dependency; elsewhere only the peak RSS of the largest process is known (from `resource`).
"""

from __future__ import annotations

import contextlib
import os
import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_PROC = Path("/proc")
_HAS_PROC = (_PROC / "self" / "stat").exists()


@dataclass(slots=True)
class MemoryPeak:
    rss_mib: float = 0.0
    pss_mib: float | None = None
    processes: int = 1
    summed: bool = _HAS_PROC

    def sample(self) -> None:
        if not _HAS_PROC:
            usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            self.rss_mib = max(self.rss_mib, usage / 1024)
            return
        pids = descendants(os.getpid())
        rss = pss = 0
        for pid in pids:
            found = _rss_pss_kib(pid)
            if found is not None:
                rss, pss = rss + found[0], pss + found[1]
        if rss / 1024 > self.rss_mib:
            self.rss_mib = rss / 1024
            self.processes = len(pids)
        self.pss_mib = max(self.pss_mib or 0.0, pss / 1024)

    def to_dict(self) -> dict[str, Any]:
        return {"rss_mib": round(self.rss_mib, 1),
                "pss_mib": round(self.pss_mib, 1) if self.pss_mib is not None else None,
                "processes": self.processes,
                "basis": "summed over the process and its descendants" if self.summed
                else "largest single process"}

    def describe(self) -> str:
        if not self.summed:
            return f"{self.rss_mib:,.0f} MiB (largest single process)"
        return (f"{self.rss_mib:,.0f} MiB RSS summed over {self.processes} processes, "
                f"{self.pss_mib or 0:,.0f} MiB counting shared pages once")


def descendants(root: int) -> list[int]:
    """`root` and every process below it, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for stat in _PROC.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # "pid (command) state ppid ...": the command may hold spaces and brackets.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _rss_pss_kib(pid: int) -> tuple[int, int] | None:
    values: dict[str, int] = {}
    try:
        text = (_PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            values[key] = int(rest.split()[0])
    return values.get("Rss", 0), values.get("Pss", values.get("Rss", 0))
