"""The 40th-place rule of `NameIndex.candidates` and the gate on the Japanese readings."""

from exportguard.model import ListEntry
from exportguard.names.normalize import japanese_forms, name_forms
from exportguard.screening.index import NameIndex


def _index(*names: str) -> NameIndex:
    return NameIndex([ListEntry(list_code="SDN", name=n, key=f"K{i}") for i, n in enumerate(names)])


def _names(index: NameIndex, numbers) -> list[str]:
    return sorted(index.names[int(n)].text for n in numbers)


def test_names_tied_at_the_cut_are_kept_shorter_first_then_in_entry_order():
    # All three share the word and the same four trigrams of "alpha": tied on hits.
    index = _index("Alpha Zeta", "Alpha Beta", "Alpha Q")
    query = name_forms("Alpha")[0]
    assert _names(index, index.candidates(query, 3)) == ["Alpha Beta", "Alpha Q", "Alpha Zeta"]
    # Two places: the shortest, then the earlier of the two of equal length.
    assert _names(index, index.candidates(query, 2)) == ["Alpha Q", "Alpha Zeta"]
    assert _names(index, index.candidates(query, 1)) == ["Alpha Q"]


def test_more_hits_win_over_a_shorter_name():
    index = _index("Alpha Beta Gamma Trading", "Alpha Q", "Alpha Beta")
    query = name_forms("Alpha Beta")[0]
    assert _names(index, index.candidates(query, 2)) == ["Alpha Beta", "Alpha Beta Gamma Trading"]


def test_kanji_alone_are_read_in_japanese_apart_from_their_chinese_forms():
    assert all(form.kind != "syllabic" for form in name_forms("住吉会"))
    assert [form.core for form in japanese_forms("住吉会")] == ["sumiyoshi kai"]
    assert japanese_forms("Sumiyoshi Kai") == ()
