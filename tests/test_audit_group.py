"""Group commit of the audit chain (audit_group.py): the records of concurrent decisions share a
transaction, each caller resumes only once its record is committed, one failing work function
does not take the others down, and a process killed while it writes leaves a chain that verifies
and takes further records (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from exportguard.audit import AuditLog
from exportguard.audit_chain import canonical
from exportguard.audit_group import LoopGroups
from exportguard.cases import Cases
from exportguard.store import Store

SRC = Path(__file__).resolve().parents[1] / "src"


def _appending(log: AuditLog, subject: str):  # type: ignore[no-untyped-def]
    def work(session: Session):  # type: ignore[no-untyped-def]
        return log.append("t", "screen", subject, "r", {"subject": subject}, session=session)

    return work


def _concurrent(store: Store) -> None:
    log = AuditLog(store)
    groups = LoopGroups(store)
    before = log.count()
    seen: list[int] = []

    async def client(worker: int) -> None:
        for n in range(25):
            record = await groups.commit(_appending(log, f"{worker}-{n}"))
            # Answered only after the commit: another connection already reads it.
            found = list(log.records(after_seq=record.seq - 1, limit=1))
            assert found and found[0].hash == record.hash
            seen.append(record.seq)
            await asyncio.sleep(0)

    async def main() -> None:
        await asyncio.gather(*(client(w) for w in range(6)))

    asyncio.run(main())
    assert sorted(seen) == list(range(before + 1, before + 151))  # gap-free, each once
    report = log.verify()
    assert report.ok and report.records == before + 150, report.problems
    assert groups.records == 150 and groups.groups < 150  # some records shared a commit


def test_concurrent_decisions_share_transactions_and_chain(store: Store) -> None:
    _concurrent(store)


@pytest.mark.postgres
def test_concurrent_decisions_share_transactions_on_postgresql(postgres_store: Store) -> None:
    _concurrent(postgres_store)


def test_a_failing_work_leaves_the_rest_of_its_group(store: Store) -> None:
    log = AuditLog(store)
    groups = LoopGroups(store)

    def failing(session: Session) -> None:
        log.append("t", "screen", "failing", "r", {}, session=session)
        raise ValueError("this decision cannot be recorded")

    async def main() -> list:
        works = [_appending(log, f"s{n}") for n in range(3)] + [failing] + [
            _appending(log, f"s{n}") for n in range(3, 6)]
        return await asyncio.gather(*(groups.commit(w) for w in works),
                                    return_exceptions=True)

    outcomes = asyncio.run(main())
    assert isinstance(outcomes[3], ValueError) and "cannot be recorded" in str(outcomes[3])
    records = outcomes[:3] + outcomes[4:]
    assert [r.subject for r in records] == [f"s{n}" for n in range(6)]
    assert [r.subject for r in log.records()] == [f"s{n}" for n in range(6)]  # not the failed
    assert groups.groups == 6 and log.verify().ok  # rolled back, then each alone


def test_cases_in_one_group_open_one_case_per_subject(store: Store) -> None:
    """Identical review decisions in one group open one case, as one at a time would."""
    groups = LoopGroups(store)
    cases = Cases(store, AuditLog(store), groups)
    match = {"subject": "Acme", "subject_key": "name:acme|", "subject_fingerprint": "f",
             "entry_id": "e1", "entry_fingerprint": "g", "list": "EL", "name": "Acme Ltd",
             "matched_name": "Acme Ltd", "score": 0.9, "countries": [],
             "federal_register": None}

    async def main() -> list:
        return await asyncio.gather(*(cases.commit_async(cases.recording(
            kind="screen", subject="Acme", decision="review", request={"name": "Acme"},
            result={"decision": "review"}, matches=[match], actor="t", request_id=f"r{n}",
            summary={"query": "Acme"})) for n in range(3)))

    ids = asyncio.run(main())
    assert groups.groups == 1
    assert ids[0] is not None and ids == [ids[0]] * 3
    actions = [r.action for r in AuditLog(store).records()]
    assert actions == ["screen", "case.open", "screen", "screen"]
    assert AuditLog(store).verify().ok


_WRITER = textwrap.dedent("""
    import asyncio, sys
    from exportguard.audit import AuditLog
    from exportguard.audit_group import LoopGroups
    from exportguard.store import Store

    store = Store(sys.argv[1])
    log = AuditLog(store)
    groups = LoopGroups(store)

    async def client(worker):
        n = 0
        while True:
            n += 1
            await groups.commit(lambda session, n=n: log.append(
                "killed", "screen", f"{worker}-{n}", "r", {"n": n, "pad": "x" * 500},
                session=session))

    async def main():
        print("started", flush=True)
        await asyncio.gather(*(client(w) for w in range(6)))

    asyncio.run(main())
""")


def _kill_while_writing(store: Store, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    log = AuditLog(store)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for round_ in range(3):
        before = log.count()
        process = subprocess.Popen([sys.executable, str(script), store.url], env=env,
                                   stdout=subprocess.PIPE, text=True)
        try:
            assert process.stdout is not None and process.stdout.readline() == "started\n"
            deadline = time.monotonic() + 60
            while log.count() < before + 50 + 40 * round_ and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.013 * round_)  # a different moment of the group each round
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(30)
        assert log.count() > before
        report = log.verify()
        assert report.ok, report.problems
        # The chain goes on from where the killed process left it.
        record = log.append("after", "screen", f"round {round_}", "r", {"round": round_})
        assert record.seq == report.head_seq + 1 and record.prev_hash == report.head_hash
        assert record.detail == canonical({"round": round_})
    assert log.verify().ok


def test_a_killed_writer_leaves_a_chain_that_verifies(store: Store, tmp_path: Path) -> None:
    _kill_while_writing(store, tmp_path)


@pytest.mark.postgres
def test_a_killed_writer_leaves_a_chain_that_verifies_on_postgresql(
        postgres_store: Store, tmp_path: Path) -> None:
    _kill_while_writing(postgres_store, tmp_path)
