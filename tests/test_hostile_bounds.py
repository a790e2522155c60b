"""Hostile list files are refused while they stream, within a memory and a time limit: each load
runs in a subprocess under `resource.setrlimit(RLIMIT_AS)`, so a regression fails the test
instead of exhausting the machine. The refusal is one line naming the file, the position and the
limit; the exit code is 2; the list in force is untouched."""

import os
import resource
import shutil
import subprocess
import sys

import pytest

from exportguard.lists import loader
from exportguard.lists.loader import load_file
from exportguard.store import Store
from tests.conftest import CSL_SAMPLE

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: the probe's deep file reached 20 GB
TIME_LIMIT = 60
FTM_LINE = ('{"id": "x1", "schema": "Company", "properties": {"name": ["Acme"]}, '
            '"target": true}\n')


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


HOSTILE = {
    "deep-array.json": ("[" * 100_000 + "]" * 100_000, "nesting deeper than 32 levels"),
    "deep-object.json": ('{"a":' * 100_000 + "1" + "}" * 100_000,
                         "nesting deeper than 32 levels"),
    "long-string.json": ('{"results": [{"source": "Entity List (EL) - Bureau of Industry and '
                         'Security", "name": "' + "A" * 3_000_000 + '"}]}',
                         "a string longer than 1,000,000 bytes"),
    "long-number.json": ("[" + "1" * 3_000_000 + "]", "a value longer than 1,000,000 bytes"),
    "deep-ftm.json": (FTM_LINE + '{"id": "x2", "schema": "Company", "properties": {"name": '
                      + "[" * 200_000 + "]" * 200_000 + "}}\n", "nesting deeper than"),
    "long-header.csv": ("source,name," + "x" * 3_000_000 + "\n",
                        "longer than 1,000,000 characters"),
    "deep.xml": ("<CONSOLIDATED_LIST>" + "<A>" * 100_000, "nesting deeper than 256 levels"),
    "long-text.xml": ('<CONSOLIDATED_LIST dateGenerated="2024-01-01T00:00:00Z"><INDIVIDUALS>'
                      "<INDIVIDUAL><FIRST_NAME>" + "A" * 3_000_000,
                      "a text longer than 1,000,000 bytes"),
}


@pytest.fixture(scope="module")
def good_db(tmp_path_factory):
    """A database with the CSL sample in force, copied for each test."""
    path = tmp_path_factory.mktemp("good") / "eg.db"
    store = Store(f"sqlite:///{path}")
    good = load_file(store, CSL_SAMPLE).snapshot
    store.close()
    return path, good.id


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_refused_within_memory_and_time(tmp_path, good_db, name):
    content, message = HOSTILE[name]
    home = tmp_path / "home"
    shutil.copy(good_db[0], tmp_path / "eg.db")
    url = f"sqlite:///{tmp_path / 'eg.db'}"
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    env = {**os.environ, "EXPORTGUARD_HOME": str(home), "EXPORTGUARD_DB": url}
    done = subprocess.run(
        [sys.executable, "-m", "exportguard", "load", str(path), "--no-audit"], env=env,
        capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limited,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    assert str(path) in lines[0] and message in lines[0]
    assert "refused" in lines[0]
    store = Store(url)
    assert [s.id for s in store.current_snapshots() if s.source == "csl"] == [good_db[1]]
    assert [s.id for s in store.snapshots()] == [good_db[1]]
    store.close()


def test_a_file_over_the_entry_limit_is_refused(store, monkeypatch):
    good = load_file(store, CSL_SAMPLE).snapshot
    monkeypatch.setattr(loader, "MAX_ENTRIES", 50)
    with pytest.raises(loader.ListFileError, match="more than 50 entries; refused") as info:
        load_file(store, CSL_SAMPLE, force=True)
    assert info.value.record == 51
    assert [s.id for s in store.snapshots()] == [good.id]
