"""Equal scores are ordered by the list that restricts most: a user (and a batch's best match)
sees Megvii's and Hikvision's Entity List entries before the same names on the NS-CMIC list."""

import pytest

from exportguard.lists.codes import LIST_NAMES


@pytest.mark.parametrize(("query", "first"), [
    ("Megvii Technology Limited", "EL"), ("Hangzhou Hikvision Digital Technology Co., Ltd.", "EL")])
def test_the_most_restrictive_list_comes_first_on_a_tie(full_screener, query, first):
    matches = full_screener.screen(query).matches
    top = [m for m in matches if m.score == matches[0].score]
    assert len({m.entry.list_code for m in top}) > 1, "the query must tie across lists"
    assert top[0].entry.list_code == first
    order = list(LIST_NAMES)
    ranks = [order.index(m.entry.list_code) for m in top]
    assert ranks == sorted(ranks)
