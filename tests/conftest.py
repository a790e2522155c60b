from __future__ import annotations

import os
from pathlib import Path

import pytest

from exportguard.lists.csl import CslCompactParser
from exportguard.screening import Screener
from exportguard.store import Store

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"
CSL_COMPACT = REFERENCE / "csl" / "csl-2026-07-31.compact.json"
CSL_SAMPLE = REFERENCE / "csl" / "csl-sample.csv"
CSL_SAMPLE_IDS = REFERENCE / "csl" / "csl-sample-with-ids.csv"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not CSL_COMPACT.exists():
        raise pytest.UsageError(
            f"reference data not found at {REFERENCE}: the tests need ../shared/reference"
        )


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real data directory or database."""
    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EXPORTGUARD_DB", raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'eg.db'}")
    yield s
    s.close()


@pytest.fixture
def loaded() -> Store:
    """The default store (the one the CLI opens) with the CSL sample loaded."""
    from exportguard.lists.loader import load_file

    store = Store()
    load_file(store, CSL_SAMPLE)
    yield store
    store.close()


@pytest.fixture(scope="session")
def csl_entries():
    return list(CslCompactParser().entries(CSL_COMPACT))


@pytest.fixture(scope="session")
def listed_only(csl_entries) -> Screener:
    """The reference CSL without any name in characters: every party as if uncurated."""
    from dataclasses import replace

    return Screener.from_entries([replace(e, local_names=[]) for e in csl_entries])


@pytest.fixture(scope="session")
def full_screener(csl_entries) -> Screener:
    """The full reference CSL with the curated local names, as `current_screener` builds it."""
    from exportguard.lists.starter import with_local_names

    return Screener.from_entries([with_local_names(e) for e in csl_entries])


def postgres_url() -> str:
    return os.environ.get(
        "EXPORTGUARD_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


@pytest.fixture
def postgres_store():
    """A Store on the local PostgreSQL server, in a schema of its own dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"eg_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    store = Store(f"{postgres_url()}?options=-csearch_path%3D{schema}")
    try:
        yield store
    finally:
        store.close()
        with admin.begin() as connection:
            connection.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # pytest's "no tests collected" (exit code 5) must never pass as success.
    if session.testscollected == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
