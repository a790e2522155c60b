"""The score bound that lets the screener skip candidates: never below the real score, so no
candidate that could reach the threshold is skipped."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from exportguard.names.normalize import name_forms
from exportguard.screening.bound import score_bounds, score_bounds_many
from exportguard.screening.features import score
from exportguard.screening.persons import PARTS_CONTAINED, TITLES_ASIDE

EVAL = Path(__file__).resolve().parents[1] / "bench" / "data" / "names_eval_pairs.csv"
QUERIES = ["Megvii Technology", "Sense Time Group", "SenseTime", "Hikvison Digital",
           "Beijing Kuangshi Keji Youxian Gongsi", "Mohammed al Tikriti", "Supertienda Ltd",
           "Lee Hwa Trading", "NorthwindTrading Company",
           # persons' names within listed ones, lifted by `persons.parts_contained`
           "Maria Antonieta FREGOSO", "Jose de Jesus AMEZCUA", "Mr. Rami Makhlouf",
           "A. Khamenei", "USAMO BIN LADIN",
           # titles set aside, initials (`persons.person_reading`)
           "Sheikh Hasan Nasrallah", "Gen. Qasem Soleimani", "President Vladimir Putin",
           "Dr. Rami Makhlouf", "Vladimir V. Putin"]


def test_bound_is_never_below_the_score(full_screener) -> None:
    with EVAL.open(encoding="utf-8", newline="") as handle:
        queries = QUERIES + [row["query"] for row in csv.DictReader(handle)][:150]
    index = full_screener.index
    checked = skipped = lifted = titled = 0
    for query in queries:
        for form in name_forms(query):
            weights = index.weights(form)
            numbers = index.candidates(form, 40)
            bounds = score_bounds(index, form, weights, numbers.astype(np.int64))
            for number, bound in zip(numbers.tolist(), bounds.tolist(), strict=True):
                name = index.names[number]
                value = score(form, weights, name.form, index.name_weights[number])
                assert bound >= value, (query, name.text, bound, value)
                lifted += value == PARTS_CONTAINED
                titled += value == TITLES_ASIDE
                if form.kind != "transliterated":  # not bounded: its words match on consonants
                    checked += 1
                    skipped += bound < 0.8
    assert checked > 1500
    assert skipped > checked / 2  # the bound is tight enough to skip most candidates
    assert lifted >= 3  # FREGOSO, AMEZCUA, MAKHLOUF
    assert titled >= 4  # NASRALLAH, SOLEIMANI, PUTIN, MAKHLOUF


def test_glued_words_are_never_skipped(full_screener) -> None:
    index = full_screener.index
    numbers = np.asarray([n for n, name in enumerate(index.names)
                          if "hikvision" in name.form.tokens], dtype=np.int64)
    assert len(numbers) > 0
    form = name_forms("Hik Vision")[0]
    bounds = score_bounds(index, form, index.weights(form), numbers)
    assert (bounds == np.inf).all()


def test_bounds_of_all_readings_at_once_are_each_reading_alone(full_screener) -> None:
    """`score_bounds_many` (a screen's forms bounded in one step) gives each form, bit for bit,
    what `score_bounds` gives it alone: names in characters with several readings (and so
    several forms of different words), Latin names, and forms without candidates."""
    index = full_screener.index
    texts = ["摩尔线程智能科技（北京）有限责任公司", "中国航天科技集团有限公司",
             "上海壁仞智能科技有限公司", "中国海洋石油有限公司", "北京旷视科技有限公司",
             "Hik Vision Digital", "Megvii Technology"]
    checked = several = 0
    for text in texts:
        forms = name_forms(text)
        jobs = []
        for form in forms:
            numbers = index.candidates(form, 40).astype(np.int64)
            weights = index.weights(form)
            lighter = tuple(w / 2 for w in weights)
            jobs.append((form, numbers, (weights, lighter)))
        jobs.append((forms[0], np.empty(0, dtype=np.int64), (index.weights(forms[0]),)))
        together = score_bounds_many(index, jobs)
        several += len(forms) > 1
        for (form, numbers, weights), bounds in zip(jobs, together, strict=True):
            alone = score_bounds(index, form, weights[0], numbers, *weights[1:])
            assert bounds.tobytes() == alone.tobytes(), (text, form.tokens)
            checked += len(numbers)
    assert several >= 4 and checked > 300
