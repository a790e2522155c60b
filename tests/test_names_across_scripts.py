"""The listed party is found whatever script and form its name arrives in (issue 16): Chinese
readings, other scripts, names inside a query, addresses, glued words; and near misses stay below
the threshold. Real entries of the reference CSL."""

import dataclasses

import pytest

from exportguard.names.chinese import readings
from exportguard.names.japanese import romaji
from exportguard.names.korean import dprk_person, korean_terms, mr_word, mr_words, sino_korean
from exportguard.names.legal import ascii_forms, build_ascii_forms
from exportguard.names.normalize import han_key, name_forms
from exportguard.names.query import query_parts, split_glued
from exportguard.names.scripts import romanisations, skeleton
from exportguard.names.syllables import pinyin_syllables
from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.screener import Screener
from exportguard.screening.typos import keyboard_neighbours, slip
from tests.checking import found

CETC_14 = "China Electronics Technology Group Corporation 14th Research Institute (CETC 14)"


def test_traditional_and_simplified_characters_are_one_name():
    assert han_key("華為技術有限公司") == han_key("华为技术有限公司") == "华为技术有限公司"


def test_chinese_numerals_and_short_forms_are_read():
    full = name_forms("中国电子科技集团公司第十四研究所")[0]
    assert full.tokens == ("china", "electronics", "technology", "group", "14", "research",
                           "institute")
    assert name_forms("中电科十四所")[0].tokens == full.tokens
    assert "第十四 read as number 14" in full.notes


def test_university_conventions_are_each_a_reading():
    texts = [r.text for r in readings("哈尔滨工业大学")]
    assert texts == ["harbin polytechnical university", "harbin institute of technology",
                     "harbin university of technology"]


def test_dictionary_word_holding_a_term_is_split_around_it():
    # jieba knows 复旦大学 as one word; 大学 is a term, so the brand is read on its own.
    assert name_forms("复旦大学")[0].text == "fudan university"


def test_unknown_words_get_their_cc_cedict_reading():
    kinds: dict = {}
    for form in name_forms("长江船舶运输有限公司"):
        kinds.setdefault(form.kind, form)  # the first of each kind (船舶 also reads 'shipping')
    assert kinds["han-translated"].tokens == ("changjiang", "shipbuilding", "transport")
    assert kinds["han-dictionary"].tokens == ("yangtze", "river", "shipbuilding", "transport")
    assert "长江 as 'yangtze river' (CC-CEDICT)" in kinds["han-dictionary"].notes


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("華為終端有限公司", "Huawei Device Co., Ltd."),
        ("西北工业大学", "Northwestern Polytechnical University"),
        ("哈尔滨工业大学", "Harbin Institute of Technology"),
        ("南京航空航天大学", "Nanjing University of Aeronautics and Astronautics"),
        ("中电科14所", CETC_14),
        ("中国电子科技集团公司第十四研究所", CETC_14),
    ],
)
def test_chinese_name_finds_the_listed_english_name(full_screener, query, listed):
    match = found(full_screener, query).get(listed)
    assert match is not None and match.score >= DEFAULT_THRESHOLD


def test_reading_is_explained(csl_entries):
    # Without the curated names (NUAA has one, which would match exactly; `full_screener` adds
    # them to the session's entries in place): the reading itself.
    nuaa = "Nanjing University of Aeronautics and Astronautics"
    screener = Screener.from_entries([dataclasses.replace(e, local_names=[])
                                      for e in csl_entries if "Astronautics" in e.name])
    match = found(screener, "南京航空航天大学")[nuaa]
    reading = next(f for f in match.features if f.name == "transliteration")
    assert "航空航天 as 'aeronautics and astronautics' (name term)" in reading.detail


@pytest.mark.parametrize(
    ("query", "listed"),
    [("Банк Россия", "BANK ROSSIYA"), ("Белнефтехим", "BELNEFTEKHIM"),
     ("Стройгазмонтаж", "STROYGAZMONTAZH")],
)
def test_cyrillic_name_finds_its_latin_listing(full_screener, query, listed):
    match = found(full_screener, query).get(listed)
    assert match is not None and match.score >= DEFAULT_THRESHOLD
    assert match.query_form_kind == "transliterated"


def test_former_name_in_the_query_is_screened_on_its_own(full_screener):
    assert [(p.text, p.role) for p in query_parts("NEPTUNE STAR (ex-ARNICA)")][1:] == [
        ("NEPTUNE STAR", "name"), ("ARNICA", "other name")]
    match = found(full_screener, "NEPTUNE STAR (ex-ARNICA)")["ARNICA"]
    assert match.score == 1.0
    assert any(f.name == "query_cleanup" and "'ARNICA'" in f.detail for f in match.features)


def test_address_after_the_name_is_set_aside(full_screener):
    query = "Hangzhou Hikvision Digital Technology Co., Ltd., 555 Qianmo Road, Binjiang District"
    assert query_parts(query)[1].text == "Hangzhou Hikvision Digital Technology Co., Ltd."
    match = found(full_screener, query)["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert match.score == 1.0


def test_glued_words_are_split_against_listed_words(full_screener):
    assert split_glued("hikvisiondigital", {"hikvision", "digital"}) == ["hikvision", "digital"]
    assert split_glued("hikvision", {"hik", "vision", "hikvision"}) is None
    for query in ("HangzhouHikvisionDigitalTechnology", "hangzhouhikvisiondigitaltechnology"):
        assert "Hangzhou Hikvision Digital Technology Co., Ltd." in found(full_screener, query)


def test_legal_forms_spelt_out_in_other_languages():
    assert name_forms("Acme Gesellschaft mit beschraenkter Haftung")[0].legal_forms == ("gmbh",)
    polish = name_forms("Polmex spółka z ograniczoną odpowiedzialnością")[0]
    assert polish.tokens == ("polmex",) and polish.legal_forms == ("spzoo",)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Another university whose English name the same convention gives.
        ("北京工业大学", "Beijing Institute of Technology"),
        # A university is not the company that shares its brand word.
        ("复旦大学", "Shanghai Fudan Microelectronics Co., Ltd."),
    ],
)
def test_near_misses_stay_below_the_threshold(full_screener, query, listed):
    assert listed not in found(full_screener, query)


def test_other_legal_form_and_other_country_is_not_a_match(full_screener):
    listed = "Hangzhou Hikvision Digital Technology Co., Ltd."
    same = found(full_screener, "Hangzhou Hikvision Digital Technology GmbH", min_score=0)[listed]
    assert same.score == pytest.approx(0.95)
    assert "legal_form_conflict" in [f.name for f in same.features]
    elsewhere = found(full_screener, "Hangzhou Hikvision Digital Technology GmbH", country="DE")
    assert listed not in elsewhere


def test_abjad_reading_finds_the_name_by_its_consonants(full_screener):
    # Hebrew writes no vowels: חמאס reads 'hms'; the index finds HAMAS by its skeleton.
    hamas = found(full_screener, "חמאס")["HAMAS"]
    assert hamas.score >= DEFAULT_THRESHOLD
    reading = next(f for f in hamas.features if f.name == "transliteration")
    assert reading.detail == "read 'חמאס' as 'hms' (ICU Hebrew-Latin/BGN)"
    gharib = found(full_screener, "فاضل محمود غريب")["GHARIB, Fadil Mahmud"]
    assert gharib.score >= DEFAULT_THRESHOLD
    overlap = next(f for f in gharib.features if f.name == "token_overlap")
    assert "ghryb~gharib (consonants 0.95)" in overlap.detail


def test_abjad_article_and_final_vowel_letter():
    assert skeleton("qaidah") == skeleton("qaida") == "qd"
    assert romanisations("אל קאעידה")[0][1] == "al qaydh"  # alef carries the vowel


def test_greek_reads_borrowed_names_as_they_sound(full_screener):
    assert ("Greek letters as in borrowed names, then ICU Greek-Latin/UNGEGN", "Hamas") in (
        romanisations("Χαμάς"))
    assert found(full_screener, "Χαμάς")["HAMAS"].score == 1.0


def test_korean_is_read_in_mccune_reischauer_and_cut_into_listed_words(full_screener):
    assert mr_word("정찰총국") == "chongchalchongguk"  # ㄱ voiced after ng inside a word
    assert mr_word("대성") == "taesong" and mr_word("만수대") == "mansudae"
    assert mr_words("조선대성은행", {"choson", "taesong", "unhaeng"}) == "choson taesong unhaeng"
    bank = found(full_screener, "조선대성은행")["KOREA DAESONG BANK"]
    assert bank.matched_name == "CHOSON TAESONG UNHAENG" and bank.score == 1.0
    reading = next(f for f in bank.features if f.name == "transliteration")
    assert reading.detail.startswith("read '조선대성은행' as 'choson taesong unhaeng' "
                                     "(McCune-Reischauer")


@pytest.mark.parametrize(
    ("name", "core", "forms"),
    [
        ("Orlen Spolka Akcyjna", ("orlen",), ("sa",)),  # only "spółka akcyjna" in rigour
        ("Volvo Aktiebolag", ("volvo",), ("ab",)),
        ("Nokia Osakeyhtio", ("nokia",), ("oy",)),
        ("Koc Holding Anonim Sirketi", ("koc", "holding"), ("as",)),
    ],
)
def test_legal_forms_written_without_accents(name, core, forms):
    form = name_forms(name)[0]
    assert (form.tokens, form.legal_forms) == (core, forms)


def test_ascii_legal_forms_file_is_what_its_sources_make():
    pytest.importorskip("fingerprints")
    assert {" ".join(k): v for k, v in ascii_forms().items()} == build_ascii_forms()


def test_one_letter_in_a_long_distinctive_word_is_a_typo_below_an_exact_match(full_screener):
    match = found(full_screener, "ELELTRORADIOAVTOMATIKA JSC")["ELEKTRORADIOAVTOMATIKA JSC"]
    assert match.score == pytest.approx(0.92)
    letter = next(f for f in match.features if f.name == "one_letter_differs")
    assert letter.detail.startswith("one letter differs in the distinctive word "
                                    "'elektroradioavtomatika' (query 'eleltroradioavtomatika')")


@pytest.mark.parametrize(
    ("query", "listed", "why"),
    [
        ("BRITNEY RYDIR LIMITED", "BRITNEY RYDER LIMITED", "in a word of 5 letters or fewer"),
        ("DOLLYS BELL DOO BEOGRAD-NOVI BEOGRAD", "DOLLY BELL DOO BEOGRAD-NOVI BEOGRAD",
         "one is the plural of the other"),
        ("Shenzhen Guowei Hongmo Technology Co., Ltd.",
         "Shenzhen Guowei Hongbo Technology Co., Ltd.", "both are pinyin (hong mo / hong bo)"),
        # s for g: keys apart, another sound; r for s: neither a neighbour nor a doubled letter.
        ("AO Aviaasregat", "AO Aviaagregat", "no slip of typing or spelling"),
        ("MARRHALL CAPITAL PARTNERS", "MARSHALL CAPITAL PARTNERS", "no slip of typing"),
    ],
)
def test_one_letter_that_likely_makes_another_name_falls_below(full_screener, query, listed, why):
    match = found(full_screener, query, min_score=0)[listed]
    assert match.score < DEFAULT_THRESHOLD
    assert match.score == pytest.approx(sum(f.contribution for f in match.features))
    letter = next(f for f in match.features if f.name == "one_letter_differs")
    assert why in letter.detail and letter.contribution == pytest.approx(-0.10)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Creative Dynamiks Engineering", "Creative Dynamics Engineering"),  # same sound
        ("TIMBOVSKII POROKHOVOI ZAVOD", "TAMBOVSKII POROKHOVOI ZAVOD"),  # a vowel: same sound
        ("JSC THE SPECIAL BOILLER DESIGN BUREAU", "JSC THE SPECIAL BOILER DESIGN BUREAU"),
        ("Hangzhou Hikvisoin Digital Technology",
         "Hangzhou Hikvision Digital Technology Co., Ltd."),
    ],
)
def test_one_letter_slips_stay_matches_below_exact(full_screener, query, listed):
    match = found(full_screener, query)[listed]
    assert DEFAULT_THRESHOLD <= match.score <= 0.92


def test_typing_slips_are_told_from_other_letters():
    assert keyboard_neighbours()["g"] == frozenset("tyfhvb")
    assert keyboard_neighbours()["p"] == frozenset("ol")
    assert slip("podts", "posts") == "'d' for 's', a neighbouring key"
    assert slip("dynamiks", "dynamics") == "'k' for 'c' keeps the sound"
    assert slip("hikvisoin", "hikvision") == "two neighbouring letters swapped"
    assert slip("hikvison", "hikvision") == "a letter dropped"
    assert slip("hikkvision", "hikvision") == "'k' doubled"
    assert slip("hikvisjion", "hikvision") == "'j' added from a neighbouring key"
    assert slip("aviaasregat", "aviaagregat") is None
    assert slip("hikvisionx", "hikvision") is None


def test_korean_terms_are_translated_with_their_source(full_screener):
    used: list[str] = []
    read = mr_words("조선광업개발무역회사", set(), korean_terms(), used)
    assert read == "korea mining development trading corporation"
    assert used[0] == "조선 as 'korea'"
    match = found(full_screener, "조선광업개발무역회사")[
        "KOREA MINING DEVELOPMENT TRADING CORPORATION"]
    assert match.score == 1.0
    reading = next(f for f in match.features if f.name == "transliteration")
    assert "Korean terms translated: 조선 as 'korea'" in reading.detail


def test_abjad_words_written_together_or_with_one_consonant(full_screener):
    # عبد الله is written apart, Abdullah together; علي read 'aly' is Ali.
    match = found(full_screener, "علي صدام حسين التكريتي")["AL-TIKRITI, Ali Saddam Hussein"]
    overlap = next(f for f in match.features if f.name == "token_overlap")
    assert "aly~ali (consonants 0.95)" in overlap.detail
    assert match.score >= DEFAULT_THRESHOLD


def test_name_before_an_address_whose_first_part_says_nothing(full_screener):
    query = "ROSHAN MONEY EXCHANGE, Hazar Joft, Garmser District, Helmand Province, Afghanistan"
    assert ("ROSHAN MONEY EXCHANGE", "name") in [(p.text, p.role) for p in query_parts(query)]
    match = found(full_screener, query)["ROSHAN MONEY EXCHANGE"]
    assert match.score == 1.0
    cleanup = next(f for f in match.features if f.name == "query_cleanup")
    assert "'Hazar Joft, Garmser District, Helmand Province' set aside" in cleanup.detail
    # A person's "surname, given names" is not cut at its comma.
    assert ("AL-TIKRITI", "name") not in [
        (p.text, p.role) for p in query_parts("AL-TIKRITI, Ali Saddam Hussein, Baghdad, Iraq")]


def test_pinyin_syllables_come_from_the_shipped_file():
    assert pinyin_syllables("zhongxing") == ("zhong", "xing")
    assert pinyin_syllables("hikvision") is None


def test_japanese_is_read_in_hepburn_with_long_vowels_shortened():
    assert romaji("弘道会") == (("Hepburn romaji (cutlet, UniDic)", "koudou kai"),
                              ("Hepburn romaji, long vowels shortened", "kodo kai"))
    # A loanword keeps its source spelling, long vowels and all.
    assert romaji("グループ") == (("Hepburn romaji (cutlet, UniDic)", "group"),)


def test_a_name_japanese_cannot_read_whole_has_no_japanese_reading(full_screener):
    # UniDic knows neither 长 nor 鑫 (simplified characters): cutlet read 长鑫存储 as "?? ari ?",
    # and the one syllable it could read matched the SDN alias ARI (Army of the Republic of
    # Ilirida) exactly.
    assert romaji("长鑫存储") == ()
    assert romaji("华为技术有限公司") == ()
    matches = found(full_screener, "长鑫存储", min_score=0.5)
    assert "ARMY OF THE REPUBLIC OF ILIRIDA" not in matches
    assert all(m.score < 0.85 for m in matches.values())


def test_japanese_company_in_kana_finds_its_listing(full_screener):
    # 株式会社 reads "kabushiki kaisha", the legal form K.K. of SDN's YAMAKI, K.K.
    match = found(full_screener, "ヤマキ株式会社")["YAMAKI, K.K."]
    assert match.score == 1.0
    assert match.query_form_kind == "syllabic"
    assert name_forms("YAMAKI, K.K.")[0].legal_forms == ("kk",)


def test_kana_readings_do_not_match_on_consonants_alone(full_screener):
    # こうどうかい is Kodo-kai (listed as KOUDOU-KAI); its consonants k-d-k are also KADEK's.
    matches = found(full_screener, "こうどうかい")
    assert matches["KODO-KAI"].score == 1.0
    assert "KURDISTAN WORKERS' PARTY" not in matches


def test_korean_names_in_characters_are_read_in_sino_korean(full_screener):
    # 朝鮮大聖銀行 (Korea Daesong Bank as Japanese and Chinese write it): 조선대성은행, whose
    # syllables are all Korean terms or listed words; 連 keeps the North's r (련, Ryonbong).
    assert sino_korean("朝鮮大聖銀行") == "조선대성은행"
    assert sino_korean("朝鮮連峰総合会社").startswith("조선련봉")
    match = found(full_screener, "朝鮮大聖銀行")["KOREA DAESONG BANK"]
    assert match.score >= DEFAULT_THRESHOLD
    reading = next(f for f in match.features if f.name == "transliteration")
    assert "read '朝鮮大聖銀行' as '조선대성은행' (Sino-Korean readings)" in reading.detail
    # A Chinese company's characters read in Korean are no Korean words: no Korean reading.
    assert mr_words(sino_korean("华为技术有限公司"), full_screener.index.token_weight,
                    korean_terms(), whole=True) is None


def test_korean_person_read_in_the_dprk_romanisation(full_screener):
    assert dprk_person("김정은") == "kim jong un"
    assert dprk_person("최룡해") == "choe ryong hae"
    assert dprk_person("조선대성은행") is None  # six syllables: not a person's name
    match = found(full_screener, "김정은")["KIM, Jong Un"]
    assert match.score == 1.0 and match.query_form_kind == "syllabic"


@pytest.mark.parametrize(
    ("query", "listed", "how"),
    [
        # عبد الله is two words in Arabic script, ABDULLAH one in the list; the other way round
        # for عبدالكريم, "Abd Al-Karim".
        ("عبد الله يحيى الحاكم", "AL HAKIM, Abdullah Yahya", "'عبد' joined to the name after it"),
        ("محمد عبدالكريم الغماري", "AL-GHAMARI, Muhammad Abd Al-Karim",
         "'عبد' and the name after it apart"),
        # ض read z, as the Urdu and Persian name Fazal says it.
        ("فضل رحيم", "RAHIM, Fazal", "ذ ض ظ read z as in Persian and Urdu"),
    ],
)
def test_arabic_name_variants_the_lists_write(full_screener, query, listed, how):
    match = found(full_screener, query)[listed]
    assert match.score >= DEFAULT_THRESHOLD
    reading = next(f for f in match.features if f.name == "transliteration")
    assert how in reading.detail


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("住吉会", "SUMIYOSHI-KAI"),  # kanji alone, read in Japanese besides Chinese
        ("東洋信用実業株式会社", "TOYO SHINYO JITSUGYO K.K."),  # long vowels shortened, 株式会社 KK
        ("弘道会", "KODO-KAI"),
    ],
)
def test_japanese_names_in_kanji_find_their_listing(full_screener, query, listed):
    match = found(full_screener, query)[listed]
    assert match.score == 1.0 and match.query_form_kind == "syllabic"
