"""bench/data/names_eval_pairs_ext2.csv (a second, held-back set of labelled name pairs from other
name-matching projects, bench/README.md says how it was read) is well formed.

Shape only: columns, labels, splits, sources, and no pair of the sets already used. The rows are
never scored here; the set is held back for one run by the coordinator.
"""

from __future__ import annotations

from collections import Counter

from tests.conftest import ROOT
from tests.pairs_sets import (
    check_held_back_rows,
    pair_key,
    project,
    read_rows,
    used_pair_keys,
)

DATA = ROOT / "bench" / "data"
PAIRS = DATA / "names_eval_pairs_ext2.csv"
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


def test_every_row_is_held_back_sourced_and_labelled():
    check_held_back_rows(PAIRS, sides_differ_folded=False)


def test_sizes_sources_and_share_of_non_matches():
    _, rows = read_rows(PAIRS)
    counts = Counter((project(r), r["label"]) for r in rows)
    assert dict(counts) == SIZE
    assert len(rows) >= 250
    assert sum(r["label"] == "no_match" for r in rows) * 10 >= 3 * len(rows)
    assert len({project for project, _ in counts}) >= 4


def test_no_pair_twice_and_none_of_the_sets_already_used():
    _, rows = read_rows(PAIRS)
    keys = [pair_key(r["name_a"], r["name_b"]) for r in rows]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]
    used = used_pair_keys(DATA, "names_eval_pairs_ext.csv")
    assert used, "the used sets were not read"
    shared = [sorted(k) for k in keys if k in used]
    assert not shared, shared[:5]
    # and none of the projects whose files the earlier set took its pairs from
    used_projects = {"opensanctions/nomenklatura", "BraidFI-AI/watchman-java", "moov-io/watchman"}
    assert not {project(r) for r in rows} & used_projects
