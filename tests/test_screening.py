import pytest

from exportguard.errors import InputError
from exportguard.screening import DEFAULT_THRESHOLD

SENSETIME = "Beijing Sensetime Technology Development Co., Ltd."


def top(screener, query, **kwargs):
    result = screener.screen(query, **kwargs)
    assert result.matches, f"no match for {query!r}"
    return result.matches[0]


@pytest.mark.parametrize(
    "query",
    [
        "北京市商汤科技开发有限公司",
        "Beijing Shangtang Technology Development Co., Ltd.",
        "beijing shangtang tech dev co ltd",
        "Shangtang Keji Kaifa Youxian Gongsi",
        "商汤科技",
        "Shangtang",
        "Sense Time",
    ],
)
def test_sensetime_behind_any_spelling(full_screener, query):
    matches = full_screener.screen(query).matches
    assert SENSETIME in [m.entry.name for m in matches if m.entry.list_code == "EL"]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Hangzhou Hikvison Digital Tech Co Ltd",
         "Hangzhou Hikvision Digital Technology Co., Ltd."),
        ("海康威视", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        ("华为技术有限公司", "Huawei Technologies Co., Ltd. (Huawei)"),
        ("Semiconductor Mfg Intl Corp", "Semiconductor Manufacturing International Corporation"),
        ("Technology Megvii", "Megvii Technology"),
        ("科大讯飞", "IFLYTEK"),
        ("Xiamen Meiya Pico Information Company Limited", "Xiamen Meiya Pico Information Co. Ltd."),
    ],
)
def test_listed_company_found(full_screener, query, listed):
    names = [m.entry.name for m in full_screener.screen(query).matches]
    assert listed in names


@pytest.mark.parametrize(
    "query", ["Apple Inc.", "Siemens AG", "Tencent Holdings Limited", "Toyota Motor Corporation",
              "Beijing Technology Development Co., Ltd.", "Samsung Electronics Co., Ltd."],
)
def test_unlisted_companies_do_not_match_at_the_default_threshold(full_screener, query):
    assert full_screener.screen(query).matches == []


def test_explanation_adds_up_and_names_the_alias(full_screener):
    match = top(full_screener, "Beijing Shangtang Technology Development Company Limited")
    assert match.entry.name == SENSETIME
    assert match.matched_name == "Beijing Shangtang Technology Development Co., Ltd."
    assert match.matched_origin == "alias"
    assert [f.name for f in match.features] == ["exact_alias"]
    assert match.score == 1.0
    typo = top(full_screener, "Hangzhou Hikvison Digital Technology")
    assert {f.name for f in typo.features} == {"token_overlap", "edit_distance",
                                               "one_letter_differs"}
    assert sum(f.contribution for f in typo.features) == pytest.approx(typo.score)
    # A typo of a listed name is still a match, clearly below an exact one, and says why.
    assert DEFAULT_THRESHOLD <= typo.score <= 0.92
    letter = next(f for f in typo.features if f.name == "one_letter_differs")
    assert letter.detail.startswith(
        "one letter differs in the distinctive word 'hikvision' (query 'hikvison')")
    overlap = next(f for f in typo.features if f.name == "token_overlap")
    assert "hikvison~hikvision (typo" in overlap.detail


def test_chinese_query_explains_its_transliteration(full_screener):
    match = top(full_screener, "北京市商汤科技开发有限公司")
    assert match.entry.name == SENSETIME
    assert match.score == 1.0
    assert match.features[0].name == "exact_alias"
    assert "北京市商汤科技开发有限公司" in match.features[0].detail
    translated = top(full_screener, "北京商汤科技")  # not a curated name: via translation
    assert translated.query_form == "beijing shangtang technology"
    assert "transliteration" in [f.name for f in translated.features]


def test_country_agreement_moves_the_score(full_screener):
    plain = top(full_screener, "Hikvision Digital Technology").score
    agreeing = top(full_screener, "Hikvision Digital Technology", country="CN")
    disagreeing = top(full_screener, "Hikvision Digital Technology", country="US", min_score=0)
    assert plain < 1.0
    # A fuzzy match lifted by the country never ties an exact one.
    assert agreeing.score == pytest.approx(min(plain + 0.05, 0.99))
    assert disagreeing.score == pytest.approx(plain - 0.15)
    assert agreeing.features[-1].name == "country"
    assert top(full_screener, "Hangzhou Hikvision Digital Technology Co., Ltd.",
               country="CN").score == 1.0


def test_list_filter_and_limit(full_screener):
    result = full_screener.screen("Hikvision", lists=frozenset({"CMIC"}))
    assert {m.entry.list_code for m in result.matches} == {"CMIC"}
    assert len(full_screener.screen("Huawei", limit=2, min_score=0).matches) == 2


def test_scores_are_ordered_and_bounded(full_screener):
    matches = full_screener.screen("Huawei Technologies", min_score=0, limit=50).matches
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert 0.5 < DEFAULT_THRESHOLD < 1.0


def test_json_shape(full_screener):
    data = full_screener.screen("Sense Time").to_dict()
    assert set(data) >= {"query", "snapshot", "matches"}
    match = data["matches"][0]
    assert set(match) >= {"entry_id", "list", "name", "matched_name", "score", "countries",
                          "license_requirement", "license_policy", "federal_register",
                          "explanation"}
    assert match["explanation"]["features"][0]["feature"] == "exact_alias"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"query": ""}, "name"),
        ({"query": "   \t"}, "name"),
        ({"query": "\x00\x01\x02"}, "name"),
        ({"query": "x" * 10_000}, "name"),
        ({"query": "---"}, "name"),
        ({"query": "Huawei", "country": "ZZ"}, "country"),
        ({"query": "Huawei", "country": "China"}, "country"),
        ({"query": "Huawei", "limit": 0}, "limit"),
        ({"query": "Huawei", "min_score": 1.5}, "min_score"),
    ],
)
def test_bad_input_names_the_field(full_screener, kwargs, field):
    with pytest.raises(InputError) as info:
        full_screener.screen(**kwargs)
    assert info.value.field == field


def test_a_different_city_is_another_branch(full_screener):
    matches = full_screener.screen("National Supercomputing Guangzhou Center", min_score=0).matches
    assert matches[0].entry.name == "National Supercomputing Center Guangzhou (NSCC-GZ)"
    # The English name, or the curated Chinese name that reads as the same words.
    assert matches[0].matched_name in ("National Supercomputing Center Guangzhou",
                                       "国家超级计算广州中心")
    assert matches[0].score == 1.0
    shenzhen = next(m for m in matches if "Shenzhen" in m.entry.name)
    assert "place_conflict" in [f.name for f in shenzhen.features]
    assert shenzhen.score < DEFAULT_THRESHOLD


def test_transposed_and_misspelt_words(full_screener):
    assert top(full_screener, "Mihnoo Logistics Limited").entry.name.upper() \
        == "MINHOO LOGISTICS LIMITED"
    assert top(full_screener, "Poly Technoloogies Inc.").entry.name.upper().startswith(
        "POLY TECHNOLOGIES")


def test_group_is_part_of_the_name_not_the_legal_form(full_screener):
    match = top(full_screener, "China Electronics Technology Group Co., Ltd.")
    assert match.entry.name == "China Electronics Technology Group Corporation"
    assert match.entry.list_code == "CMIC"


def test_company_query_against_an_individual_is_marked(full_screener):
    matches = full_screener.screen("Lang Chao Ji Tuan You Xian Gong Si", min_score=0).matches
    assert matches[0].entry.name.upper() == "INSPUR GROUP CO., LTD."
    person = next(m for m in matches if m.entry.type == "Individual")
    assert "entity_type" in [f.name for f in person.features]
    assert person.score < DEFAULT_THRESHOLD
