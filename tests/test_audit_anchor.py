"""The audit chain anchored outside the database, and CLI decisions audited like API ones."""

from __future__ import annotations

import json
import time

from sqlalchemy import text
from typer.testing import CliRunner

from exportguard.audit import AuditLog
from exportguard.audit_anchor import anchor_path, read_anchors, verify_anchored, write_anchor
from exportguard.cli import app as cli_app
from exportguard.lists.loader import load_file
from exportguard.service.state import Limits
from exportguard.store import Store
from tests.conftest import CSL_SAMPLE
from tests.test_service import LISTED, Service


def _chain(store: Store, n: int) -> AuditLog:
    log = AuditLog(store)
    for i in range(n):
        log.append("tester", "screen", f"name {i}", f"r{i}", {"i": i})
    return log


def test_truncation_is_detected_against_the_anchor(store: Store, tmp_path) -> None:
    log = _chain(store, 6)
    anchor = tmp_path / "anchor.jsonl"
    seq, digest = log.head()
    write_anchor(anchor, store.url, seq, digest)
    write_anchor(anchor, "sqlite:///another.db", 99, "f" * 64)  # another database: ignored
    good = verify_anchored(log, path=anchor)
    assert good.ok and good.head_seq == 6 and good.anchor.startswith(f"6:{digest}")
    assert "1 anchor checked" in good.anchor
    with store.engine.begin() as connection:
        connection.execute(text("delete from audit_log where seq > 4"))
    cut = verify_anchored(log, path=anchor)
    assert not cut.ok and cut.head_seq == 4
    assert "the chain ends at #4 but #6 was anchored" in cut.problems[0]
    # The service goes on anchoring the regrown chain: the older anchor still tells.
    _chain(store, 3)
    write_anchor(anchor, store.url, *log.head())
    assert [a.seq for a in read_anchors(anchor, store.url)] == [6, 7]
    regrown = verify_anchored(log, path=anchor)
    assert regrown.ok is False
    assert regrown.problems == [
        f"record #6 does not carry the hash it was anchored with ({digest[:12]}…): records "
        "were removed and others written in their place"]


def test_audit_verify_cli_reports_head_and_anchor(store: Store, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EXPORTGUARD_DB", store.url)
    log = _chain(store, 3)
    anchor = tmp_path / "anchor.jsonl"
    write_anchor(anchor, store.url, *log.head())
    ok = CliRunner().invoke(cli_app, ["audit", "verify", "--anchor", str(anchor), "--json"])
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["head"] == f"3:{log.head()[1]}" and report["anchor"].startswith("3:")
    with store.engine.begin() as connection:
        connection.execute(text("delete from audit_log where seq = 3"))
    broken = CliRunner().invoke(cli_app, ["audit", "verify", "--anchor", str(anchor)])
    assert broken.exit_code == 1
    assert "records have been removed from the end" in broken.stderr


def test_the_service_writes_the_head_to_the_anchor_file(store: Store) -> None:
    service = Service(store, Limits(anchor_seconds=0.05))
    try:
        assert service.post("/screen", {"name": LISTED}).status_code == 200
        head = AuditLog(store).head()
        for _ in range(100):
            anchors = read_anchors(anchor_path(), store.url)
            found = anchors[-1] if anchors else None
            if found is not None and found.seq == head[0]:
                break
            time.sleep(0.05)
        assert found is not None and (found.seq, found.hash) == head
        verified = service.get("/audit/verify", "admin").json()
        assert verified["ok"] and verified["anchor"].startswith(f"{head[0]}:{head[1]}")
    finally:
        service.close()


def test_cli_decisions_are_audited_unless_no_audit(store: Store, monkeypatch) -> None:
    monkeypatch.setenv("EXPORTGUARD_DB", store.url)
    load_file(store, CSL_SAMPLE)
    runner = CliRunner()
    screened = runner.invoke(cli_app, ["screen", LISTED, "--json"])
    assert screened.exit_code == 0, screened.output
    setting = json.loads(screened.stdout)["audit"]
    assert setting["recorded"] is True and setting["actor"].startswith("cli:")
    last = list(AuditLog(store).records())[-1]
    assert (last.seq, last.action, last.subject) == (setting["seq"], "screen", LISTED)
    assert json.loads(last.detail)["decision"] == "match"
    invest = runner.invoke(cli_app, ["invest", "Hikvision", "--date", "2021-06-03"])
    assert invest.exit_code == 0 and "Audit record #" in invest.stdout
    assert list(AuditLog(store).records())[-1].action == "invest"
    count = AuditLog(store).count()
    scratch = runner.invoke(cli_app, ["screen", LISTED, "--json", "--no-audit"])
    assert json.loads(scratch.stdout)["audit"] == {"recorded": False, "setting": "--no-audit"}
    loaded = runner.invoke(cli_app, ["load", str(CSL_SAMPLE), "--force", "--no-audit"])
    assert loaded.exit_code == 0 and "Not audited (--no-audit)." in loaded.stdout
    assert AuditLog(store).count() == count
    assert AuditLog(store).verify().ok
