"""The HTTP service: API shapes, keys and roles, limits, review cases with remembered cleared
pairs, and the hash-chained audit log, on the reference CSL sample (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import json
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from exportguard.access import Access
from exportguard.audit import AuditLog, verify_export
from exportguard.cli import app as cli_app
from exportguard.lists.loader import load_file
from exportguard.service.app import create_app
from exportguard.service.state import Limits
from exportguard.store import Store
from tests.conftest import CSL_SAMPLE

NEAR_MISS = "Gulf Gate Speditoin GmbH"  # one transposition from the EL entry below
LISTED = "Gulf Gate Spedition GmbH"  # EL, Austria, in the CSL sample


class Service:
    """A test client on a store with the CSL sample loaded and one key per role."""

    def __init__(self, store: Store, limits: Limits | None = None) -> None:
        load_file(store, CSL_SAMPLE)
        self.store = store
        access = Access(store)
        self.secrets = {role: access.create_key(f"{role}-key", role)[1]
                        for role in ("screener", "reviewer", "admin")}
        self.client = TestClient(create_app(store, limits))
        self.client.__enter__()

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[role]}"}

    def post(self, path: str, body: object, role: str = "screener",
             headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(f"/api/v1{path}", json=body,
                                headers={**self.headers(role), **(headers or {})})

    def get(self, path: str, role: str = "screener", **kw):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/v1{path}", headers=self.headers(role), **kw)

    def close(self) -> None:
        self.client.__exit__(None, None, None)


@pytest.fixture
def service(store: Store):
    s = Service(store)
    yield s
    s.close()


def test_screen_answers_with_the_cli_shape(service: Service, store: Store, monkeypatch) -> None:
    monkeypatch.setenv("EXPORTGUARD_DB", store.url)
    api = service.post("/screen", {"name": LISTED, "country": "AT"})
    assert api.status_code == 200
    body = api.json()
    cli = CliRunner().invoke(cli_app, ["screen", LISTED, "--country", "AT", "--json"])
    assert cli.exit_code == 0, cli.output
    printed = json.loads(cli.stdout)
    assert printed.pop("audit")["recorded"] is True  # the CLI's decision is audited too
    extra = {"case_id", "cleared_matches", "request_id"}
    assert set(body) - extra == set(printed)
    assert {k: v for k, v in body.items() if k not in extra} == printed
    assert body["decision"] == "match" and body["case_id"] is None
    assert body["matches"][0]["name"] == LISTED and body["matches"][0]["list"] == "EL"
    assert body["request_id"] == api.headers["x-request-id"]


def test_keys_roles_and_nothing_leaked(service: Service) -> None:
    missing = service.client.post("/api/v1/screen", json={"name": "x"})
    assert missing.status_code == 401 and "WWW-Authenticate" in missing.headers
    forged = service.client.post("/api/v1/screen", json={"name": "x"},
                                 headers={"X-API-Key": "eg_" + "A" * 43})
    garbage = service.client.post("/api/v1/screen", json={"name": "x"},
                                  headers={"Authorization": "Bearer ' OR 1=1 --"})
    assert forged.status_code == garbage.status_code == 401
    assert forged.json()["error"]["message"] == garbage.json()["error"]["message"] == \
        "the API key is not valid"
    assert service.get("/cases").status_code == 403  # a screener may not review
    assert service.get("/keys", "reviewer").status_code == 403
    forbidden = service.post("/cases/1/decision", {"action": "clear", "note": "x"})
    assert forbidden.status_code == 403
    assert "reviewer" in forbidden.json()["error"]["message"]
    # An admin creates a key, it works, it is revoked, it stops working.
    made = service.post("/keys", {"name": "order-system", "role": "screener"}, "admin")
    assert made.status_code == 201 and made.json()["secret"].startswith("eg_")
    headers = {"X-API-Key": made.json()["secret"]}
    assert service.client.post("/api/v1/screen", json={"name": "Acme"},
                               headers=headers).status_code == 200
    assert service.client.delete(f"/api/v1/keys/{made.json()['id']}",
                                 headers=service.headers("admin")).status_code == 200
    revoked = service.client.post("/api/v1/screen", json={"name": "Acme"}, headers=headers)
    assert revoked.status_code == 401
    listed = service.get("/keys", "admin").json()["keys"]
    assert all("secret" not in k and "digest" not in k for k in listed)
    with service.store._sessions() as session:
        stored = session.execute(text("select digest from api_keys")).scalars().all()
    assert made.json()["secret"] not in stored and len(stored) == 4


def test_bad_input_names_the_field(service: Service) -> None:
    cases = [
        ({"name": "x" * 1001}, "name"),
        ({"name": "Acme", "limit": "many"}, "limit"),
        ({"name": "Acme", "country": "XX"}, "country"),
        ({"name": "Acme", "as_of": "2025-02-30"}, "as_of"),
        ({"name": "Acme", "lists": "EL,NOPE"}, "lists"),
        ({"name": "Acme", "surprise": 1}, "surprise"),
        ({"name": "   "}, "name"),
    ]
    for body, field in cases:
        answer = service.post("/screen", body)
        assert answer.status_code == 422, (body, answer.text)
        error = answer.json()["error"]
        assert error["field"] == field, (body, error)
        assert error["request_id"] == answer.headers["x-request-id"]
    broken = service.client.post("/api/v1/screen", content=b'{"name": "Acme"',
                                 headers={**service.headers("screener"),
                                          "content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["error"]["field"] == "body"
    nul = service.post("/screen", {"name": "Ac\u0000me"})
    assert nul.status_code == 422 and nul.json()["error"]["field"] == "body"
    missing_case = service.get("/cases/999", "reviewer")
    assert missing_case.status_code == 404
    assert service.get("/cases/99999999999", "reviewer").status_code == 422


def test_body_batch_and_rate_limits(store: Store) -> None:
    service = Service(store, Limits(max_body_bytes=2_000, max_batch_rows=3, rate_per_second=50))
    try:
        big = service.post("/screen", {"name": "A" * 900, "country": "B" * 1500})
        assert big.status_code == 413 and big.json()["error"]["field"] == "body"

        def chunks():  # no Content-Length: the limit holds on the bytes received
            for _ in range(10):
                yield b" " * 500

        streamed = service.client.post("/api/v1/screen", content=chunks(),
                                       headers={**service.headers("screener"),
                                                "content-type": "application/json"})
        assert streamed.status_code == 413
        rows = [{"name": "Acme"}] * 4
        too_many = service.post("/batches", {"rows": rows})
        assert too_many.status_code == 413 and too_many.json()["error"]["field"] == "rows"
        slow = Access(store).create_key("slow", "screener", rate_per_second=1)[1]
        codes = [service.client.post("/api/v1/screen", json={"name": "Acme"},
                                     headers={"X-API-Key": slow}).status_code
                 for _ in range(4)]
        assert codes[:2] == [200, 200] and codes[-1] == 429
        limited = service.client.post("/api/v1/screen", json={"name": "Acme"},
                                      headers={"X-API-Key": slow})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        # Another key is not slowed down by this one.
        assert service.post("/screen", {"name": "Acme"}).status_code == 200
    finally:
        service.close()


def test_request_ids_are_echoed_and_audited(service: Service) -> None:
    given = service.post("/screen", {"name": "Acme"}, headers={"X-Request-ID": "order-4711.a"})
    assert given.headers["x-request-id"] == "order-4711.a"
    assert given.json()["request_id"] == "order-4711.a"
    hostile = service.client.post("/api/v1/screen", json={"name": "Acme"},
                                  headers={**service.headers("screener"),
                                           "X-Request-ID": "<script>"})
    assert hostile.headers["x-request-id"] != "<script>"
    assert len(hostile.headers["x-request-id"]) == 32
    records = list(AuditLog(service.store).records())
    assert [r.request_id for r in records if r.action == "screen"] == \
        ["order-4711.a", hostile.headers["x-request-id"]]


def _decide(service: Service, case_id: int, action: str, note: str, role: str = "reviewer"):  # type: ignore[no-untyped-def]
    return service.post(f"/cases/{case_id}/decision", {"action": action, "note": note}, role)


def _review_flow(service: Service, tmp_path: Path) -> None:
    first = service.post("/screen", {"name": NEAR_MISS, "country": "AT", "customer_id": "c-17"})
    body = first.json()
    assert body["decision"] == "review", body
    assert body["matches"][0]["name"] == LISTED and body["matches"][0]["score"] < 0.999
    case_id = body["case_id"]
    case = service.get(f"/cases/{case_id}", "reviewer").json()
    assert case["status"] == "open" and case["subject"] == NEAR_MISS
    assert case["matches"][0]["name"] == LISTED
    queue = service.get("/cases?status=open", "reviewer").json()
    assert [c["id"] for c in queue["cases"]] == [case_id] and queue["counts"]["open"] == 1

    # Asked again before anyone reviewed: the same case, not a second one in the queue.
    repeat = service.post("/screen", {"name": NEAR_MISS, "country": "AT", "customer_id": "c-17"})
    assert repeat.json()["case_id"] == case_id

    no_note = _decide(service, case_id, "clear", "   ")
    assert no_note.status_code == 422 and no_note.json()["error"]["field"] == "note"
    note = "Different company: Gulf Gate is in Vienna, our customer in Graz; <b>checked</b> '--"
    cleared = _decide(service, case_id, "clear", note)
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    assert cleared.json()["note"] == note and cleared.json()["decided_by"] == "reviewer-key"
    again = _decide(service, case_id, "confirm", "changed my mind")
    assert again.status_code == 422 and "final" in again.json()["error"]["message"]

    # The same customer, unchanged: not raised again, and the answer says why.
    second = service.post("/screen", {"name": NEAR_MISS, "country": "AT", "customer_id": "c-17"})
    assert second.json()["decision"] == "clear" and second.json()["case_id"] is None
    assert [(m["name"], m["cleared_by_case"]) for m in second.json()["cleared_matches"]] == \
        [(LISTED, case_id)]
    # The customer's side changed (renamed in the order system): raised again.
    moved = service.post("/screen", {"name": "Gulf-Gate Speditoin GmbH", "country": "AT",
                                     "customer_id": "c-17"})
    assert moved.json()["decision"] == "review" and moved.json()["case_id"] > case_id
    # The list side changed (the entry's address amended in a new snapshot): raised again.
    amended = tmp_path / "amended.csv"
    with CSL_SAMPLE.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        rows = list(reader)
        columns = reader.fieldnames
    assert columns is not None
    changed = [r for r in rows if r["name"] == LISTED]
    assert len(changed) == 1
    changed[0]["addresses"] = "Wagramer Strasse 19, Vienna, AT"
    with amended.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    load_file(service.store, amended)
    service.client.app.state.service.settle()  # look for the new snapshot now
    relisted = service.post("/screen", {"name": NEAR_MISS, "country": "AT",
                                        "customer_id": "c-17"})
    assert relisted.json()["decision"] == "review", relisted.json()
    assert relisted.json()["cleared_matches"] == []

    # Escalate, then confirm.
    escalated = _decide(service, moved.json()["case_id"], "escalate", "same street, ask legal")
    assert escalated.json()["status"] == "escalated"
    confirmed = _decide(service, moved.json()["case_id"], "confirm", "legal: it is them", "admin")
    assert confirmed.json()["status"] == "confirmed"

    actions = [r.action for r in AuditLog(service.store).records()]
    assert actions == [
        "screen", "case.open", "screen", "case.clear", "screen", "screen", "case.open", "screen",
        "case.open", "case.escalate", "case.confirm"]
    clear_record = next(r for r in AuditLog(service.store).records() if r.action == "case.clear")
    assert json.loads(clear_record.detail)["note"] == note
    assert AuditLog(service.store).verify().ok


def test_review_workflow_and_remembered_pairs(service: Service, tmp_path: Path) -> None:
    _review_flow(service, tmp_path)


@pytest.mark.postgres
def test_review_workflow_on_postgresql(postgres_store: Store, tmp_path: Path) -> None:
    service = Service(postgres_store)
    try:
        _review_flow(service, tmp_path)
        _concurrent_appends(postgres_store)
    finally:
        service.close()


def test_check_opens_a_case_for_a_possible_party_match(service: Service) -> None:
    answer = service.post("/check", {"destination": "AT", "item": "H100", "date": "2025-06-01",
                                     "parties": [{"name": NEAR_MISS, "country": "AT"}]})
    memo = answer.json()
    assert answer.status_code == 200, memo
    assert memo["decision"] == "review" and memo["case_id"] is not None
    assert "possible-match" in [r["rule_id"] for r in memo["reasons"]]
    case = service.get(f"/cases/{memo['case_id']}", "reviewer").json()
    assert case["kind"] == "check" and case["matches"][0]["name"] == LISTED
    assert _decide(service, case["id"], "clear", "not them").status_code == 200
    again = service.post("/check", {"destination": "AT", "item": "H100", "date": "2025-06-01",
                                    "parties": [{"name": NEAR_MISS, "country": "AT"}]}).json()
    assert "possible-match" not in [r["rule_id"] for r in again["reasons"]]
    assert again["parties"][0]["cleared_matches"][0]["cleared_by_case"] == case["id"]
    assert again["decision"] == "no_license_required" and again["case_id"] is None


def test_injection_is_stored_and_returned_verbatim(service: Service) -> None:
    customer = "x'; DELETE FROM audit_log; --"
    case_id = service.post("/screen", {"name": NEAR_MISS, "country": "AT",
                                       "customer_id": customer}).json()["case_id"]
    note = "<img src=x onerror=alert(1)> '; UPDATE cases SET status='cleared' --"
    decided = _decide(service, case_id, "escalate", note).json()
    assert decided["note"] == note and decided["status"] == "escalated"
    assert decided["request"]["customer_id"] == customer
    name = "Robert'); DROP TABLE cases;-- <script>alert(1)</script>"
    body = service.post("/screen", {"name": name})
    assert body.status_code == 200 and body.json()["query"] == name
    with service.store._sessions() as session:
        assert session.execute(text("select count(*) from cases")).scalar() == 1
        assert session.execute(text("select status from cases")).scalar() == "escalated"
    actions = [(r.action, r.subject) for r in AuditLog(service.store).records()]
    assert actions == [("screen", NEAR_MISS), ("case.open", f"case #{case_id}"),
                       ("case.escalate", f"case #{case_id}"), ("screen", name)]
    assert AuditLog(service.store).verify().ok


def test_batch_submission_and_status(service: Service) -> None:
    rows = [{"id": "a", "name": LISTED, "country": "AT"}, {"id": "b", "name": "x" * 5},
            {"id": "c", "name": "%%%"}, {"id": "d", "name": NEAR_MISS}]
    submitted = service.post("/batches", {"rows": rows})
    assert submitted.status_code == 202
    url = submitted.json()["status_url"].removeprefix("/api/v1")
    for _ in range(100):
        status = service.get(url).json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert status["status"] == "done" and status["done"] == 4
    results = status["results"]
    assert [r["id"] for r in results] == ["a", "b", "c", "d"]
    assert results[0]["decision"] == "match" and results[0]["best_match_name"] == LISTED
    assert results[2]["decision"] == "error" and "name" in results[2]["error"]
    assert results[3]["decision"] == "review"
    single = service.post("/screen", {"name": NEAR_MISS}).json()
    assert results[3]["best_score"] == single["matches"][0]["score"]


def _tamper(store: Store, sql: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(sql))


def test_audit_chain_detects_edits_deletions_and_truncation(service: Service,
                                                            tmp_path: Path) -> None:
    for name in ("Acme", LISTED, NEAR_MISS, "Globex"):
        service.post("/screen", {"name": name})
    log = AuditLog(service.store)
    report = log.verify()
    assert report.ok and report.records == 5  # four screens and one case.open
    head = f"{report.head_seq}:{report.head_hash}"
    runner = CliRunner()
    env = {"EXPORTGUARD_DB": service.store.url}
    ok = runner.invoke(cli_app, ["audit", "verify"], env=env)
    assert ok.exit_code == 0 and f"{report.head_seq}:{report.head_hash}" in ok.stdout

    _tamper(service.store, "update audit_log set subject = 'Someone else' where seq = 2")
    edited = log.verify()
    assert not edited.ok and edited.problems == [
        "record #2 was altered: its content no longer matches its hash"]
    assert runner.invoke(cli_app, ["audit", "verify"], env=env).exit_code == 1
    _tamper(service.store, f"update audit_log set subject = '{LISTED}' where seq = 2")
    assert log.verify().ok

    _tamper(service.store, "delete from audit_log where seq = 3")
    deleted = log.verify()
    assert not deleted.ok
    assert any("#3..#3 are missing" in p for p in deleted.problems)
    assert any("record #4 does not follow" in p for p in deleted.problems)

    # Removing the newest record leaves a valid chain; only the head kept elsewhere shows it.
    fresh = tmp_path / "fresh.db"
    other = Store(f"sqlite:///{fresh}")
    chain = AuditLog(other)
    for n in range(3):
        chain.append("t", "screen", f"n{n}", "r", {"n": n})
    kept = chain.verify()
    _tamper(other, "delete from audit_log where seq = 3")
    assert chain.verify().ok
    truncated = chain.verify(f"{kept.head_seq}:{kept.head_hash}")
    assert not truncated.ok and "removed from the end" in truncated.problems[0]
    other.close()
    assert not log.verify(head).ok


def test_audit_export_is_signed_off_and_neutralises_formulas(service: Service,
                                                             tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    service.post("/screen", {"name": formula + " Acme"})
    service.post("/screen", {"name": "@SUM(A1:A9) Globex", "customer_id": "+1 555"})
    today = time.strftime("%Y-%m-%d", time.gmtime())
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(cli_app, ["audit", "export", "--from", today, "--to", today,
                                          "--out", str(out), "--by", "Jane Auditor"],
                                env={"EXPORTGUARD_DB": service.store.url})
    assert result.exit_code == 0, result.output
    cells = [cell for row in csv.reader(out.open(encoding="utf-8")) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'" + formula + " Acme" in cells
    signoff = json.loads((tmp_path / "audit.csv.signoff.json").read_text())
    assert signoff["records"] == 2 and signoff["exported_by"] == "Jane Auditor"
    assert signoff["anchor_prev_hash"] == "0" * 64 and signoff["chain"]["ok"]
    assert verify_export(out).ok
    checked = CliRunner().invoke(cli_app, ["audit", "verify", "--file", str(out)],
                                 env={"EXPORTGUARD_DB": service.store.url})
    assert checked.exit_code == 0, checked.output
    # The file's own check, not the database's head or anchor.
    assert "audit.csv matches its sign-off (audit.csv.signoff.json): 2 records" in checked.output
    assert "anchor" not in checked.output and "Head" not in checked.output
    # The export itself is audited.
    assert [r.action for r in AuditLog(service.store).records()][-1] == "audit.export"
    out.write_text(out.read_text(encoding="utf-8").replace("Globex", "Globez"), encoding="utf-8")
    broken = verify_export(out)
    assert not broken.ok and "SHA-256 mismatch" in broken.problems[0]
    api = service.get(f"/audit/export?from={today}&to={today}&format=csv", "admin")
    assert api.status_code == 200 and api.headers["x-audit-records"] == "3"
    assert "'=HYPERLINK" in api.text and "\n=HYPERLINK" not in api.text
    assert service.get(f"/audit/export?from={today}&to={today}", "reviewer").status_code == 403
    backwards = service.get(f"/audit/export?from={today}&to=2020-01-01", "admin")
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "to"


@pytest.mark.parametrize("path", ["/audit?from={day}", "/audit/export?from={day}&to=2030-01-01"])
@pytest.mark.parametrize("day", ["0", "86400", "2026-01-01T00:00:00", "2026-1-1"])
def test_audit_dates_are_calendar_days_only(service: Service, path: str, day: str) -> None:
    """'0' would otherwise be read as a Unix time (1970-01-01) and a date and time as its day."""
    answer = service.get(path.format(day=day), "admin")
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == "from" and "YYYY-MM-DD" in error["message"], error
    assert service.get(path.format(day="2026-01-01"), "admin").status_code == 200


def _concurrent_appends(store: Store) -> None:
    log = AuditLog(store)
    before = log.count()
    errors: list[Exception] = []

    def work(worker: int) -> None:
        try:
            for n in range(25):
                log.append(f"w{worker}", "screen", f"{worker}-{n}", "r", {"n": n})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = log.verify()
    assert report.ok and report.records == before + 100


def test_concurrent_writers_never_fork_the_chain(store: Store) -> None:
    _concurrent_appends(store)


def test_lists_history_diff_and_ownership_endpoints(service: Service, tmp_path: Path) -> None:
    lists = service.get("/lists").json()
    sample = next(s for s in lists["snapshots"] if s["source"] != "starter")
    assert sample["entry_count"] == 115 and lists["serving"]["EL"] == sample["id"]
    assert service.get(f"/snapshots/{sample['id']}").json()["entry_count"] == 115
    history = service.get("/history", params={"name": LISTED}).json()
    assert history["entries"][0]["name"] == LISTED
    diff = service.get("/diff")
    assert diff.status_code == 422  # one snapshot of the source: nothing to compare with
    graph = tmp_path / "graph.csv"
    graph.write_text("owner,owned,percent,as_of,source\n"
                     f"{LISTED},Gulf Gate Holding Graz GmbH,60,2024-01-01,test filing\n",
                     encoding="utf-8")
    assert CliRunner().invoke(cli_app, ["ownership", "import", str(graph)],
                              env={"EXPORTGUARD_DB": service.store.url}).exit_code == 0
    owners = service.get("/ownership", params={"name": "Gulf Gate Holding Graz GmbH",
                                               "date": "2025-10-01"})
    assert owners.status_code == 200, owners.text
    assert owners.json()["company"]["name"] == "Gulf Gate Holding Graz GmbH"
    unknown = service.get("/ownership", params={"name": "Nobody Ltd"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "name"


def test_classify_and_invest(service: Service) -> None:
    h100 = service.post("/classify", {"item": "H100", "date": "2023-11-17"}).json()
    assert h100["eccn"].startswith("3A090") and h100["paragraph"] == "3A090.a.1"
    figures = service.post("/classify", {"figures": {"tpp": 4800, "die_area": 600,
                                                     "datacenter": True},
                                         "date": "2023-11-17"}).json()
    assert figures["paragraph"] == "3A090.a.1"
    both = service.post("/classify", {"item": "H100", "figures": {"tpp": 1}})
    assert both.status_code == 422 and both.json()["error"]["field"] == "item"
    invest = service.post("/invest", {"security": "Hikvision", "date": "2021-06-03"})
    assert invest.status_code == 200 and invest.json()["decision"] != "not_listed"


def test_openapi_document_lists_the_api(service: Service) -> None:
    spec = service.client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/v1/screen", "/api/v1/check", "/api/v1/classify", "/api/v1/invest",
            "/api/v1/batches", "/api/v1/batches/{batch_id}", "/api/v1/lists",
            "/api/v1/history", "/api/v1/diff", "/api/v1/ownership", "/api/v1/cases",
            "/api/v1/cases/{case_id}/decision", "/api/v1/audit", "/api/v1/audit/export",
            "/api/v1/keys"} <= paths
    assert not any(p.startswith("/cases") or p == "/" for p in paths)  # pages stay out
