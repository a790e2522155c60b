from exportguard.lists.loader import load_file
from exportguard.screening.loaded import current_screener
from tests.conftest import CSL_SAMPLE_IDS, FIXTURES


def test_starter_only_then_official_lists_take_over(store):
    starter = current_screener(store)
    assert starter.starter_only
    assert {e.list_code for e in starter.index.entries} >= {"EL", "CMIC", "FCC"}
    load_file(store, FIXTURES / "csl-api.json")
    loaded = current_screener(store)
    assert not loaded.starter_only
    # The CSL covers EL, DPL and SDN now; the starter set still stands in for CMIC and FCC.
    by_list = {e.list_code for e in loaded.index.entries if e.key.startswith("starter:")}
    assert "EL" not in by_list and {"CMIC", "FCC"} <= by_list
    match = loaded.screen("北京市商汤科技开发有限公司").matches[0]
    assert match.entry.key == "EL:a1b2c3"  # the official entry, reached by its curated name
    assert match.matched_origin == "local"


def test_index_cache_is_reused_and_invalidated(store, tmp_path):
    first = current_screener(store)
    cached = list((tmp_path / "home").glob("index-*.pickle"))
    assert len(cached) == 1
    again = current_screener(store)
    assert [e.key for e in again.index.entries] == [e.key for e in first.index.entries]
    load_file(store, CSL_SAMPLE_IDS)
    after = current_screener(store)
    assert any(e.key.startswith("ISN:") for e in after.index.entries)
    assert list((tmp_path / "home").glob("index-*.pickle")) != cached
