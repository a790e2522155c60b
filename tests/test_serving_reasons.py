"""`lists` explains which snapshot serves each list: the rule, and for each list the copies
weighed, the 90 % full-copy share and the day each speaks for."""

from __future__ import annotations

import copy
from datetime import date

from typer.testing import CliRunner

from exportguard.cli import app
from exportguard.lists.base import unique_keys
from exportguard.lists.csl import CslCsvParser
from exportguard.lists.history import serving_reasons
from exportguard.views import lists_view
from tests.conftest import CSL_SAMPLE
from tests.test_history import _save


def test_serving_reasons_name_the_copies_and_the_rule(store, monkeypatch) -> None:
    sample = list(unique_keys(CslCsvParser().entries(CSL_SAMPLE)))
    sdn = [copy.deepcopy(e) for e in sample if e.list_code == "SDN"][:5]
    old = _save(store, sdn, date(2021, 1, 1), source="ofac-sdn")
    new = _save(store, sdn, date(2026, 7, 31), source="csl")
    partial = _save(store, sdn[:1], date(2026, 11, 1), source="ftm")
    counts = store.list_counts([old.id, new.id, partial.id])
    why = serving_reasons([old, new, partial], counts)["SDN"]
    assert why == (f"#{new.id} csl (5 entries, speaks for 2026-07-31): of 3 official copies, "
                   "the one speaking for the latest day among those holding at least 90% of "
                   f"the largest (5); too small: #{partial.id} ftm (1)")
    view = lists_view(store).to_dict()
    assert view["serving"]["SDN"] == new.id
    assert view["serving_why"]["SDN"] == why
    assert "at least 90 % of the largest copy" in view["serving_rule"]
    assert view["serving_why"]["FCC"].endswith("no official snapshot carries FCC; the built-in "
                                               "starter set stands in")
    monkeypatch.setenv("EXPORTGUARD_DB", store.url)
    text = CliRunner().invoke(app, ["lists"], env={"COLUMNS": "400"})
    assert text.exit_code == 0, text.output
    assert f"SDN: {why}" in text.stdout
