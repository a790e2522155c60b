"""The watchlist: customer import, delta re-screening after a list change, alerts."""

import copy
import json
from datetime import UTC, datetime

import numpy as np
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


def december_2024_additions(csl_entries):
    """The 138 Entity List entries of the reference CSL whose first Federal Register notice is
    89 FR 96837 (the additions of December 2024, as the reference file cites them)."""
    return [e for e in csl_entries
            if e.federal_register and e.federal_register[0].startswith("89 FR 96837")]


def _touched_by_additions(full_screener, csl_entries):
    """(the additions, their entries' numbers in the full index, their names' numbers as
    `watch/select.touched_names` gives them)."""
    from exportguard.watch.select import touched_names

    index = full_screener.index
    added = december_2024_additions(csl_entries)
    keys = {e.key for e in added}
    entries = np.asarray([n for n, e in enumerate(index.entries) if e.key in keys])
    return added, entries, touched_names(index, entries)


def test_delta_on_a_real_update_equals_the_full_rescreen_on_touched_entries(store, tmp_path,
                                                                          csl_entries):
    """A real list update: the reference CSL without, then with, the 138 Entity List entries
    whose first Federal Register notice is 89 FR 96837 (the additions of December 2024, as the
    reference file cites them). Customers: those parties' names written as clerks write them
    (upper case, without punctuation, another legal form, a typo, their curated names in
    characters), other listed parties' names, and unlisted companies. The delta re-screen's
    hits on the added entries, with their scores, are the full re-screen's; customers the
    delta did not reach keep their hits."""
    added = december_2024_additions(csl_entries)
    assert len(added) == 138
    keys = {e.key for e in added}
    rows = _real_book(csl_entries, added, [], [])
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


def _real_update(csl_entries):
    """A list update made of real entries: the reference CSL with the 138 Entity List entries
    whose first notice is 89 FR 96837 (the additions of December 2024) held back, then the full
    CSL with those added, 25 other entries removed, and 6 changed (3 renamed to one of their own
    aliases, 3 with another licence policy)."""
    added = december_2024_additions(csl_entries)
    keys = {e.key for e in added}
    others = [e for e in csl_entries if e.key not in keys and e.list_code in ("EL", "SDN")
              and e.type != "Individual"]
    removed = others[5::211][:25]
    gone = {r.key for r in removed}
    renamed = [e for e in others[7::97] if e.alt_names and e.key not in gone][:3]
    policy = [e for e in others[11::89] if e.key not in {r.key for r in removed + renamed}][:3]
    before = [e for e in csl_entries if e.key not in keys]
    after = [copy.deepcopy(e) for e in csl_entries if e.key not in {r.key for r in removed}]
    for entry in after:
        if entry.key in {r.key for r in renamed}:
            entry.name, entry.alt_names = entry.alt_names[0], [entry.name, *entry.alt_names[1:]]
        if entry.key in {p.key for p in policy}:
            entry.license_policy = "Presumption of denial (changed in the test)."
    return before, after, added, removed, renamed + policy


def _real_book(csl_entries, added, removed, changed):
    """Customers as clerks write them: the added parties' names (upper case, without
    punctuation, another legal form, a typo), their curated names in characters, the removed
    and changed parties' names, other listed names, names with glued words, names in other
    scripts, and unlisted companies."""
    from exportguard.lists.starter import with_local_names

    rows: list[str] = []
    for n, entry in enumerate(added[::2]):
        name = entry.name.replace('"', "")
        variant = (name.upper(), name.replace(",", "").replace(".", ""),
                   name.replace("Co., Ltd.", "Company Limited"),
                   name[:-3] + name[-2] + name[-3] + name[-1])[n % 4]
        rows.append(f"A{n},\"{variant}\",{'CN' if n % 3 else ''}")
    local = [name for e in added for name in with_local_names(e).local_names][::3]
    rows += [f"H{n},{name}," for n, name in enumerate(local)]
    rows += [f"R{n},\"{e.name.replace(chr(34), '')}\"," for n, e in enumerate(removed)]
    rows += [f"C{n},\"{e.name.replace(chr(34), '')}\"," for n, e in enumerate(changed)]
    rows += [f"D{n},\"{e.alt_names[0].replace(chr(34), '') if e.alt_names else e.name}\","
             for n, e in enumerate(changed)]
    keys = {e.key for e in added + removed + changed}
    others = [e for e in csl_entries if e.list_code == "EL" and e.key not in keys
              and e.type != "Individual"][::61][:80]
    rows += [f"K{n},\"{e.name.replace(chr(34), '')}\"," for n, e in enumerate(others)]
    rows += [f"G{n},\"{''.join(e.name.split()[:2])} Holdings\"," for n, e in enumerate(added[1::9])]
    rows += [f"U{n},\"{name}\",{cc}" for n, (name, cc) in enumerate([
        ("Shanghai Pudong Garments Co., Ltd.", "CN"), ("Beijing Evergreen Foods Co., Ltd.", "CN"),
        ("Nordic Marine Logistics AS", "NO"), ("Toyota Motor Corporation", "JP"),
        ("Siemens AG", "DE"), ("Acme Widgets LLC", "US"), ("Shenzhen Sunrise Textiles Ltd", "CN"),
        ("Hangzhou West Lake Tea Company", "CN"), ("Banco Santander S.A.", "ES"),
        ("STMicroelectronics Trading Ltd", "CH"), ("Общество Северный Ветер", "RU"),
        ("삼성전자", "KR"), ("شركة النور للتجارة", "AE"), ("Semiconductor Test Supplies Inc", "US"),
        ("Zhongxing Telecommunication Equipment Trading Co", "CN")])]
    return rows


def test_delta_equals_the_full_rescreen_for_every_customer_on_a_real_update(store, tmp_path,
                                                                           csl_entries):
    """Additions, removals and changes from the reference CSL: for every customer, the delta's
    hits on touched entries are the full re-screen's with their scores (a customer the delta did
    not screen has none in the full re-screen), and its hits on untouched entries are the old
    ones with their old scores (the old snapshot's token statistics). Where the full re-screen
    scores an untouched entry otherwise (the new token weights, or new names taking an old
    one's place among the candidates), that drift is what a periodic full re-screen is for; the
    test counts it and checks it is only on untouched entries."""
    before, after, added, removed, changed = _real_update(csl_entries)
    rows = _real_book(csl_entries, added, removed, changed)
    _save(store, before, 1, "a")
    import_customers(store, read_customers(_customers(tmp_path, rows)))
    watch = WatchlistStore(store)
    hits_before = watch.hits()
    _save(store, after, 2, "b")
    plan = plan_rescreen(store, watch, current_screener(store), full=False)
    touched = {e.key for e in plan.touched}
    assert touched == {e.key for e in added + changed}
    gone = set(plan.gone)
    assert gone == {e.key for e in removed + changed}
    delta = rescreen(store)
    assert delta.kind == "delta" and delta.customers_screened == len(plan.customer_ids)
    delta_hits = watch.hits()
    rescreen(store, full=True)
    full_hits = watch.hits()
    customers = {c.id: c.ref for c in watch.customers()}
    drift = 0
    for cid in customers:
        mine, theirs = delta_hits.get(cid, {}), full_hits.get(cid, {})
        assert {k: round(h.score, 9) for k, h in mine.items() if k in touched} == \
            {k: round(h.score, 9) for k, h in theirs.items() if k in touched}, customers[cid]
        kept = {k: h.score for k, h in hits_before.get(cid, {}).items()
                if k not in gone and k not in touched}
        assert {k: h.score for k, h in mine.items() if k not in touched} == kept
        if {k: round(h.score, 9) for k, h in theirs.items() if k not in touched} != \
                {k: round(s, 9) for k, s in kept.items()}:
            drift += 1
        if any(k in touched for k in theirs):
            assert cid in plan.chosen, customers[cid]
    found = {customers[c] for c, by in full_hits.items() if any(k in touched for k in by)}
    assert sum(1 for ref in found if ref.startswith("A")) >= 50
    assert sum(1 for ref in found if ref.startswith("H")) >= 10
    assert sum(1 for ref in found if ref.startswith("D")) >= 2  # the renamed entries' new names
    assert not any(ref.startswith("U") for ref in found)
    assert any(ref.startswith("R") for c, by in hits_before.items() for ref in [customers[c]])
    assert len(plan.chosen) <= 1.5 * len(found) + 10  # few chosen without a hit
    assert 0 < drift < len(rows) / 10  # counted, not hidden (18 here): see the docstring


def test_chosen_customers_cover_every_form_scoring_the_floor(full_screener, csl_entries):
    """The choice for all customers at once (`watch/select.py`) never leaves out a customer one
    of whose query forms (every part, every reading, glued words split) scores FLOOR or more
    against a touched name by `features.score`, and chooses far fewer than share a word."""
    from exportguard.names.query import query_parts
    from exportguard.screening.features import score
    from exportguard.screening.persons import may_be_person
    from exportguard.store.watchlist import Customer
    from exportguard.watch.kept import KeptForms
    from exportguard.watch.select import FLOOR, chosen_customers

    index = full_screener.index
    added, _, names = _touched_by_additions(full_screener, csl_entries)
    texts = [e.name for e in added[::3]] + [e.name.upper().replace(",", "") for e in added[1::5]]
    texts += [a for e in added[2::4] for a in e.alt_names[:1]]
    texts += [e.name for e in csl_entries if e.list_code in ("EL", "SDN", "MEU")][::97]
    texts += ["Sense Time Group", "Megvii Tech", "Hikvison Digital", "Inspur Group Co Ltd",
              "STMicroelectronics", "Sugon Information Industry", "Dawning Information"]
    customers = [Customer(n, f"c{n}", text, None) for n, text in enumerate(dict.fromkeys(texts))]
    kept = KeptForms.build(customers, index.token_weight)
    chosen = chosen_customers(kept, index, names)
    reaching = set()
    sharing = set()
    touched_tokens = {t for n in names.tolist() for t in index.names[n].form.tokens}
    for customer in customers:
        for part in query_parts(customer.name):
            for form in full_screener._forms(part.text):
                weights = index.weights(form)
                if touched_tokens.intersection(form.tokens):
                    sharing.add(customer.id)
                for number in names.tolist():
                    name = index.names[number]
                    if score(form, weights, name.form, index.name_weights[number],
                             may_be_person(index.entries[name.entry])) >= FLOOR:
                        reaching.add(customer.id)
    assert len(reaching) >= 40
    assert reaching <= chosen, [customers[c].name for c in reaching - chosen]
    assert len(chosen) < 0.8 * len(sharing | chosen)


def test_chosen_customers_cover_persons_readings_and_only_persons(full_screener, csl_entries):
    """Persons' readings (titles set aside, initials, nicknames, fewer names: `persons.py`)
    lift a score whatever its coverages, so the choice lifts its bound for those pairs, and
    only for pairs those rules may read: SDN individuals touched, their names written with a
    title, an initial, a nickname of the nicknames table or fewer names are chosen wherever
    `features.score` (with the listed party's `may_be_person`, as the screener asks) reaches
    FLOOR; companies whose words are initials or given names of the table ("AT&T Inc.",
    "Robert Northern LLC") are not chosen for the December 2024 additions, companies all."""
    from exportguard.names import person_words
    from exportguard.names.query import query_parts
    from exportguard.screening.features import score
    from exportguard.screening.persons import may_be_person
    from exportguard.store.watchlist import Customer
    from exportguard.watch.kept import KeptForms
    from exportguard.watch.select import FLOOR, chosen_customers, touched_names

    index = full_screener.index
    links = person_words.nickname_links()
    individuals = [e for e in csl_entries if e.list_code == "SDN" and e.type == "Individual"
                   and ", " in e.name and len(e.name.split()) >= 3]
    nicknamed = [e for e in individuals
                 if e.name.split(", ")[1].split()[0].lower() in links][::40][:25]
    persons = nicknamed + individuals[::400][:15]
    texts = []
    for entry in persons:
        surname, given = entry.name.split(", ", 1)
        first, *more = given.split()
        texts += [f"{given} {surname}", f"Dr. {first} {surname}", f"{first[0]}. {surname}",
                  f"{first} {more[0][0] if more else ''} {surname}", f"Mr {given} {surname} Jr"]
        texts += [f"{nick.title()} {' '.join(more)} {surname}"
                  for nick in sorted(links.get(first.lower(), ()))[:2]]
    companies = ["AT&T Inc.", "T-Mobile US, Inc.", "Xiamen C&D Inc.", "I. ASH", "EX-CLE",
                 "Robert Northern LLC", "Lilly Northern Sdn. Bhd.", "Will Semiconductor Co., Ltd.",
                 "United Microelectronics Corporation", "First Northern Limited"]
    customers = [Customer(n, f"c{n}", text, None)
                 for n, text in enumerate(dict.fromkeys(texts + companies))]
    kept = KeptForms.build(customers, index.token_weight)
    additions = _touched_by_additions(full_screener, csl_entries)[2]
    keys = {e.key for e in persons}
    people = touched_names(index, np.asarray(
        [n for n, e in enumerate(index.entries) if e.key in keys]))
    chosen = chosen_customers(kept, index, np.concatenate([additions, people]))
    reaching, by_reading = set(), set()
    for customer in customers:
        for part in query_parts(customer.name):
            for form in full_screener._forms(part.text):
                weights = index.weights(form)
                for number in np.concatenate([additions, people]).tolist():
                    name = index.names[number]
                    person = may_be_person(index.entries[name.entry])
                    value = score(form, weights, name.form, index.name_weights[number], person)
                    if value >= FLOOR:
                        reaching.add(customer.id)
                        if score(form, weights, name.form, index.name_weights[number],
                                 False) < FLOOR:
                            by_reading.add(customer.id)
    assert len(by_reading) >= 40  # reached only by a person's reading
    assert reaching <= chosen, [customers[c].name for c in reaching - chosen]
    assert not {c.name for c in customers if c.id in chosen} & set(companies)
    # The companies alone against the additions: none chosen.
    alone = [c for c in customers if c.name in companies]
    assert chosen_customers(KeptForms.build(alone, index.token_weight), index, additions) == set()


def test_kept_forms_are_rebuilt_when_stale_or_damaged_never_trusted(store, tmp_path, china_el,
                                                                    monkeypatch):
    """The customers' kept forms file is used only when whole, made by this code and normaliser
    and for the watchlist as it is: a damaged, cut, foreign or stale file is rebuilt (a stale
    one reusing the records of unchanged names), and the delta after an update finds what a
    full re-screen finds even when the file was damaged in between."""
    from exportguard.watch import kept as kept_module
    from exportguard.watch.rescreen import kept_customer_forms

    rows, _kept = _book(china_el)
    _save(store, [e for e in china_el if e.name not in ADDED], 1, "a")
    import_customers(store, read_customers(_customers(tmp_path, rows)))
    watch = WatchlistStore(store)
    index = current_screener(store).index
    path = kept_module.kept_path(store.url)
    assert path.is_file()  # made by the import
    made_by = kept_module.fingerprint()
    # A copy: the file is memory-mapped, and the test rewrites it in place (the code never
    # does: it writes another file and renames it over).
    first = kept_module.KeptForms({k: np.array(v) for k, v in
                                   kept_customer_forms(store, watch, index).arrays.items()})
    assert sorted(first.customers.tolist()) == sorted(c.id for c in watch.customers())
    assert "megvii" in first.vocabulary and len(first.keys) > 0

    def same(a, b):
        differ = [k for k in a.arrays if k not in ("stamp", "checksum")
                  and not np.array_equal(a.arrays[k], b.arrays[k])]
        assert not differ, differ
        return a.vocabulary == b.vocabulary

    distinct = len({c.name for c in watch.customers()})  # a name is read once per build
    calls = []
    real = kept_module.customer_record
    monkeypatch.setattr(kept_module, "customer_record",
                        lambda name, words: calls.append(name) or real(name, words))
    good = path.read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF
    for bad in (bytes(damaged), good[:len(good) // 3], b"not a kept file", b""):
        path.write_bytes(bad)
        assert kept_module.read_kept(path, made_by) is None
        calls.clear()
        again = kept_customer_forms(store, watch, index)
        assert same(again, first) and len(calls) == distinct  # every name again
        assert kept_module.read_kept(path, made_by) is not None  # written whole again
    # Arrays that pass the checksum but do not fit together are refused too.
    broken = dict(first.arrays)
    broken["form_tokens"] = broken["form_tokens"] + len(first.vocabulary)
    bogus = kept_module.KeptForms.__new__(kept_module.KeptForms)
    bogus.arrays = broken
    kept_module.write_kept(path, bogus, made_by, watch.version())
    assert kept_module.read_kept(path, made_by) is None
    # Made by other code or another normaliser: not read.
    kept_module.write_kept(path, first, "another normaliser", watch.version())
    assert kept_module.read_kept(path, made_by) is None
    calls.clear()
    assert same(kept_customer_forms(store, watch, index), first) and len(calls) == distinct
    # Stale: a customer added; only the new name is normalised, the others' records reused.
    calls.clear()
    import_customers(store, read_customers(_customers(
        tmp_path, [*rows, "n1,Zhejiang Dahua Technology Co Ltd,CN"])))
    assert calls == ["Zhejiang Dahua Technology Co Ltd"]
    grown = kept_customer_forms(store, watch, index)
    assert len(grown.customers) == len(rows) + 1 and "dahua" in grown.vocabulary
    # The update, with the file damaged in between: rebuilt, and the delta is exact.
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x55
    path.write_bytes(data)
    _save(store, china_el, 2, "b")
    plan = plan_rescreen(store, watch, current_screener(store), full=False)
    touched = {e.key for e in plan.touched}
    delta = rescreen(store)
    assert delta.kind == "delta" and kept_module.read_kept(path, made_by) is not None
    delta_hits = watch.hits()
    rescreen(store, full=True)
    full_hits = watch.hits()

    def on_touched(hits):
        return {(c, k, round(h.score, 9)) for c, by in hits.items() for k, h in by.items()
                if k in touched}

    assert on_touched(delta_hits) == on_touched(full_hits) and len(on_touched(full_hits)) >= 4


def test_customers_whose_glued_words_split_otherwise_are_read_again_and_bounded(
        full_screener, csl_entries):
    """Kept records made against the index before an update (here: its words less those only
    the 138 added entries of 89 FR 96837 bring, such as 'jinko' of Shanghai Xinsheng Jinko
    Semiconductor Technology Co., Ltd.): a customer whose long word the new index splits
    otherwise is chosen outright without the customers' rows (the general path); with them,
    its record is made again against the new index and bounded, which chooses exactly what
    a kept file made now chooses, still every customer with a form reaching FLOOR against a
    touched name, and fewer."""
    from exportguard.names.query import query_parts
    from exportguard.screening.features import score
    from exportguard.store.watchlist import Customer
    from exportguard.watch.kept import KeptForms
    from exportguard.watch.select import FLOOR, _glued, chosen_customers, member

    index = full_screener.index
    added, entries, names = _touched_by_additions(full_screener, csl_entries)
    # The words of the names the update did not add: the index's words before it.
    of_added = np.repeat(member(index.name_entry, entries), np.diff(index.name_token_starts))
    vocabulary = index.tokens.keys
    before = {vocabulary[t] for t in np.unique(index.name_tokens[~of_added]).tolist()}
    assert "jinko" in index.token_weight and "jinko" not in before
    texts = ["JinkoSolar Holding Co., Ltd.", "JinkoSolar Asia Trading Pte. Ltd.",
             "XinshengJinko Semiconductor Technology Co Ltd", "Acme Widgets LLC"]
    texts += [f"{''.join(e.name.split()[:2])} Holdings" for e in added[1::7]]
    texts += [e.name for e in added[::11]]
    customers = [Customer(n, f"c{n}", text, None) for n, text in enumerate(dict.fromkeys(texts))]
    by_id = {c.id: c for c in customers}
    stale_kept = KeptForms.build(customers, before)
    stale = _glued(stale_kept, index)
    assert {0, 1, 2} <= stale and 3 not in stale
    general = chosen_customers(stale_kept, index, names)
    fresh = chosen_customers(stale_kept, index, names, lambda ids: [by_id[i] for i in ids])
    assert stale <= general
    assert fresh == chosen_customers(KeptForms.build(customers, index.token_weight), index, names)
    assert fresh < general and 0 not in fresh and 1 not in fresh and 2 in fresh
    reaching = set()
    for customer in customers:
        for part in query_parts(customer.name):
            for form in full_screener._forms(part.text):
                weights = index.weights(form)
                if any(score(form, weights, index.names[n].form, index.name_weights[n]) >= FLOOR
                       for n in names.tolist()):
                    reaching.add(customer.id)
    assert 2 in reaching and len(reaching) >= 10
    assert reaching <= fresh, [by_id[c].name for c in reaching - fresh]


def test_unexplained_screens_give_the_screeners_matches_and_scores(full_screener, csl_entries):
    """The delta's screeners skip the matches' explanations (`rescreen._Unexplained`): the
    same matches in the same order with the same scores and names as `Screener.screen`, on
    names of listed parties written otherwise, in characters, with a country, and on
    unlisted ones; the touched screener's are the full screener's on the touched entries."""
    from exportguard.watch.rescreen import _TouchedScreener, _Unexplained

    index = full_screener.index
    plain = _Unexplained(index, full_screener.snapshots)
    added = december_2024_additions(csl_entries)
    touched = _TouchedScreener(full_screener, added)
    keys = {e.key for e in added}
    queries = [(e.name.upper().replace(",", ""), "CN") for e in added[::9]]
    queries += [(e.name.replace("Co., Ltd.", "Company Limited"), None) for e in added[4::9]]
    queries += [("北京市商汤科技开发有限公司", None), ("Megvii Tech", "CN"), ("Huawei", None),
                ("Hikvison Digital", "CN"), ("Acme Widgets LLC", "US"), ("Sony", "JP")]

    def seen(result):
        return [(m.entry.key, m.score, m.matched_name, m.query_form) for m in result.matches]

    shown = 0
    for query, country in queries:
        full = full_screener.screen(query, country, limit=100)
        mine = plain.screen(query, country, limit=100)
        assert seen(mine) == seen(full), query
        assert all(not m.features for m in mine.matches)
        assert all(m.features for m in full.matches)
        on_touched = [item for item in seen(full) if item[0] in keys]
        assert seen(touched.screen(query, country, limit=100)) == on_touched, query
        shown += len(on_touched)
    assert shown >= 15


def test_a_customer_naming_a_unit_under_its_parents_is_chosen_when_the_unit_is_touched(
        full_screener):
    """A customer named as a unit under its parents (中国人民解放军军事科学院军事医学研究院
    野战输血研究所) can meet a touched name in characters that ends with its unit
    (`Screener._units_of_parents`): the unit alone (野战输血研究所, the Field Blood Transfusion
    Institution's curated name) or under another name of the same parent
    (中国人民解放军军事医学科学院基础医学研究所). The delta chooses it by its keys though no key
    is equal (whatever the bound on its words says), and not a customer naming a sister unit."""
    from exportguard.store.watchlist import Customer
    from exportguard.watch.kept import KeptForms
    from exportguard.watch.select import _by_keys, chosen_customers

    index = full_screener.index
    parents = "中国人民解放军军事科学院军事医学研究院"
    amms = "Academy of Military Medical Sciences"
    units = {f"{amms}, Field Blood Transfusion Institution": "野战输血研究所",
             f"{amms}, Institute of Basic Medicine": "基础医学研究所"}
    customers = [Customer(1, "c1", parents + "野战输血研究所", None),
                 Customer(2, "c2", parents + "基础医学研究所", None),
                 Customer(3, "c3", parents + "毒物药物研究所", None)]  # a sister unit
    kept = KeptForms.build(customers, index.token_weight)
    for number, (listed, unit) in enumerate(units.items(), start=1):
        names = np.asarray([n for n, name in enumerate(index.names)
                            if index.entries[name.entry].name == listed
                            and name.text.endswith(unit)], dtype=np.int64)
        assert len(names)
        assert all(index.names[n].text != parents + unit for n in names)  # no equal key
        screened = full_screener.screen(customers[number - 1].name)
        assert screened.matches[0].entry.name == listed  # the full screen finds it
        assert _by_keys(kept, index, names) == {number}
        assert number in chosen_customers(kept, index, names)


def test_a_customer_named_by_another_languages_given_name_is_chosen(full_screener):
    """A touched listed person (SDN 8802 'PEREZ PASUENGO, Efrain', reference CSL) and a customer
    naming him by the English form of his given name (Ephraim): the screen reviews the pair
    through the given-name groups (`persons.person_reading`), so a delta re-screen must choose
    the customer (and not one who shares only the given name)."""
    from exportguard.store.watchlist import Customer
    from exportguard.watch.kept import KeptForms
    from exportguard.watch.select import chosen_customers, touched_names

    index = full_screener.index
    entries = np.asarray([n for n, e in enumerate(index.entries)
                          if (e.list_code, e.entity_number) == ("SDN", "8802")])
    assert len(entries) == 1
    names = touched_names(index, entries)
    customers = [Customer(0, "c0", "Ephraim Perez Pasuengo", None),
                 Customer(1, "c1", "Ephraim Smith", None)]
    assert full_screener.screen(customers[0].name).matches[0].entry.entity_number == "8802"
    kept = KeptForms.build(customers, index.token_weight)
    assert chosen_customers(kept, index, names) == {0}
