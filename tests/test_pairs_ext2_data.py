"""bench/data/names_eval_pairs_ext2.csv (a second, held-back set of labelled name pairs from other
name-matching projects, bench/README.md says how it was read) is well formed.

Shape only: columns, labels, splits, sources, and no pair of the sets already used. The rows are
never scored here; the set is held back for one run by the coordinator.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter

from tests.conftest import ROOT

DATA = ROOT / "bench" / "data"
PAIRS = DATA / "names_eval_pairs_ext2.csv"
COLUMNS = ["name_a", "name_b", "label", "kind", "source_url", "split", "note"]
SOURCE = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+)/blob/[0-9a-f]{40}/\S+")
KINDS = {"person", "company", "organization", "vessel"}
# rows by (project, label) as written, so that a row lost or added later shows
SIZE = {
    ("sdiehl/human_match", "match"): 179, ("sdiehl/human_match", "no_match"): 6,
    ("sanskarpan/name-matching-kyc", "match"): 32,
    ("sanskarpan/name-matching-kyc", "no_match"): 115,
    ("opensanctions/rigour", "match"): 35,
    ("rliebz/whoswho", "match"): 15, ("rliebz/whoswho", "no_match"): 10,
    ("psolin/cleanco", "match"): 10,
    ("Christopher-Thornton/hmni", "match"): 1, ("Christopher-Thornton/hmni", "no_match"): 1,
}


def _read(path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _key(a: str, b: str) -> frozenset[str]:
    """A pair in either order, case folded."""
    return frozenset((a.casefold(), b.casefold()))


def test_every_row_is_held_back_sourced_and_labelled():
    columns, rows = _read(PAIRS)
    assert columns == COLUMNS
    for number, row in enumerate(rows, start=2):
        where = f"{PAIRS.name}:{number}"
        for side in ("name_a", "name_b"):
            assert row[side] and row[side].strip() == row[side], where
            assert unicodedata.is_normalized("NFC", row[side]), where
        assert row["name_a"] != row["name_b"], where
        assert row["label"] in ("match", "no_match"), where
        assert row["kind"] in KINDS, where
        assert row["split"] == "heldout", f"{where}: a held-back set has only heldout rows"
        assert SOURCE.fullmatch(row["source_url"]), f"{where}: {row['source_url']}"
        assert row["note"].strip(), where


def test_sizes_sources_and_share_of_non_matches():
    _, rows = _read(PAIRS)
    counts = Counter((SOURCE.fullmatch(r["source_url"]).group(1), r["label"]) for r in rows)
    assert dict(counts) == SIZE
    assert len(rows) >= 250
    assert sum(r["label"] == "no_match" for r in rows) * 10 >= 3 * len(rows)
    assert len({project for project, _ in counts}) >= 4


def test_no_pair_twice_and_none_of_the_sets_already_used():
    _, rows = _read(PAIRS)
    keys = [_key(r["name_a"], r["name_b"]) for r in rows]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]
    used = {_key(r["name_a"], r["name_b"]) for r in _read(DATA / "names_eval_pairs_ext.csv")[1]}
    used |= {_key(r["query"], r["expected_name"]) for r in _read(DATA / "names_eval_pairs.csv")[1]}
    assert used, "the used sets were not read"
    shared = [sorted(k) for k in keys if k in used]
    assert not shared, shared[:5]
    # and none of the projects whose files the earlier set took its pairs from
    used_projects = {"opensanctions/nomenklatura", "BraidFI-AI/watchman-java", "moov-io/watchman"}
    assert not {SOURCE.fullmatch(r["source_url"]).group(1) for r in rows} & used_projects
