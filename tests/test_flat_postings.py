"""Postings read from an index file answer the first keys asked by searching the encoded keys
(screening/flat.py: `Postings._find`), then by the dictionary of all keys: the same answers
either way, for present, absent and odd keys."""

from __future__ import annotations

import numpy as np

from exportguard.screening import flat
from exportguard.screening.flat import Postings, read_arrays, write_arrays


def _read_back(postings: Postings, tmp_path, name: str = "p") -> Postings:
    path = tmp_path / f"{name}.flat"
    write_arrays(path, postings.to_arrays("p"))
    return Postings.from_arrays(read_arrays(path), "p")


def _answers(postings: Postings, keys: list[str]) -> list[object]:
    return [(key in postings, postings.slot(key),
             None if (a := postings.array(key)) is None else a.tolist(),
             postings.get(key, [-1]))
            for key in keys]


def test_searched_keys_answer_as_the_dictionary(tmp_path):
    lists = {"huawei": [0, 3, 9], "hua": [1], "wei": [2, 3], "华为": [4], "a b": [5], "": [6],
             "technology": list(range(7, 20)), "tech": [20], "ltd.": [21]}
    built = Postings.of(lists)
    asked = [*lists, "hu", "awei", "huawe", "huaweii", "ei\nhua", "\n", "华", "x", "a", "b",
             "technolog", "echnology", "ltd"]
    expected = _answers(built, asked)
    read = _read_back(built, tmp_path)
    first = flat._SEARCHED // 4 - 2  # four look-ups a key
    assert _answers(read, asked[:first]) == expected[:first]
    assert read._slots is None  # answered without the dictionary
    assert [a.tolist() for a in read.arrays(["wei", "nothing", "huawei"])] == [[2, 3], [0, 3, 9]]
    # Past the limit the dictionary takes over, with the same answers.
    for _ in range(flat._SEARCHED):
        read.slot("x")
    assert _answers(read, asked) == expected
    assert read._slots is not None
    assert read.keys == list(lists)


def test_empty_postings_from_a_file(tmp_path):
    read = _read_back(Postings.of({}), tmp_path, "empty")
    assert "" not in read and read.slot("a") == -1 and read.array("") is None
    assert read.arrays(["a", ""]) == []


def test_many_keys_each_found_at_its_place(tmp_path):
    keys = [f"k{i}" for i in range(5000)]
    built = Postings.of({k: [i] for i, k in enumerate(keys)})
    read = _read_back(built, tmp_path)
    for key in [keys[0], keys[4999], keys[2500], "k10", "k100", "k1000"]:
        flat_read = _read_back(built, tmp_path, key)
        assert flat_read.slot(key) == keys.index(key)
        assert flat_read.array(key).tolist() == [keys.index(key)]
    assert read.array("k5000") is None
    assert isinstance(read.array("k7"), np.ndarray)


def test_flagged_postings_keep_the_flagged_numbers_of_each_key_in_order(tmp_path):
    """`Postings.flagged` (the delta re-screen's exact cores of the touched names): of every
    key, the numbers flagged, in their order, and no key left without one; read from a file,
    only those keys are decoded."""
    lists = {"huawei": [0, 3, 9], "": [1], "wei": [2, 4], "华为 technologies": [5, 7],
             "a b": [6], "z": [8, 10, 11], "last": [12]}
    flags = np.zeros(13, dtype=bool)
    flags[[0, 1, 5, 7, 9, 11, 12]] = True
    expected = {key: kept for key, numbers in lists.items()
                if (kept := [n for n in numbers if flags[n]])}
    for postings in (Postings.of(lists), _read_back(Postings.of(lists), tmp_path)):
        found = postings.flagged(flags)
        assert dict(found.items()) == expected
        assert [found.get(key, []) for key in lists] == [expected.get(key, []) for key in lists]
        assert not postings.flagged(np.zeros(13, dtype=bool)).keys
    assert dict(_read_back(Postings.of({}), tmp_path, "e").flagged(flags).items()) == {}
