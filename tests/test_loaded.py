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
    cached = list((tmp_path / "home").glob("index-*.flat"))
    assert len(cached) == 1
    again = current_screener(store)
    assert [e.key for e in again.index.entries] == [e.key for e in first.index.entries]
    load_file(store, CSL_SAMPLE_IDS)
    after = current_screener(store)
    assert any(e.key.startswith("ISN:") for e in after.index.entries)
    assert list((tmp_path / "home").glob("index-*.flat")) != cached


def test_the_index_file_screens_as_the_built_index_and_a_damaged_one_is_rebuilt(store, tmp_path):
    load_file(store, CSL_SAMPLE_IDS)
    built = current_screener(store, cache=False)
    current_screener(store)  # builds and writes the file
    (path,) = (tmp_path / "home").glob("index-*.flat")
    read = current_screener(store)
    assert not isinstance(read.index.names, list)  # memory-mapped, decoded on demand
    for query in ("Hikvision", "北京市商汤科技开发有限公司", "Aero Trading LLC", "sensetime"):
        ours = [(m.entry.key, m.score, m.matched_name) for m in read.screen(query).matches]
        assert ours == [(m.entry.key, m.score, m.matched_name)
                        for m in built.screen(query).matches]
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[: size // 2])
    again = current_screener(store)
    assert [e.key for e in again.index.entries] == [e.key for e in built.index.entries]
    assert path.stat().st_size == size
