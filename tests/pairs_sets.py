"""What the held-back labelled pairs files (bench/data/names_eval_pairs_ext2.csv, _ext3.csv) share:
their columns, how a row cites its source, and the checks every row of such a set passes."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

COLUMNS = ["name_a", "name_b", "label", "kind", "source_url", "split", "note"]
# a GitHub file at the commit read; group 1 is the project (owner/name)
SOURCE = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+)/blob/[0-9a-f]{40}/\S+")
KINDS = {"person", "company", "organization", "vessel"}


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def pair_key(a: str, b: str) -> frozenset[str]:
    """A pair in either order, case folded."""
    return frozenset((a.casefold(), b.casefold()))


def project(row: dict[str, str]) -> str:
    found = SOURCE.fullmatch(row["source_url"])
    assert found, row["source_url"]
    return found.group(1)


def check_held_back_rows(path: Path, *, sides_differ_folded: bool) -> list[dict[str, str]]:
    """Every row: the columns, both names NFC and trimmed, a label, a kind, heldout only, a
    source at a commit and a note saying how the label was read. Returns the rows."""
    columns, rows = read_rows(path)
    assert columns == COLUMNS
    for number, row in enumerate(rows, start=2):
        where = f"{path.name}:{number}"
        for side in ("name_a", "name_b"):
            assert row[side] and row[side].strip() == row[side], where
            assert unicodedata.is_normalized("NFC", row[side]), where
        if sides_differ_folded:
            assert row["name_a"].casefold() != row["name_b"].casefold(), where
        else:
            assert row["name_a"] != row["name_b"], where
        assert row["label"] in ("match", "no_match"), where
        assert row["kind"] in KINDS, where
        assert row["split"] == "heldout", f"{where}: a held-back set has only heldout rows"
        assert SOURCE.fullmatch(row["source_url"]), f"{where}: {row['source_url']}"
        assert row["note"].strip(), where
    return rows


def used_pair_keys(data: Path, *pair_files: str) -> set[frozenset[str]]:
    """The pairs of the sets already used: the given pairs files (name_a, name_b) and the team's
    own names_eval_pairs.csv (query, expected_name)."""
    used = set()
    for name in pair_files:
        used |= {pair_key(r["name_a"], r["name_b"]) for r in read_rows(data / name)[1]}
    team = read_rows(data / "names_eval_pairs.csv")[1]
    return used | {pair_key(r["query"], r["expected_name"]) for r in team}
