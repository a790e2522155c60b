"""Group commit of the audit chain (audit_group.py): the records of concurrent decisions share a
transaction, each caller hears back only once its record is committed, one failing work function
does not take the others down, and a process killed while it writes leaves a chain that verifies
and takes further records (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from exportguard.audit import AuditLog
from exportguard.audit_chain import canonical
from exportguard.audit_group import GroupWriter
from exportguard.cases import Cases
from exportguard.store import Store

SRC = Path(__file__).resolve().parents[1] / "src"


def _appending(log: AuditLog, subject: str):  # type: ignore[no-untyped-def]
    def work(session: Session):  # type: ignore[no-untyped-def]
        return log.append("t", "screen", subject, "r", {"subject": subject}, session=session)

    return work


def _concurrent(store: Store) -> None:
    log = AuditLog(store)
    writer = GroupWriter(store)
    before = log.count()
    errors: list[BaseException] = []
    seen: list[int] = []

    def client(worker: int) -> None:
        try:
            for n in range(25):
                record = writer.run(_appending(log, f"{worker}-{n}"))
                # Answered only after the commit: another connection already reads it.
                found = list(log.records(after_seq=record.seq - 1, limit=1))
                assert found and found[0].hash == record.hash
                seen.append(record.seq)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    assert errors == []
    assert sorted(seen) == list(range(before + 1, before + 151))  # gap-free, each once
    report = log.verify()
    assert report.ok and report.records == before + 150, report.problems
    assert writer.records == 150 and 1 <= writer.groups <= 150


def test_concurrent_decisions_share_transactions_and_chain(store: Store) -> None:
    _concurrent(store)


@pytest.mark.postgres
def test_concurrent_decisions_share_transactions_on_postgresql(postgres_store: Store) -> None:
    _concurrent(postgres_store)


def test_a_failing_work_leaves_the_rest_of_its_group(store: Store) -> None:
    log = AuditLog(store)
    writer = GroupWriter(store)
    gate = threading.Event()

    def held(session: Session) -> str:  # keeps the writer busy while the group queues up
        gate.wait(10)
        log.append("t", "screen", "held", "r", {}, session=session)
        return "held"

    def failing(session: Session) -> None:
        log.append("t", "screen", "failing", "r", {}, session=session)
        raise ValueError("this decision cannot be recorded")

    first = writer.submit(held)
    time.sleep(0.2)
    futures = [writer.submit(_appending(log, f"s{n}")) for n in range(3)]
    bad = writer.submit(failing)
    futures += [writer.submit(_appending(log, f"s{n}")) for n in range(3, 6)]
    gate.set()
    assert first.result(10) == "held"
    with pytest.raises(ValueError, match="cannot be recorded"):
        bad.result(10)
    records = [f.result(10) for f in futures]
    writer.close()
    assert [r.subject for r in records] == [f"s{n}" for n in range(6)]
    subjects = [r.subject for r in log.records()]
    assert subjects == ["held"] + [f"s{n}" for n in range(6)]  # nothing of the failed one
    assert log.verify().ok


def test_cases_through_the_writer_open_one_case_per_subject(store: Store) -> None:
    """Two identical review decisions in one group open one case, as one at a time would."""
    writer = GroupWriter(store)
    cases = Cases(store, AuditLog(store), writer)
    match = {"subject": "Acme", "subject_key": "name:acme|", "subject_fingerprint": "f",
             "entry_id": "e1", "entry_fingerprint": "g", "list": "EL", "name": "Acme Ltd",
             "matched_name": "Acme Ltd", "score": 0.9, "countries": [],
             "federal_register": None}
    gate = threading.Event()
    writer.submit(lambda session: gate.wait(10))
    futures = [writer.submit(cases.recording(
        kind="screen", subject="Acme", decision="review", request={"name": "Acme"},
        result={"decision": "review"}, matches=[match], actor="t", request_id=f"r{n}",
        summary={"query": "Acme"})) for n in range(3)]
    gate.set()
    ids = [f.result(10) for f in futures]
    writer.close()
    assert ids[0] is not None and ids == [ids[0]] * 3
    actions = [r.action for r in AuditLog(store).records()]
    assert actions == ["screen", "case.open", "screen", "screen"]
    assert AuditLog(store).verify().ok


_WRITER = textwrap.dedent("""
    import sys, threading
    from exportguard.audit import AuditLog
    from exportguard.audit_group import GroupWriter
    from exportguard.store import Store

    store = Store(sys.argv[1])
    log = AuditLog(store)
    writer = GroupWriter(store)

    def client(worker):
        n = 0
        while True:
            n += 1
            writer.run(lambda session, n=n: log.append(
                "killed", "screen", f"{worker}-{n}", "r", {"n": n, "pad": "x" * 500},
                session=session))

    for worker in range(6):
        threading.Thread(target=client, args=(worker,), daemon=True).start()
    print("started", flush=True)
    threading.Event().wait()
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
