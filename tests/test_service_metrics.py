"""/metrics in the Prometheus text format: request counts and latency by route template, screens
and checks by decision, and each list source's age; parsed with prometheus_client's own parser."""

from __future__ import annotations

from datetime import date

from prometheus_client.parser import text_string_to_metric_families

from exportguard.store import Store
from tests.test_service import LISTED, Service


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_count_requests_decisions_and_list_ages(store: Store) -> None:
    service = Service(store)
    try:
        before = _samples(service.client.get("/metrics").text)
        key = ("exportguard_decisions_total", (("decision", "match"), ("kind", "screen")))
        assert service.post("/screen", {"name": LISTED}).json()["decision"] == "match"
        assert service.post("/screen", {"name": LISTED}).status_code == 200
        assert service.client.get("/api/v1/cases/9999",
                                  headers=service.headers("reviewer")).status_code == 404
        answer = service.client.get("/metrics")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/plain; version=")
        after = _samples(answer.text)
        assert after[key] - before.get(key, 0.0) == 2
        requests = ("exportguard_http_requests_total",
                    (("method", "POST"), ("route", "/api/v1/screen"), ("status", "200")))
        assert after[requests] - before.get(requests, 0.0) == 2
        # The route template, never the raw path: one label for every case number.
        missing = ("exportguard_http_requests_total",
                   (("method", "GET"), ("route", "/api/v1/cases/{case_id}"), ("status", "404")))
        assert after[missing] >= 1
        latency = ("exportguard_http_request_seconds_count",
                   (("method", "POST"), ("route", "/api/v1/screen")))
        assert after[latency] >= 2
        # Both decisions were recorded by the group commit, in one or two transactions.
        records = after[("exportguard_audit_group_records", ())]
        commits = after[("exportguard_audit_group_commits", ())]
        assert records - before[("exportguard_audit_group_records", ())] == 2
        assert 1 <= commits - before[("exportguard_audit_group_commits", ())] <= 2
        # The CSL sample loaded today speaks for its own date or today: its age is whole days.
        csl = [s for s in store.snapshots() if s.source == "csl"][-1]
        age = after[("exportguard_list_age_days", (("source", "csl"),))]
        assert age == (date.today() - csl.speaks_for).days
        assert after[("exportguard_list_entries", (("source", "csl"),))] == 115
    finally:
        service.close()
