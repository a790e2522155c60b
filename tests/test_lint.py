"""The README's second command runs `ruff check src tests` before pytest, joined by `&&`: one
lint error stops the test suite from running at all on a fresh clone. This test runs the same
check (and bench/) inside the suite, so that a lint error shows in every pytest run too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return [found]


def test_ruff_check_passes_on_src_tests_and_bench() -> None:
    command = [*_ruff(), "check", "--output-format", "concise", "src", "tests", "bench"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
