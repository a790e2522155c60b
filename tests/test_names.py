import pytest

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


def test_initials_written_one_by_one_are_one_word():
    """A.B.C., L.X.C and T. E. G. are the words abc, lxc and teg (written with or without the
    dots, a name has the same words); a single initial stays a word, and letters joined by 'and'
    (A & B) are not initials of one word."""
    assert name_forms("A.B.C. Company")[0].tokens == name_forms("ABC Company")[0].tokens == ("abc",)
    assert name_forms("L.X.C Aviation")[0].tokens == ("lxc", "aviation")
    assert name_forms("T. E. G. LIMITED")[0].tokens == ("teg",)
    assert name_forms("John F. Kennedy")[0].tokens == ("john", "f", "kennedy")
    assert name_forms("A & B Trading")[0].tokens == ("a", "b", "trading")
    assert name_forms("C.B.A. Company")[0].tokens != name_forms("A.B.C. Company")[0].tokens


def test_initials_ending_in_the_letters_of_a_legal_form_are_one_word():
    """K.A.S., I.C.I.C. and Y.A.S. end with the letters of a legal form (A.S., akciova
    spolecnost; C.I.C., community interest company), which is the end of the word the initials
    spell: kas, not 'k' (or 'and', Y being a synonym of and) with the form A.S. A word before
    the form keeps it a legal form."""
    assert [(f.tokens, f.legal_forms) for f in name_forms("K.A.S.")] == [(("kas",), ())]
    assert name_forms("K. A. S.")[0].tokens == ("kas",)
    assert name_forms("I.C.I.C.")[0].tokens == ("icic",)
    assert name_forms("Y.A.S.")[0].tokens == ("yas",)
    assert [(f.tokens, f.legal_forms) for f in name_forms("Koc Holding A.S.")] == [
        (("koc", "holding"), ("as",))]
    assert name_forms("ABC S.A.")[0].legal_forms == ("sa",)


@pytest.mark.parametrize(("query", "entry", "alias"), [
    ("KAS", "EUZKADI TA ASKATASUNA", "K.A.S."),  # the SDN alias of ETA
    ("ICIC", "I.C.I.C. KFT.", "I.C.I.C. LTD."),
])
def test_listed_initials_ending_in_a_legal_form_are_found(full_screener, query, entry, alias):
    best = full_screener.screen(query).matches[0]
    assert (best.entry.name, best.matched_name, best.score) == (entry, alias, 1.0)


def test_listed_names_with_dotted_initials_are_found_without_the_dots(full_screener):
    """Names of the reference CSL (DPL) written with dotted initials, screened as a user types
    them without the dots: the exact listed name."""
    for query, listed in (("MES Equipment, Inc", "M.E.S. EQUIPMENT, INC"),
                          ("SPL Spare Parts Logistics", "S.P.L. SPARE PARTS LOGISTICS, INC."),
                          ("DJ Associates", "D.J. ASSOCIATES")):
        best = full_screener.screen(query).matches[0]
        assert (best.entry.name, best.score) == (listed, 1.0), query
