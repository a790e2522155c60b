from exportguard.names.normalize import clean, has_han, name_forms


def core(text: str) -> str:
    # Japanese readings (kind 'syllabic') are `japanese_forms`, not name_forms: none expected.
    forms = [f for f in name_forms(text) if f.kind != "syllabic"]
    assert len(forms) == 1
    return forms[0].core


def test_chinese_legal_name_meets_its_pinyin_english_alias():
    han = name_forms("北京市商汤科技开发有限公司")[0]
    latin = name_forms("Beijing Shangtang Technology Development Co., Ltd.")[0]
    assert han.kind == "han-translated"
    assert han.tokens == latin.tokens == ("beijing", "shangtang", "technology", "development")
    assert han.legal_forms == latin.legal_forms == ("co ltd",)


def test_pinyin_terms_in_latin_letters_read_as_english():
    assert core("Shangtang Keji Kaifa Youxian Gongsi") == "shangtang technology development"


def test_brand_pinyin_is_not_reread_as_a_term():
    # 中芯 (zhongxin, SMIC's brand) must not become 中心 "center".
    assert core("中芯国际集成电路制造有限公司").startswith("zhongxin international")


def test_legal_forms_and_abbreviations_are_canonical():
    assert core("Semiconductor Mfg Intl Corp") == "semiconductor manufacturing international"
    assert core("SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION") == core(
        "Semiconductor Manufacturing International Corp.")
    assert name_forms("Siemens Aktiengesellschaft")[0].legal_forms == ("ag",)
    assert name_forms("Acme GmbH")[0].legal_forms == ("gmbh",)
    assert name_forms("Acme, S.A.")[0].legal_forms == ("sa",)
    assert name_forms("Acme LLC")[0].legal_forms == ("llc",)


def test_fullwidth_accents_and_controls_are_normalised():
    assert core("ＨＵＡＷＥＩ　Technologies") == "huawei technology"
    assert core("Société\u200b Générale\x07") == "societe generale"
    assert clean("  a\tb\n ") == "a b"


def test_other_scripts_are_transliterated():
    form = name_forms("ООО Ромашка")[0]
    assert form.tokens == ("romashka",)
    assert form.legal_forms == ("llc",)


def test_nothing_comparable_gives_no_forms():
    assert name_forms("   ") == ()
    assert name_forms("!!!") == ()
    assert has_han("华为") and not has_han("Huawei")
