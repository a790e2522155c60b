"""The score bound that lets the screener skip candidates: never below the real score, so no
candidate that could reach the threshold is skipped."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from exportguard.names.normalize import name_forms
from exportguard.screening.bound import score_bounds
from exportguard.screening.features import score

EVAL = Path(__file__).resolve().parents[1] / "bench" / "data" / "names_eval_pairs.csv"
QUERIES = ["Megvii Technology", "Sense Time Group", "SenseTime", "Hikvison Digital",
           "Beijing Kuangshi Keji Youxian Gongsi", "Mohammed al Tikriti", "Supertienda Ltd",
           "Lee Hwa Trading", "NorthwindTrading Company"]


def test_bound_is_never_below_the_score(full_screener) -> None:
    with EVAL.open(encoding="utf-8", newline="") as handle:
        queries = QUERIES + [row["query"] for row in csv.DictReader(handle)][:150]
    index = full_screener.index
    checked = skipped = 0
    for query in queries:
        for form in name_forms(query):
            weights = index.weights(form)
            numbers = index.candidates(form, 40)
            bounds = score_bounds(index, form, weights, numbers.astype(np.int64))
            for number, bound in zip(numbers.tolist(), bounds.tolist(), strict=True):
                name = index.names[number]
                value = score(form, weights, name.form, index.name_weights[number])
                assert bound >= value, (query, name.text, bound, value)
                if form.kind != "transliterated":  # not bounded: its words match on consonants
                    checked += 1
                    skipped += bound < 0.8
    assert checked > 1500
    assert skipped > checked / 2  # the bound is tight enough to skip most candidates


def test_glued_words_are_never_skipped(full_screener) -> None:
    index = full_screener.index
    numbers = np.asarray([n for n, name in enumerate(index.names)
                          if "hikvision" in name.form.tokens], dtype=np.int64)
    assert len(numbers) > 0
    form = name_forms("Hik Vision")[0]
    bounds = score_bounds(index, form, index.weights(form), numbers)
    assert (bounds == np.inf).all()
