"""The independent names evaluation sets (bench/data/names_eval_*.csv) are well formed.

Shape only: sources, labels, splits and expected ids. No accuracy is asserted here; the figures
come from bench/names_eval.py and are recorded in bench/RESULTS.md. names_eval_zh_b.csv,
names_eval_zh_c.csv, names_eval_zh_d.csv, names_eval_zh_e.csv and zh_f (names_eval_zh_f.csv and
names_eval_zh_f_sources.csv with names_eval_zh_f_unlisted.csv, two halves written at the same
time; either may be missing) and zh_g (names_eval_zh_g.csv with names_eval_zh_g_unlisted.csv,
likewise) and zh_h (names_eval_zh_h.csv, one file) and zh_i (names_eval_zh_i.csv, one file, with
its draw log names_eval_zh_i_draws.csv) are held-back Chinese sets (every row `heldout`, each run
once at the end): these tests read their shape, never screen them.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import unicodedata
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
COLUMNS = {
    "names_eval_zh.csv": ["query", "kind", "label", "expected_entry_id", "expected_name", "party",
                          "in_local_names", "source_url", "split", "note"],
    "names_eval_pairs.csv": ["query", "kind", "label", "expected_entry_id", "expected_name",
                             "party", "source_url", "split", "note"],
    "names_eval_zh_b.csv": ["query", "kind", "label", "expected_entry_id", "expected_name", "party",
                            "in_local_names", "source_url", "split", "note"],
    "names_eval_zh_c.csv": ["query", "kind", "label", "expected_entry_id", "expected_name", "party",
                            "in_local_names", "source_url", "split", "note"],
    "names_eval_zh_d.csv": ["query", "kind", "label", "expected_entry_id", "expected_name", "party",
                            "in_local_names", "source_url", "split", "note"],
    "names_eval_zh_e.csv": ["query", "kind", "label", "expected_entry_id", "expected_name", "party",
                            "in_local_names", "source_url", "split", "note"],
    "names_eval_zh_hard.csv": ["query", "kind", "label", "expected_entry_id", "expected_name",
                               "party", "in_local_names", "source_url", "split", "note"],
}
ZH_COLUMNS = ["query", "kind", "label", "expected_entry_id", "expected_name", "party",
              "in_local_names", "source_url", "split", "note"]
# zh_f: its listed and unlisted halves, each in its own file; a half not written yet is left out.
# The listed half has two parts: the seeded draws (names_eval_zh_f.csv) and a sources-first part
# (names_eval_zh_f_sources.csv: parties taken from pages that print many Chinese names).
ZH_F_HALVES = {"names_eval_zh_f.csv": ("listed",), "names_eval_zh_f_sources.csv": ("listed",),
               "names_eval_zh_f_unlisted.csv": ("unlisted",)}
ZH_F = tuple(n for n in ZH_F_HALVES if (DATA / n).is_file())
# zh_g: the same, a listed half (sources first) and an unlisted half, written at the same time.
ZH_G_HALVES = {"names_eval_zh_g.csv": ("listed",), "names_eval_zh_g_unlisted.csv": ("unlisted",)}
ZH_G = tuple(n for n in ZH_G_HALVES if (DATA / n).is_file())
# zh_h: an eighth set, listed and unlisted rows in one file (bench/README.md says how it was
# written)
ZH_H = "names_eval_zh_h.csv"
# zh_i: a ninth set, listed (drawn) and unlisted rows in one file
ZH_I = "names_eval_zh_i.csv"
COLUMNS.update({name: ZH_COLUMNS for name in (*ZH_F, *ZH_G, ZH_H, ZH_I)})
LABELS = {
    "names_eval_zh.csv": ("listed", "unlisted"),
    "names_eval_pairs.csv": ("match", "no_match"),
    "names_eval_zh_b.csv": ("listed", "unlisted"),
    "names_eval_zh_c.csv": ("listed", "unlisted"),
    "names_eval_zh_d.csv": ("listed", "unlisted"),
    "names_eval_zh_e.csv": ("listed", "unlisted"),
    "names_eval_zh_hard.csv": ("listed", "unlisted"),
}
CHINESE = ("names_eval_zh.csv", "names_eval_zh_b.csv", "names_eval_zh_c.csv",
           "names_eval_zh_d.csv", "names_eval_zh_e.csv", "names_eval_zh_hard.csv", *ZH_F, *ZH_G,
           ZH_H, ZH_I)
# all heldout, no tuning
HELD_BACK = frozenset({"names_eval_zh_b.csv", "names_eval_zh_c.csv", "names_eval_zh_d.csv",
                       "names_eval_zh_e.csv", *ZH_F, *ZH_G, ZH_H, ZH_I})
DEV_ONLY = frozenset({"names_eval_zh_hard.csv"})  # every row dev: written for tuning
# in_local_names is filled in by the lead from the curated yaml (its writer did not read it)
LOCAL_NAMES_UNFILLED = frozenset({"names_eval_zh_c.csv", "names_eval_zh_d.csv",
                                  "names_eval_zh_e.csv", *ZH_F, *ZH_G, ZH_H, ZH_I})
HAN = re.compile(r"[\u3400-\u9fff]")


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def split_of(party: str) -> str:
    """The rule the sets were split by: 60 % dev, 40 % heldout, by a hash of the party."""
    return "dev" if int(hashlib.sha256(party.encode()).hexdigest(), 16) % 100 < 60 else "heldout"


@pytest.fixture(scope="module")
def csl_by_key(csl_entries) -> dict[str, list]:
    out: dict[str, list] = {}
    for entry in csl_entries:
        out.setdefault(entry.key, []).append(entry)
    return out


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_rows_are_well_formed(name: str) -> None:
    columns, rows = read(name)
    assert columns == COLUMNS[name]
    assert rows
    positive, negative = LABELS.get(name, ("listed", "unlisted"))
    for number, row in enumerate(rows, start=2):
        where = f"{name}:{number}"
        assert row["query"].strip() == row["query"] and row["query"], where
        assert unicodedata.is_normalized("NFC", row["query"]), where
        assert re.match(r"https?://\S+$", row["source_url"]), f"{where}: source_url"
        assert row["label"] in (positive, negative), f"{where}: label {row['label']!r}"
        assert row["split"] in ("dev", "heldout"), f"{where}: split {row['split']!r}"
        if name in HELD_BACK:
            assert row["split"] == "heldout", f"{where}: a held-back set has only heldout rows"
        elif name in DEV_ONLY:
            assert row["split"] == "dev", f"{where}: a tuning set has only dev rows"
        else:
            assert row["split"] == split_of(row["party"]), f"{where}: split is not the party's hash"
        assert row["kind"], where
        if row["label"] == positive or name == "names_eval_pairs.csv":
            assert row["expected_entry_id"] and row["expected_name"], where
        else:
            assert not row["expected_entry_id"] and row["party"].startswith("unlisted:"), where


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_expected_ids_exist_in_the_reference_csl(name: str, csl_by_key) -> None:
    _, rows = read(name)
    for number, row in enumerate(rows, start=2):
        ids = [i for i in row["expected_entry_id"].split(";") if i]
        for entry_id in ids:
            assert entry_id in csl_by_key, f"{name}:{number}: {entry_id} is not in the CSL"
        if ids:
            names = {e.name for e in csl_by_key[ids[0]]}
            assert row["expected_name"] in names, f"{name}:{number}: expected_name"
            assert row["party"] == ids[0], f"{name}:{number}: party"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_a_party_sits_in_one_split_and_rows_are_unique(name: str) -> None:
    _, rows = read(name)
    splits: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        splits.setdefault(row["party"], set()).add(row["split"])
        key = (row["query"], row["party"])
        assert key not in seen, f"duplicate row {key}"
        seen.add(key)
    assert all(len(s) == 1 for s in splits.values())
    expected = ({"heldout"} if name in HELD_BACK else {"dev"} if name in DEV_ONLY
                else {"dev", "heldout"})
    assert {s for group in splits.values() for s in group} == expected


@pytest.mark.parametrize("name", CHINESE)
def test_chinese_rows_are_in_the_script_their_kind_says(name: str) -> None:
    _, rows = read(name)
    for number, row in enumerate(rows, start=2):
        where = f"{name}:{number}"
        if row["kind"].startswith("pinyin"):
            assert row["query"].isascii(), where
        else:
            assert HAN.search(row["query"]), where
        listed_values = {"yes", "no", ""} if name in LOCAL_NAMES_UNFILLED else {"yes", "no"}
        assert row["in_local_names"] in (listed_values if row["label"] == "listed" else {""}), where


def _check_later_set(name: str, earlier_files: tuple[str, ...], kinds: set[str],
                     csl_by_key, *, listed_rows: int = 200, parties: int = 100,
                     unlisted_rows: int = 80, party_split: str | None = None) -> None:
    """A later held-back Chinese set: every row sourced, sourced kinds only, no listed party
    (expected key) or listed query of the earlier sets, no query both listed and unlisted, and as
    large as it was asked to be (by default >= 200 listed queries for >= 100 parties, >= 80
    unlisted), half of the unlisted hard. With party_split, only the earlier rows of that split
    forbid their parties (a party of an earlier held-back split may come back, by other names)."""
    earlier = [r for f in earlier_files for r in read(f)[1]]
    earlier_keys = {k for r in earlier if party_split in (None, r["split"])
                    for k in r["expected_entry_id"].split(";") if k}
    earlier_listed = {r["query"] for r in earlier if r["label"] == "listed"}
    _, rows = read(name)
    listed = [r for r in rows if r["label"] == "listed"]
    unlisted = [r for r in rows if r["label"] == "unlisted"]
    for row in rows:
        assert row["source_url"].startswith(("http://", "https://")), row["query"]
        assert row["kind"] in (kinds if row in listed else {"unlisted", "unlisted_hard"}), row
    for row in listed:
        keys = row["expected_entry_id"].split(";")
        assert all(k in csl_by_key for k in keys), row["query"]
        assert not earlier_keys & set(keys), f"{row['query']}: a party of {earlier_files}"
        assert row["query"] not in earlier_listed, f"{row['query']}: a query of {earlier_files}"
    assert not {r["query"] for r in listed} & {r["query"] for r in unlisted}
    assert len(listed) >= listed_rows and len({r["party"] for r in listed}) >= parties
    assert len(unlisted) >= unlisted_rows
    assert sum(r["kind"] == "unlisted_hard" for r in unlisted) * 2 >= len(unlisted)


def test_held_back_chinese_set_is_a_second_independent_set(csl_by_key) -> None:
    """names_eval_zh_b.csv against names_eval_zh.csv; nothing derived."""
    _check_later_set("names_eval_zh_b.csv", ("names_eval_zh.csv",),
                     {"zh_full", "zh_short", "zh_trad", "pinyin"}, csl_by_key)


def test_third_chinese_set_shares_no_party_with_the_first_two(csl_by_key) -> None:
    """names_eval_zh_c.csv against zh and zh_b; zh_variant is an older name or a name with its
    branch, as printed."""
    _check_later_set("names_eval_zh_c.csv", ("names_eval_zh.csv", "names_eval_zh_b.csv"),
                     {"zh_full", "zh_short", "zh_trad", "zh_variant"}, csl_by_key)


# names_eval_zh_d.csv was asked for at >= 400 listed queries for >= 200 parties and >= 150
# unlisted. The earlier sets already hold most Chinese listed parties that public Chinese pages
# name, so it holds fewer listed rows (its description in bench/names_eval.py says why): these are
# its real sizes, so that a row lost later shows. After its first run two rows labelled unlisted
# were found to be listed: 武汉邮电科学研究院有限公司 (the CSL's FiberHome entry has the alias Wuhan
# Institute of Posts and Telecommunications) was relabelled; 中国电科产业基础研究院 (CETC 13's new
# name) was dropped, since CETC 13 is a party of zh's dev rows. On 2026-12-06
# 烽火通信科技股份有限公司 (FiberHome Telecommunication Technologies, an alias of the same
# entry) was relabelled listed.
ZH_D_SIZE = {"listed_rows": 122, "parties": 88, "unlisted_rows": 195}


def test_fourth_chinese_set_shares_no_party_with_the_earlier_ones(csl_by_key) -> None:
    """names_eval_zh_d.csv against zh, zh_b, zh_c and zh_hard: no party that a dev row of them
    names (a party of their held-back rows may come back, by other names), no query of theirs,
    listed or unlisted; each listed row names every CSL entry of its party, no entry in two parties,
    no duplicate query."""
    earlier_files = ("names_eval_zh.csv", "names_eval_zh_b.csv", "names_eval_zh_c.csv",
                     "names_eval_zh_hard.csv")
    _check_later_set("names_eval_zh_d.csv", earlier_files,
                     {"zh_full", "zh_short", "zh_trad", "zh_variant"}, csl_by_key,
                     party_split="dev", **ZH_D_SIZE)
    earlier_queries = {r["query"] for f in earlier_files for r in read(f)[1]}
    _, rows = read("names_eval_zh_d.csv")
    queries = [r["query"] for r in rows]
    assert len(queries) == len(set(queries))
    assert not set(queries) & earlier_queries, sorted(set(queries) & earlier_queries)[:5]
    party_of: dict[str, str] = {}
    for row in rows:
        if row["label"] == "listed":
            keys = row["expected_entry_id"].split(";")
            assert len(keys) == len(set(keys)) and row["party"] == keys[0], row["query"]
            assert all(csl_by_key[k][0].countries for k in keys), row["query"]
            assert all(party_of.setdefault(k, row["party"]) == row["party"] for k in keys), \
                f"{row['query']}: an entry of two parties"


# names_eval_zh_e.csv: parties drawn at random (random.Random(2026) over the CSL's EL / MEU / CMIC
# entries with a CN or HK country, bench/README.md says how), every query read on the page in its
# source_url. These are its sizes, so that a row lost later shows.
ZH_E_SIZE = {"listed_rows": 193, "parties": 104, "unlisted_rows": 177, "unlisted_hard": 127}
ZH_E_KINDS = {"zh_full", "zh_short", "zh_trad", "zh_variant"}


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _check_halves_independent_of_tuning(files, halves, csl_by_key) -> None:
    """A set written in halves, read as one: each half holds only its labels, then as
    `_check_independent_of_tuning`."""
    rows = []
    for name in files:
        half = read(name)[1]
        assert {r["label"] for r in half} <= set(halves[name]), name
        rows += half
    listed = [r for r in rows if r["label"] == "listed"]
    unlisted = [r for r in rows if r["label"] == "unlisted"]
    _check_independent_of_tuning(rows, listed, unlisted, csl_by_key)


def _check_independent_of_tuning(rows, listed, unlisted, csl_by_key) -> None:
    """A held-back set written apart from the tuning rows: unique queries, sourced kinds, every
    listed entry in one party, no party or query of the zh dev rows or zh_hard, and no unlisted
    query that is a CSL name."""
    queries = [r["query"] for r in rows]
    assert len(queries) == len(set(queries)), sorted(q for q in queries if queries.count(q) > 1)
    party_of: dict[str, str] = {}
    for row in listed:
        assert row["kind"] in ZH_E_KINDS, row["query"]
        keys = row["expected_entry_id"].split(";")
        assert len(keys) == len(set(keys)) and row["party"] == keys[0], row["query"]
        assert all(csl_by_key[k][0].countries for k in keys), row["query"]
        assert all(party_of.setdefault(k, row["party"]) == row["party"] for k in keys), \
            f"{row['query']}: an entry of two parties"
    assert all(r["kind"] in {"unlisted", "unlisted_hard"} for r in unlisted)
    tuning = [r for r in read("names_eval_zh.csv")[1] if r["split"] == "dev"]
    tuning += read("names_eval_zh_hard.csv")[1]
    tuning_keys = {k for r in tuning for k in r["expected_entry_id"].split(";") if k}
    tuning_queries = {r["query"] for r in tuning}
    assert not set(party_of) & tuning_keys, sorted(set(party_of) & tuning_keys)
    assert not set(queries) & tuning_queries, sorted(set(queries) & tuning_queries)
    names = {_fold(n) for entries in csl_by_key.values() for e in entries
             for n in (e.name, *e.alt_names)}
    assert not [r["query"] for r in unlisted if _fold(r["query"]) in names]


def test_fifth_chinese_set_is_independent_of_the_tuning_rows(csl_by_key) -> None:
    """names_eval_zh_e.csv: as large as recorded; sourced kinds only; every listed row names only
    CSL entries with a country, the first one its party, and no entry sits in two parties; no
    duplicate query and no query both listed and unlisted; no party (expected entry) and no query
    of the tuning rows (zh's dev rows, zh_hard), which the matcher's authors saw; no unlisted query
    is, folded, a CSL name or alias."""
    _, rows = read("names_eval_zh_e.csv")
    listed = [r for r in rows if r["label"] == "listed"]
    unlisted = [r for r in rows if r["label"] == "unlisted"]
    sizes = {"listed_rows": len(listed), "parties": len({r["party"] for r in listed}),
             "unlisted_rows": len(unlisted),
             "unlisted_hard": sum(r["kind"] == "unlisted_hard" for r in unlisted)}
    assert sizes == ZH_E_SIZE
    _check_independent_of_tuning(rows, listed, unlisted, csl_by_key)


# names_eval_zh_f_draws.csv: every draw of zh_f's listed half, in draw order, with its outcome. The
# draws are the CSL's EL / MEU / CMIC entries with a CN or HK country, sorted by key and shuffled
# with random.Random(20261205); the file holds the walked prefix of that order.
ZH_F_DRAWS = DATA / "names_eval_zh_f_draws.csv"
ZH_F_SEED = 20261205
ZH_F_OUTCOMES = {"kept", "not_found", "not_searched", "skipped"}
# the listed half's sizes, so that a row lost later shows (bench/README.md says why it is small)
ZH_F_LISTED_SIZE = {"listed_rows": 4, "parties": 3}


def zh_f_draw_order(csl_entries) -> list[str]:
    """The keys of the draw: EL / MEU / CMIC entries with a CN or HK country, by key, shuffled."""
    pool = sorted((e for e in csl_entries if e.list_code in ("EL", "MEU", "CMIC")
                   and {"CN", "HK"} & set(e.countries)), key=lambda e: e.key)
    random.Random(ZH_F_SEED).shuffle(pool)
    return [e.key for e in pool]


def test_zh_f_draws_are_the_seeded_order_each_with_its_outcome(csl_entries) -> None:
    """The draw log is a prefix of the seeded order; searches agree with the outcome (a party kept
    or not found was searched, at most three times; a skip was not); a draw skipped as a party of an
    earlier set is one; a kept draw is a listed party of names_eval_zh_f.csv and every listed party
    there was drawn and kept."""
    columns, draws = read(ZH_F_DRAWS.name)
    assert columns == ["key", "outcome", "searches", "note"]
    order = zh_f_draw_order(csl_entries)
    assert [d["key"] for d in draws] == order[:len(draws)]
    earlier = {k for f in CHINESE if f not in ZH_F for r in read(f)[1]
               for k in r["expected_entry_id"].split(";") if k}
    for d in draws:
        assert d["outcome"] in ZH_F_OUTCOMES and d["note"], d
        searches = int(d["searches"])
        assert (1 <= searches <= 3) if d["outcome"] in {"kept", "not_found"} else searches == 0, d
        if d["note"].startswith("party already in an earlier set"):
            assert d["key"] in earlier, d
    kept = {d["key"] for d in draws if d["outcome"] == "kept"}
    listed = read("names_eval_zh_f.csv")[1] if "names_eval_zh_f.csv" in ZH_F else []
    assert {r["party"] for r in listed} == kept
    if listed:
        assert {"listed_rows": len(listed),
                "parties": len({r["party"] for r in listed})} == ZH_F_LISTED_SIZE


# names_eval_zh_f_sources.csv: the sources-first part of zh_f's listed half (bench/README.md says
# how it was written). Its sizes, so that a row lost later shows.
ZH_F_SOURCES = "names_eval_zh_f_sources.csv"
ZH_F_SOURCES_SIZE = {"listed_rows": 122, "parties": 89}
ZH_F_SOURCES_METHOD = "method: sources-first (f3)"


@pytest.mark.skipif(ZH_F_SOURCES not in ZH_F, reason="the sources-first part is not written yet")
def test_zh_f_sources_part_is_its_own_method_and_adds_new_parties() -> None:
    """Every row of the sources-first part says its method; it holds only listed rows; none of its
    parties (expected entries) is a party of any other Chinese set, the drawn part of zh_f
    included, and none of its queries is a query of them."""
    _, rows = read(ZH_F_SOURCES)
    assert {"listed_rows": len(rows), "parties": len({r["party"] for r in rows})} == \
        ZH_F_SOURCES_SIZE
    assert all(r["note"].startswith(ZH_F_SOURCES_METHOD) for r in rows)
    assert all(r["label"] == "listed" for r in rows)
    # the sets written before it (zh_g, zh_h and zh_i, written later, may take its parties again)
    others = [r for f in CHINESE if f != ZH_F_SOURCES and f not in (*ZH_G, ZH_H, ZH_I)
              for r in read(f)[1]]
    other_keys = {k for r in others for k in r["expected_entry_id"].split(";") if k}
    keys = {k for r in rows for k in r["expected_entry_id"].split(";")}
    assert not keys & other_keys, sorted(keys & other_keys)
    shared = {r["query"] for r in rows} & {r["query"] for r in others}
    assert not shared, sorted(shared)


@pytest.mark.skipif(not ZH_F, reason="neither half of zh_f is written yet")
def test_sixth_chinese_set_is_independent_of_the_tuning_rows(csl_by_key) -> None:
    """zh_f, both halves read as one set: each half holds only its label; sourced kinds only; every
    listed row names only CSL entries with a country, the first one its party, and no entry sits in
    two parties; no duplicate query and no query both listed and unlisted; no party (expected entry)
    and no query of the tuning rows (zh's dev rows, zh_hard), which the matcher's authors saw; no
    unlisted query is, folded, a CSL name or alias."""
    _check_halves_independent_of_tuning(ZH_F, ZH_F_HALVES, csl_by_key)


# names_eval_zh_g.csv: the listed half of zh_g, sources first (bench/README.md says how it was
# written). Asked for: >= 150 listed queries for >= 70 parties; these are its sizes, so that a row
# lost later shows.
ZH_G_LISTED = "names_eval_zh_g.csv"
ZH_G_LISTED_SIZE = {"listed_rows": 189, "parties": 148}
ZH_G_METHOD = "method: sources-first (g1)"


@pytest.mark.skipif(ZH_G_LISTED not in ZH_G, reason="the listed half of zh_g is not written yet")
def test_zh_g_listed_half_is_as_asked_and_says_its_method() -> None:
    """The listed half: only listed rows, as large as recorded (at least the 150 queries for 70
    parties asked for), every note naming its method, every party on a list the brief names (EL,
    MEU, NS-CMIC, OFAC SDN) and with a CN, HK or other country."""
    _, rows = read(ZH_G_LISTED)
    sizes = {"listed_rows": len(rows), "parties": len({r["party"] for r in rows})}
    assert sizes == ZH_G_LISTED_SIZE
    assert sizes["listed_rows"] >= 150 and sizes["parties"] >= 70
    assert all(r["label"] == "listed" for r in rows)
    assert all(r["note"].startswith(ZH_G_METHOD) for r in rows)
    assert all(k.split(":")[0] in {"EL", "MEU", "CMIC", "SDN"}
               for r in rows for k in r["expected_entry_id"].split(";"))


@pytest.mark.skipif(not ZH_G, reason="neither half of zh_g is written yet")
def test_seventh_chinese_set_is_independent_of_the_tuning_rows(csl_by_key) -> None:
    """zh_g, both halves read as one set, checked as zh_f is: each half holds only its label;
    sourced kinds only; every listed row names only CSL entries with a country, the first one its
    party, and no entry sits in two parties; no duplicate query and no query both listed and
    unlisted; no party and no query of the tuning rows (zh's dev rows, zh_hard); no unlisted
    query is, folded, a CSL name or alias."""
    _check_halves_independent_of_tuning(ZH_G, ZH_G_HALVES, csl_by_key)


# names_eval_zh_h.csv: the eighth Chinese set, sources first (bench/README.md says how it was
# written and why its listed half is far smaller than the 150 queries for 100 parties asked for).
# These are its sizes, so that a row lost later shows.
# new_parties was 1 when zh_h was written (Guizhou Aviation Tech. Dev. Nat., MEU); zh_c's
# 贵州航宇科技发展股份有限公司 was relabelled listed on that party the same day, so it is no
# longer new.
# After the set's single run, 永信至诚 (the stock name of OFAC's Integrity Technology Group, whose
# CSL aliases include YONGXIN ZHICHENG TECHNOLOGY GROUP) was relabelled unlisted -> listed.
ZH_H_SIZE = {"listed_rows": 28, "parties": 28, "new_parties": 1, "unlisted_rows": 105,
             "unlisted_hard": 67}
ZH_H_METHOD = "method: sources-first (zhh)"


def test_zh_h_is_as_recorded_and_independent_of_every_earlier_set(csl_by_key) -> None:
    """zh_h: as large as recorded, every note naming its method, every listed party on a list of
    the brief (EL, MEU, NS-CMIC, OFAC SDN, UVL); no query that any earlier Chinese set (zh ..
    zh_g, zh_hard, chinese_names.csv) holds, compared after folding case, width and punctuation;
    the parties in no earlier set counted; over 60 % of the unlisted rows hard; then as zh_e
    (sourced kinds, one party per entry, nothing of the tuning rows, no unlisted query that is a
    CSL name)."""
    _, rows = read(ZH_H)
    listed = [r for r in rows if r["label"] == "listed"]
    unlisted = [r for r in rows if r["label"] == "unlisted"]
    earlier = [r for f in CHINESE if f not in (ZH_H, ZH_I) for r in read(f)[1]]
    earlier_keys = {k for r in earlier for k in r["expected_entry_id"].split(";") if k}
    earlier_queries = {_fold(r["query"]) for r in earlier}
    with (DATA / "chinese_names.csv").open(encoding="utf-8", newline="") as handle:
        earlier_queries |= {_fold(r["chinese_name"]) for r in csv.DictReader(handle)}
    new_parties = {r["party"] for r in listed
                   if not set(r["expected_entry_id"].split(";")) & earlier_keys}
    sizes = {"listed_rows": len(listed), "parties": len({r["party"] for r in listed}),
             "new_parties": len(new_parties), "unlisted_rows": len(unlisted),
             "unlisted_hard": sum(r["kind"] == "unlisted_hard" for r in unlisted)}
    assert sizes == ZH_H_SIZE
    assert sizes["unlisted_hard"] * 10 >= sizes["unlisted_rows"] * 6
    assert all(r["note"].startswith(ZH_H_METHOD) for r in rows)
    assert all(k.split(":")[0] in {"EL", "MEU", "CMIC", "SDN", "UVL"}
               for r in listed for k in r["expected_entry_id"].split(";"))
    shared = sorted(r["query"] for r in rows if _fold(r["query"]) in earlier_queries)
    assert not shared, shared
    _check_independent_of_tuning(rows, listed, unlisted, csl_by_key)


# names_eval_zh_i.csv: the ninth Chinese set (bench/README.md says how it was written). Its listed
# parties are drawn: the CSL's EL / MEU / NS-CMIC / SDN entries with a CN, HK or MO country, one per
# key, ordered by the SHA-256 of "zh_i-2026-12-06:<key>"; names_eval_zh_i_draws.csv logs the walk of
# that order (the whole pool), one row per draw. Asked for: >= 100 listed queries for >= 60 parties;
# the walk kept 33 parties (bench/README.md says why), so these are its real sizes, so that a row
# lost later shows.
ZH_I_DRAWS = "names_eval_zh_i_draws.csv"
ZH_I_SEED = "zh_i-2026-12-06"
ZH_I_SIZE = {"listed_rows": 48, "parties": 33, "unlisted_rows": 101, "unlisted_hard": 69,
             "draws": 2467}
ZH_I_METHODS = ("method: drawn (zhi)", "method: unlisted (zhi)")


def zh_i_draw_order(csl_entries) -> list[str]:
    """The keys of zh_i's draw: EL / MEU / CMIC / SDN entries with a CN, HK or MO country, by the
    SHA-256 of the seed and the key."""
    keys = {e.key for e in csl_entries if e.list_code in ("EL", "MEU", "CMIC", "SDN")
            and {"CN", "HK", "MO"} & set(e.countries)}
    return sorted(keys, key=lambda k: hashlib.sha256(f"{ZH_I_SEED}:{k}".encode()).hexdigest())


def test_zh_i_draws_are_the_seeded_order_and_the_kept_parties_are_its_listed_rows(
        csl_entries) -> None:
    """The draw log is a prefix of the seeded order; searches agree with the outcome; a draw
    skipped as a party of an earlier set is one; the kept draws are exactly the listed parties of
    names_eval_zh_i.csv, each row naming only its drawn entry."""
    columns, draws = read(ZH_I_DRAWS)
    assert columns == ["key", "outcome", "searches", "note"]
    assert [d["key"] for d in draws] == zh_i_draw_order(csl_entries)[:len(draws)]
    earlier = {k for f in CHINESE if f != ZH_I for r in read(f)[1]
               for k in r["expected_entry_id"].split(";") if k}
    for d in draws:
        assert d["outcome"] in ZH_F_OUTCOMES and d["note"], d
        searches = int(d["searches"])
        assert (1 <= searches <= 3) if d["outcome"] in {"kept", "not_found"} else searches == 0, d
        assert (d["key"] in earlier) == d["note"].startswith("party already in an earlier set"), d
    listed = [r for r in read(ZH_I)[1] if r["label"] == "listed"]
    assert {r["party"] for r in listed} == {d["key"] for d in draws if d["outcome"] == "kept"}
    assert all(r["expected_entry_id"].split(";")[0] == r["party"] for r in listed)
    assert len(draws) == ZH_I_SIZE["draws"]


def test_zh_i_is_as_recorded_and_independent_of_every_earlier_set(csl_by_key) -> None:
    """zh_i: as large as recorded, every note naming its method, over 60 % of the unlisted rows
    hard; no listed party and no query (folded: case, width, punctuation) of any earlier Chinese
    set (zh .. zh_h, zh_hard, chinese_names.csv); then as zh_e (sourced kinds, one party per entry,
    nothing of the tuning rows, no unlisted query that is a CSL name)."""
    _, rows = read(ZH_I)
    listed = [r for r in rows if r["label"] == "listed"]
    unlisted = [r for r in rows if r["label"] == "unlisted"]
    sizes = {"listed_rows": len(listed), "parties": len({r["party"] for r in listed}),
             "unlisted_rows": len(unlisted),
             "unlisted_hard": sum(r["kind"] == "unlisted_hard" for r in unlisted),
             "draws": len(read(ZH_I_DRAWS)[1])}
    assert sizes == ZH_I_SIZE
    assert sizes["unlisted_hard"] * 10 >= sizes["unlisted_rows"] * 6
    assert all(r["note"].startswith(ZH_I_METHODS[r["label"] == "unlisted"]) for r in rows)
    earlier = [r for f in CHINESE if f != ZH_I for r in read(f)[1]]
    earlier_keys = {k for r in earlier for k in r["expected_entry_id"].split(";") if k}
    earlier_queries = {_fold(r["query"]) for r in earlier}
    with (DATA / "chinese_names.csv").open(encoding="utf-8", newline="") as handle:
        earlier_queries |= {_fold(r["chinese_name"]) for r in csv.DictReader(handle)}
    assert not {k for r in listed for k in r["expected_entry_id"].split(";")} & earlier_keys
    shared = sorted(r["query"] for r in rows if _fold(r["query"]) in earlier_queries)
    assert not shared, shared
    _check_independent_of_tuning(rows, listed, unlisted, csl_by_key)


def test_pair_negatives_are_not_a_listed_name(csl_entries) -> None:
    """A near miss labelled no_match must not be, after folding case and punctuation, a name or
    alias that is on the CSL (it would then be a positive)."""

    def fold(text: str) -> str:
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())

    listed = {fold(n) for e in csl_entries for n in (e.name, *e.alt_names)}
    _, rows = read("names_eval_pairs.csv")
    clashes = [r["query"] for r in rows if r["label"] == "no_match" and fold(r["query"]) in listed]
    assert not clashes
