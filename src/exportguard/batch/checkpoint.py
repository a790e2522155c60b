"""Resumable output: `OUTPUT.partial/` holds one Parquet part per chunk of rows and
`checkpoint.json`, rewritten atomically after each part is durable.

A killed run (even SIGKILL) leaves at worst one part written but not yet counted; the next run
with the same input, options and snapshots starts at the first part not counted and rewrites it,
so no row is lost or repeated. Anything else (another input, other options, new snapshots)
refuses to resume and says what changed, unless the run is asked to restart. The output file
appears, by rename, only once every row is done.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from exportguard.errors import InputError

FORMAT_VERSION = 1
PARTIAL_SUFFIX = ".partial"
DEFAULT_CHUNK_SIZE = 2_000
CHECKPOINT = "checkpoint.json"


def input_fingerprint(path: Path) -> dict[str, Any]:
    """SHA-256 and size of the input, and its line count (read in the same pass) as the row
    estimate for the progress bar of text formats."""
    digest = hashlib.sha256()
    lines = size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            lines += block.count(b"\n")
            size += len(block)
    return {"sha256": digest.hexdigest(), "bytes": size, "lines": lines}


@dataclass(slots=True)
class Checkpoint:
    """What a run has made durable. `fingerprint` has three parts, compared one by one to tell
    the user what changed: input, options and snapshots."""

    fingerprint: dict[str, Any]
    parts_done: int = 0
    rows_done: int = 0
    seconds: float = 0.0  # spent by earlier attempts, for the overall rate
    stage: str = "screening"  # "screening", then "screened" (every part written)
    version: int = FORMAT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)


class PartialOutput:
    """The `OUTPUT.partial/` directory of one output file."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.directory = output.with_name(output.name + PARTIAL_SUFFIX)

    def part(self, number: int) -> Path:
        return self.directory / f"part-{number:06d}.parquet"

    def parts(self, count: int) -> list[Path]:
        return [self.part(n) for n in range(count)]

    def load(self) -> Checkpoint | None:
        try:
            data = json.loads((self.directory / CHECKPOINT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            return None
        try:
            return Checkpoint(**data)
        except TypeError:
            return None

    def save(self, checkpoint: Checkpoint) -> None:
        """Atomic and durable: a temporary file synced, renamed over the old checkpoint."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / CHECKPOINT
        temporary = target.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(asdict(checkpoint), handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
        _sync_directory(self.directory)

    def start(self, fingerprint: dict[str, Any], resume: bool) -> Checkpoint:
        """The checkpoint to go on from: the stored one when it is the same run, a fresh one
        after --restart or when there is none; otherwise refuse, saying what changed."""
        stored = self.load() if self.directory.exists() else None
        if stored is not None and resume:
            changed = [k for k in fingerprint if stored.fingerprint.get(k) != fingerprint[k]]
            if not changed:
                return stored
            raise InputError(
                "resume", f"{self.directory} holds an unfinished run that differs in: "
                f"{', '.join(changed)}; rerun with --restart to discard it and start over")
        self.discard()
        checkpoint = Checkpoint(fingerprint)
        self.save(checkpoint)
        return checkpoint

    def discard(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _sync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
