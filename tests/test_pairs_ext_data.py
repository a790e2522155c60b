"""bench/data/names_eval_pairs_ext.csv (labelled name pairs of other screening projects, scored by
bench/pairs_ext.py) is well formed: every row cites a file at a commit, its label and split are as
bench/README.md says."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter

from tests.conftest import ROOT

PAIRS = ROOT / "bench" / "data" / "names_eval_pairs_ext.csv"
SOURCE = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+)/blob/[0-9a-f]{40}/\S+")
KINDS = {"person", "company", "organization", "legalentity", "vessel", "entity"}


def _rows() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_pair_cites_its_file_and_has_a_label_kind_and_split():
    rows = _rows()
    assert list(rows[0]) == ["name_a", "name_b", "label", "kind", "source_url", "split", "note"]
    projects = Counter()
    for row in rows:
        assert row["name_a"].strip() and row["name_b"].strip(), row
        assert row["label"] in ("match", "no_match"), row
        assert row["kind"] in KINDS, row
        assert row["note"].strip(), row
        found = SOURCE.fullmatch(row["source_url"])
        assert found, row["source_url"]
        projects[found.group(1)] += 1
        digest = hashlib.sha256(f"{row['name_a']}\x1f{row['name_b']}".encode()).hexdigest()
        assert row["split"] == ("dev" if int(digest[:8], 16) % 2 == 0 else "heldout"), row
    assert projects == {"opensanctions/nomenklatura": 301, "BraidFI-AI/watchman-java": 124,
                        "moov-io/watchman": 7}
    keys = [(r["name_a"], r["name_b"], r["kind"], r["source_url"]) for r in rows]
    assert len(keys) == len(set(keys)) == 432


def test_nomenklatura_rows_keep_the_bench_label():
    """A nomenklatura row's label is the name bench's is_match, which its note repeats."""
    for row in _rows():
        if "opensanctions/nomenklatura" in row["source_url"]:
            shown = re.match(r"is_match=(true|false);", row["note"])
            assert shown, row
            assert row["label"] == ("match" if shown.group(1) == "true" else "no_match"), row
