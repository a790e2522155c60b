"""bench/data/names_eval_pairs_ext3.csv (a third, held-back set of labelled name pairs from other
projects' test files and evaluation data, bench/README.md says how it was read) is well formed.

Shape only: columns, labels, splits, sources, sizes, scripts and no pair of the sets already used.
The rows are never scored here; the set is held back for one run by the lead
(`bench/pairs_ext.py --file bench/data/names_eval_pairs_ext3.csv --splits heldout`).
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections import Counter

import pytest

from tests.conftest import ROOT
from tests.pairs_sets import (
    check_held_back_rows,
    pair_key,
    project,
    read_rows,
    used_pair_keys,
)

DATA = ROOT / "bench" / "data"
PAIRS = DATA / "names_eval_pairs_ext3.csv"
# rows by (project, label) as written, so that a row lost or added later shows
SIZE = {
    ("Senzing/truth-sets", "match"): 58, ("Senzing/truth-sets", "no_match"): 49,
    ("ngraczykowski/iris-root", "match"): 35, ("ngraczykowski/iris-root", "no_match"): 8,
    ("easonanalytica/company_name_matcher", "match"): 25,
    ("easonanalytica/company_name_matcher", "no_match"): 10,
    ("asderix/Esc", "match"): 16, ("asderix/Esc", "no_match"): 6,
    ("mefeakengin/campaign-finance", "match"): 15, ("mefeakengin/campaign-finance", "no_match"): 13,
    ("OSabb/dedupe-examples", "no_match"): 2,
    ("sunlightlabs/name-cleaver", "match"): 22,
    ("alephdata/fingerprints", "match"): 9,
    ("opensanctions/yente", "match"): 5,
    ("nalgeon/iuliia", "match"): 8,
    ("allenai/sinonym", "match"): 14,
    ("dbourget/Text-Names", "match"): 7, ("dbourget/Text-Names", "no_match"): 4,
}
# the projects whose files names_eval_pairs_ext.csv and names_eval_pairs_ext2.csv were read from
USED_PROJECTS = {
    "opensanctions/nomenklatura", "BraidFI-AI/watchman-java", "moov-io/watchman",
    "sdiehl/human_match", "sanskarpan/name-matching-kyc", "opensanctions/rigour", "rliebz/whoswho",
    "psolin/cleanco", "Christopher-Thornton/hmni",
}


def test_every_row_is_held_back_sourced_and_labelled():
    check_held_back_rows(PAIRS, sides_differ_folded=True)


def test_sizes_sources_kinds_and_share_of_non_matches():
    _, rows = read_rows(PAIRS)
    assert dict(Counter((project(r), r["label"]) for r in rows)) == SIZE
    assert len(rows) == 306
    labels = Counter(r["label"] for r in rows)
    assert labels == {"match": 214, "no_match": 92}
    assert labels["no_match"] * 10 >= 3 * len(rows)  # at least 30 % non-matches
    kinds = Counter(r["kind"] for r in rows)
    assert kinds == {"person": 176, "company": 105, "organization": 25}
    assert (kinds["company"] + kinds["organization"]) * 100 >= 35 * len(rows)


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(c).split()[0] for c in text if c.isalpha()}


def test_cross_script_rows():
    """Han, Cyrillic, Arabic and Khmer names against their Latin forms, as the sources give them."""
    _, rows = read_rows(PAIRS)
    counts = Counter()
    for row in rows:
        both = _scripts(row["name_a"]) | _scripts(row["name_b"])
        for script in both - {"LATIN"}:
            counts[(script, row["label"], "LATIN" in both)] += 1
    assert counts == {
        ("CJK", "match", True): 20, ("CJK", "no_match", False): 10,
        ("CYRILLIC", "match", True): 13, ("CYRILLIC", "match", False): 1,
        ("ARABIC", "match", True): 1, ("KHMER", "match", True): 1,
    }


def test_no_pair_twice_and_none_of_the_sets_already_used():
    _, rows = read_rows(PAIRS)
    keys = [pair_key(r["name_a"], r["name_b"]) for r in rows]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]
    used = used_pair_keys(DATA, "names_eval_pairs_ext.csv", "names_eval_pairs_ext2.csv")
    assert len(used) > 1200, "the used sets were not read"
    shared = [sorted(k) for k in keys if k in used]
    assert not shared, shared[:5]
    assert not {project(r) for r in rows} & USED_PROJECTS


@pytest.fixture(scope="module")
def pairs_ext():
    """bench/pairs_ext.py as a module (its reader only; no matcher is built)."""
    path = ROOT / "bench" / "pairs_ext.py"
    spec = importlib.util.spec_from_file_location("pairs_ext_for_ext3", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_reader_takes_the_file_as_a_heldout_only_set(pairs_ext):
    """`pairs_ext.py --file ... --splits heldout` reads it; with no dev rows the baselines'
    thresholds come from the default file's rows, which the reader also takes."""
    rows = pairs_ext.read_pairs(PAIRS)
    assert len(rows) == 306
    assert {r["split"] for r in rows} == {"heldout"}
    assert {r["kind"] for r in rows} <= set(pairs_ext.SCHEMAS)
    assert len(pairs_ext.read_pairs(pairs_ext.PAIRS)) == 432
