"""The watchlist: customer import, delta re-screening after a list change, alerts."""

import copy
import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from exportguard.cli import app
from exportguard.errors import ListFileError
from exportguard.screening.loaded import current_screener
from exportguard.store.snapshots import SnapshotHeader
from exportguard.store.watchlist import WatchlistStore
from exportguard.watch import import_customers, read_customers, rescreen
from exportguard.watch.rescreen import plan_rescreen

runner = CliRunner()

ADDED = (
    "Beijing Sensetime Technology Development Co., Ltd.",
    "Megvii Technology",
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
)


@pytest.fixture(scope="module")
def china_el(csl_entries):
    return [e for e in csl_entries if e.list_code == "EL" and "CN" in e.countries]


def _save(store, entries, day, checksum):
    header = SnapshotHeader(source="csl", format="csl-compact", origin="test", checksum=checksum,
                            generated_at=datetime(2026, 1, day, tzinfo=UTC))
    return store.save_snapshot(header, [copy.deepcopy(e) for e in entries])


def _customers(tmp_path, rows, header="id,name,country"):
    path = tmp_path / "customers.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _book(china_el):
    """Customers: variants of three entries the update adds, exact names of entries already
    listed, and ordinary companies."""
    rows = [
        "c1,Beijing SenseTime Technology Development Co Ltd,CN",
        "c2,MEGVII TECHNOLOGY LIMITED,CN",
        "c3,北京市商汤科技开发有限公司,CN",
        "c4,Hangzhou Hikvision Digital Technology Company Limited,CN",
    ]
    kept = [e for e in china_el if e.name not in ADDED][:30]
    rows += [f"k{n},\"{e.name}\",CN" for n, e in enumerate(kept)]
    rows += [f"o{n},\"{name}\",{cc}" for n, (name, cc) in enumerate([
        ("Toyota Motor Corporation", "JP"), ("Siemens AG", "DE"), ("Acme Widgets LLC", "US"),
        ("Shenzhen Sunrise Garments Co., Ltd.", "CN"), ("Banco Santander S.A.", "ES"),
    ])]
    return rows, kept


def test_delta_rescreen_finds_exactly_what_a_full_rescreen_finds(store, tmp_path, china_el):
    rows, kept = _book(china_el)
    before = [e for e in china_el if e.name not in ADDED]
    after = list(china_el)
    changed = next(e for e in after if e.name == kept[0].name)
    after = [copy.deepcopy(e) for e in after]
    target = next(e for e in after if e.key == changed.key)
    target.license_policy = "Presumption of denial (test change)."
    removed_key = kept[1].key
    after = [e for e in after if e.key != removed_key]
    _save(store, before, 1, "a")
    run, _ = import_customers(store, read_customers(_customers(tmp_path, rows)))
    assert run.kind == "import" and run.customers_screened == len(rows)
    hits_before = WatchlistStore(store).hits()

    _save(store, after, 2, "b")
    watch = WatchlistStore(store)
    plan = plan_rescreen(store, watch, current_screener(store), full=False)
    assert plan.kind == "delta"
    assert len(plan.customer_ids) < len(rows)
    delta = rescreen(store)
    assert delta.kind == "delta"
    alerts = watch.alerts(run_id=delta.id)
    new = {(a.customer_ref, a.entry_name) for a in alerts if a.kind == "new"}
    assert ("c1", "Beijing Sensetime Technology Development Co., Ltd.") in new
    assert ("c3", "Beijing Sensetime Technology Development Co., Ltd.") in new
    assert ("c2", "Megvii Technology") in new
    assert any(ref == "c4" and "Hikvision" in name for ref, name in new)
    assert {a.customer_ref for a in alerts if a.kind == "cleared"} >= {"k1"}
    changes = [a for a in alerts if a.kind == "changed"]
    assert any(a.customer_ref == "k0" and "license_policy" in a.detail["fields"]
               for a in changes)
    assert not any(a.customer_ref.startswith("o") for a in alerts)
    delta_hits = watch.hits()

    # The same book screened in full against the new lists gives the same hits.
    full = rescreen(store, full=True)
    assert full.kind == "full" and full.customers_screened == len(rows)
    assert full.cause == "asked for"  # printed as "(full; asked for)", not "(full; full re-screen)"
    assert full.new_hits == 0 and full.cleared_hits == 0
    assert {c: set(h) for c, h in watch.hits().items()} == \
        {c: set(h) for c, h in delta_hits.items()}
    assert hits_before != delta_hits
    # Nothing changed since: nothing to do.
    assert rescreen(store) is None


def test_import_refuses_bad_rows_and_stores_nothing(store, tmp_path):
    path = _customers(tmp_path, ["1,Good Co,DE", "2,,CN", "3,Bad Country Ltd,XX", "1,Again,US"])
    with pytest.raises(ListFileError) as info:
        read_customers(path)
    text = str(info.value)
    assert "3 bad row(s), nothing imported" in text
    assert "line 3, column 'name': is empty" in text
    assert "line 4, column 'country'" in text and "'XX'" in text
    assert "line 5, column 'id': id '1' repeats line 2" in text
    with pytest.raises(ListFileError, match="no 'name' column"):
        read_customers(_customers(tmp_path, ["1,x"], header="id,company"))
    assert read_customers(_customers(tmp_path, ["1,x"], header="id,company"),
                          name_column="company")[0].name == "x"
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ListFileError, match="no header"):
        read_customers(empty)
    assert WatchlistStore(store).customer_count() == 0


def test_reimport_updates_changed_customers_only(store, tmp_path, china_el):
    _save(store, china_el, 1, "a")
    first, _ = import_customers(store, read_customers(_customers(
        tmp_path, ["1,Toyota Motor Corporation,JP", "2,Siemens AG,DE"])))
    assert first.customers_screened == 2 and first.new_hits == 0
    second, removed = import_customers(store, read_customers(_customers(
        tmp_path, ["1,Toyota Motor Corporation,JP", "2,Megvii Technology,CN"])), replace=True)
    assert second.customers_screened == 1 and removed == 0
    assert second.new_hits >= 1
    _, removed = import_customers(store, read_customers(_customers(
        tmp_path, ["1,Toyota Motor Corporation,JP"])), replace=True)
    assert removed == 1 and WatchlistStore(store).customer_count() == 1


def test_customers_and_alerts_cli(tmp_path):
    path = _customers(tmp_path, ["a1,Hikvision,CN", "a2,Siemens AG,DE"])
    imported = runner.invoke(app, ["customers", "import", str(path), "--json"])
    assert imported.exit_code == 0, imported.output
    run = json.loads(imported.stdout)["run"]
    assert run["customers_screened"] == 2 and run["new_hits"] >= 1
    listed = json.loads(runner.invoke(app, ["alerts", "--json"]).stdout)
    assert {a["customer"] for a in listed["alerts"]} == {"a1"}
    assert all(a["kind"] == "new" for a in listed["alerts"])
    acked = runner.invoke(app, ["alerts", "--ack"])
    assert acked.exit_code == 0
    assert json.loads(runner.invoke(app, ["alerts", "--json"]).stdout)["alerts"] == []
    shown = json.loads(runner.invoke(app, ["customers", "list", "--hits", "--json"]).stdout)
    assert [c["id"] for c in shown["customers"]] == ["a1"]
    bad = runner.invoke(app, ["customers", "import", str(tmp_path / "nope.csv")])
    assert bad.exit_code == 2 and "no such file" in bad.stderr


@pytest.mark.postgres
def test_watchlist_and_history_on_postgresql(tmp_path, china_el):
    import uuid

    from sqlalchemy import create_engine, text

    from exportguard.lists.history import diff_snapshots
    from exportguard.store import Store
    from tests.conftest import postgres_url

    schema = f"eg_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    try:
        store = Store(f"{postgres_url()}?options=-csearch_path%3D{schema}")
        old = _save(store, [e for e in china_el if e.name != ADDED[1]], 1, "a")
        import_customers(store, read_customers(_customers(
            tmp_path, ["c2,MEGVII TECHNOLOGY LIMITED,CN", "x,Siemens AG,DE"])))
        new = _save(store, china_el, 2, "b")
        assert [e.name for e in diff_snapshots(store, old.id, new.id).added] == [ADDED[1]]
        run = rescreen(store)
        assert run.kind == "delta" and run.new_hits >= 1
        alerts = WatchlistStore(store).alerts(run_id=run.id)
        assert {(a.kind, a.customer_ref, a.entry_name) for a in alerts} >= \
            {("new", "c2", "Megvii Technology")}
        store.close()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()


def test_delta_hits_on_touched_entries_equal_the_full_rescreen_with_scores(store, tmp_path,
                                                                          china_el):
    """A bigger book (names of listed companies written as clerks write them, and unlisted
    ones) and an update that adds 40 entries and changes the name of another: every hit on an
    added or changed entry, with its score, is the full re-screen's, and the other customers'
    hits are untouched."""
    companies = china_el
    added = companies[::23][:40]
    renamed = companies[5]
    before = [e for e in companies if e.key not in {a.key for a in added}]
    after = [copy.deepcopy(e) for e in companies]
    target = next(e for e in after if e.key == renamed.key)
    target.name = "Hypothetical Renamed Trading Company Limited"
    rows = [f"L{n},\"{e.name.upper().replace(',', '')}\"," for n, e in
            enumerate(companies[::7][:150])]
    rows += [f"A{n},\"{e.name.replace('Co., Ltd.', 'Company Limited')}\"," for n, e in
             enumerate(added[:40])]
    rows += ["R1,Hypothetical Renamed Trading Co Ltd,", f"R2,\"{renamed.name}\","]
    places = ("Nordic", "Pacific", "Alpine", "Baltic", "Sahara", "Andes", "Harbor", "Summit")
    trades = ("Optics", "Marine", "Logistics", "Foods", "Textiles", "Freight", "Pharma", "Motors",
              "Plastics", "Retail")
    owners = ("Smith", "Garcia", "Okafor", "Novak", "Tanaka", "Rossi", "Jensen", "Dubois")
    rows += [f"U{n},\"{o} {p} {t} Ltd\",US" for n, (o, p, t) in enumerate(
        (o, p, t) for o in owners for p in places for t in trades)]
    _save(store, before, 1, "a")
    import_customers(store, read_customers(_customers(tmp_path, rows)))
    watch = WatchlistStore(store)
    hits_before = watch.hits()
    _save(store, after, 2, "b")
    plan = plan_rescreen(store, watch, current_screener(store), full=False)
    delta = rescreen(store)
    assert delta.kind == "delta" and delta.customers_screened == len(plan.customer_ids)
    assert delta.customers_screened < len(rows) / 2
    delta_hits = watch.hits()
    touched = {e.key for e in plan.touched}
    assert {a.key for a in added} | {renamed.key} == touched
    rescreen(store, full=True)
    full_hits = watch.hits()

    def on_touched(hits):
        return {(c, k, round(h.score, 6)) for c, by in hits.items() for k, h in by.items()
                if k in touched}

    assert on_touched(delta_hits) == on_touched(full_hits)
    assert len(on_touched(full_hits)) >= 40  # the added names written another way, R1
    assert any(k == renamed.key for k in full_hits.get(_id(watch, "R1"), {}))
    assert renamed.key not in delta_hits.get(_id(watch, "R2"), {})
    # Customers the delta did not screen keep their hits as they were.
    for customer_id, hits in hits_before.items():
        if customer_id not in set(plan.customer_ids):
            assert delta_hits.get(customer_id) == hits


def _id(watch, ref):
    return next(c.id for c in watch.customers() if c.ref == ref)


def test_delta_on_a_real_update_equals_the_full_rescreen_on_touched_entries(store, tmp_path,
                                                                          csl_entries):
    """A real list update: the reference CSL without, then with, the 138 Entity List entries
    whose first Federal Register notice is 89 FR 96837 (the additions of December 2024, as the
    reference file cites them). Customers: those parties' names written as clerks write them
    (upper case, without punctuation, another legal form, a typo, their curated names in
    characters), other listed parties' names, and unlisted companies. The delta re-screen's
    hits on the added entries, with their scores, are the full re-screen's; customers the
    delta did not reach keep their hits."""
    from exportguard.lists.starter import with_local_names

    added = [e for e in csl_entries
             if e.federal_register and e.federal_register[0].startswith("89 FR 96837")]
    assert len(added) == 138
    keys = {e.key for e in added}
    rows: list[str] = []
    for n, entry in enumerate(added[::2]):
        name = entry.name.replace('"', "")
        variant = (name.upper(), name.replace(",", "").replace(".", ""),
                   name.replace("Co., Ltd.", "Company Limited"),
                   name[:-3] + name[-2] + name[-3] + name[-1])[n % 4]
        rows.append(f"A{n},\"{variant}\",{'CN' if n % 3 else ''}")
    local = [name for e in added for name in with_local_names(e).local_names][::3]
    rows += [f"H{n},{name}," for n, name in enumerate(local)]
    others = [e for e in csl_entries if e.list_code == "EL" and e.key not in keys
              and e.type != "Individual"][::97][:60]
    rows += [f"K{n},\"{e.name.replace(chr(34), '')}\"," for n, e in enumerate(others)]
    rows += [f"U{n},\"{name}\",{cc}" for n, (name, cc) in enumerate([
        ("Shanghai Pudong Garments Co., Ltd.", "CN"), ("Beijing Evergreen Foods Co., Ltd.", "CN"),
        ("Nordic Marine Logistics AS", "NO"), ("Toyota Motor Corporation", "JP"),
        ("Siemens AG", "DE"), ("Acme Widgets LLC", "US"), ("Shenzhen Sunrise Textiles Ltd", "CN"),
        ("Hangzhou West Lake Tea Company", "CN"), ("Banco Santander S.A.", "ES"),
        ("Semiconductor Test Supplies Inc", "US")])]
    _save(store, [e for e in csl_entries if e.key not in keys], 1, "a")
    import_customers(store, read_customers(_customers(tmp_path, rows)))
    watch = WatchlistStore(store)
    hits_before = watch.hits()
    _save(store, csl_entries, 2, "b")
    plan = plan_rescreen(store, watch, current_screener(store), full=False)
    assert plan.kind == "delta" and {e.key for e in plan.touched} == keys
    assert not plan.gone and not plan.changed_fields
    delta = rescreen(store)
    assert delta.kind == "delta" and delta.customers_screened == len(plan.customer_ids)
    assert delta.customers_screened < len(rows)
    delta_hits = watch.hits()
    rescreen(store, full=True)
    full_hits = watch.hits()

    def on_added(hits):
        return {(c, k, round(h.score, 9)) for c, by in hits.items() for k, h in by.items()
                if k in keys}

    assert on_added(delta_hits) == on_added(full_hits)
    found = {c for c, _k, _s in on_added(full_hits)}
    refs = {c.id: c.ref for c in watch.customers()}
    assert sum(1 for c in found if refs[c].startswith("A")) >= 50
    assert sum(1 for c in found if refs[c].startswith("H")) >= 10
    assert not any(refs[c].startswith("U") for c in found)
    reached = set(plan.customer_ids)
    for customer_id, hits in hits_before.items():
        if customer_id not in reached:
            assert delta_hits.get(customer_id) == hits
