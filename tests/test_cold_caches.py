"""Small copies a cold screen reads from the data directory instead of importing a package:
name_terms.yaml's parse (PyYAML, with chinese_cities.yaml's cities) and pycountry's country
names. Each equals what the package gives, is read without the package the second time, and a
damaged copy is made again."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
import yaml

from exportguard import countries
from exportguard.errors import InputError
from exportguard.names import terms
from exportguard.package_files import DATA


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the package was asked")


class _Refused:
    def __iter__(self) -> None:
        _refuse()


def test_terms_data_is_pyyamls_parse_kept_in_the_data_directory(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path))
    expected = yaml.safe_load((DATA / "name_terms.yaml").read_text("utf-8"))
    # with the prefecture-level cities the table lacks added to its places (names/divisions.py)
    cities = yaml.safe_load((DATA / "chinese_cities.yaml").read_text("utf-8"))["cities"]
    expected["places_apart"] = []
    for name, english in cities.values():
        if name.removesuffix("市") not in expected["chinese_places"]:
            expected["chinese_places"][name.removesuffix("市")] = english.replace("'", "")
            if "'" in english:
                expected["places_apart"].append(english.replace("'", ""))
    assert expected["chinese_places"]["营口"] == "yingkou" and "jian" in expected["places_apart"]
    terms._terms_data.cache_clear()
    assert terms._terms_data() == expected
    (copy,) = tmp_path.glob("name-terms-*.pickle")
    terms._terms_data.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(yaml, "load", _refuse)  # read from the copy, not parsed
        assert terms._terms_data() == expected
    copy.write_bytes(b"not a pickle")
    terms._terms_data.cache_clear()
    assert terms._terms_data() == expected
    assert list(tmp_path.glob("name-terms-*.pickle")) == [copy]
    terms._terms_data.cache_clear()


def test_country_names_are_pycountrys_kept_in_the_data_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path))
    expected = tuple((c.name, getattr(c, "common_name", None)) for c in pycountry.countries)
    assert ("Taiwan, Province of China", "Taiwan") in expected
    _clear()
    assert terms.country_names() == expected
    (copy,) = tmp_path.glob("countries-*.json")
    _clear()
    with monkeypatch.context() as patch:
        patch.setattr(pycountry, "countries", _Refused())
        assert terms.country_names() == expected
    copy.write_text("[not json", encoding="utf-8")
    _clear()
    assert terms.country_names() == expected
    _clear()
    terms.place_tokens.cache_clear()
    assert {"taiwan", "china", "germany", "beijing"} <= terms.place_tokens()


def _clear() -> None:
    for table in (countries.iso_countries, countries._codes, countries._names_by_code,
                  countries._iso_names, terms.country_names):
        table.cache_clear()


def _pycountry_names() -> dict[str, str]:
    """What `country_from_name` looked names up in before the table was kept: pycountry's."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(countries.fold_country_name(value), country.alpha_2)
    return names


_TRICKY = ["Côte d'Ivoire", "COTE D’IVOIRE", "Korea, Republic of", "Korea, Democratic People's "
           "Republic of", "Taiwan", "Taiwan, Province of China", "Iran", "Iran, Islamic Republic "
           "of", "Russia", "Russian Federation", "Türkiye", "Turkey", "Viet Nam", "Vietnam",
           "Bolivia", "Congo", "Congo, The Democratic Republic of the", "Lao People's "
           "Democratic Republic", "Macao", "Hong Kong", "Kosovo", "Burma", "Myanmar",
           "United States", "United States of America", "Saint Barthélemy", "Åland Islands",
           "  germany  ", "People's Republic of China", "Palestine, State of", "US", "China ",
           "", "   ", None]


def test_country_table_is_pycountrys_and_a_damaged_or_stale_copy_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path))
    every = [(c.alpha_2, c.name, getattr(c, "official_name", None),
              getattr(c, "common_name", None)) for c in pycountry.countries]
    by_name = _pycountry_names()
    probes = [c.alpha_2 for c in pycountry.countries] + ["XK", "xk", "us", "ZZ", "AA", "UK", "EU"]
    assigned = {code: code.upper() == "XK" or pycountry.countries.get(alpha_2=code) is not None
                for code in probes}
    named = {code: "Kosovo" if code.upper() == "XK" else getattr(
        pycountry.countries.get(alpha_2=code), "name", code.upper()) for code in probes}
    for state in ("made", "read", "damaged", "tampered", "stale"):
        _clear()
        if state == "damaged":
            (copy,) = tmp_path.glob("countries-*.json")
            copy.write_text(copy.read_text("utf-8")[:-40], encoding="utf-8")
        elif state == "tampered":  # well formed, but not the rows it was written with
            (copy,) = tmp_path.glob("countries-*.json")
            copy.write_text(copy.read_text("utf-8").replace('"Germany"', '"Germania"'),
                            encoding="utf-8")
        elif state == "stale":  # another pycountry: another file, the old one removed
            (copy,) = tmp_path.glob("countries-*.json")
            monkeypatch.setattr(countries, "find_spec", lambda name: None)
        with monkeypatch.context() as patch:
            if state == "read":
                patch.setattr(pycountry, "countries", _Refused())
            assert list(countries.iso_countries()) == every
            assert {code: countries.is_country_code(code) for code in probes} == assigned
            assert {code: countries.country_name(code) for code in probes} == named
            assert countries._iso_names() == by_name
            for text in _TRICKY:
                folded = countries.fold_country_name(text or "")
                assert countries.country_from_name(text) == (by_name.get(folded) if folded
                                                             else None), text
        assert countries.parse_country(" de ") == "DE"
        with pytest.raises(InputError):
            countries.parse_country("ZZ")
        assert len(list(tmp_path.glob("countries-*.json"))) == 1
        if state == "stale":
            assert not copy.exists()
    _clear()


def test_generic_words_are_kept_and_equal_the_words_made_from_the_phrases(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The generic words (industry vocabulary, places, country names) read from the kept copy
    are the words made from the phrases by `basic_tokens`; accented country names are in them
    (cote, divoire, curacao); a damaged copy is made again."""
    from exportguard.names import normalize

    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path))
    data = terms._terms_data()
    chinese = [t for v in data["chinese_terms"].values()
               for t in (v if isinstance(v, list) else [v])]
    expected = {w for phrase in [*data["synonyms"], *chinese, *terms._latin_places(data),
                                 *(a or "" for pair in terms.country_names() for a in pair)]
                for w in normalize.basic_tokens(phrase)}
    expected |= set(data["extra_generic"])
    expected -= set(data["stopwords"])
    assert {"cote", "divoire", "curacao", "technology", "shenzhen"} <= expected
    terms.generic_tokens.cache_clear()
    assert terms.generic_tokens() == expected
    (copy,) = tmp_path.glob("generic-words-*.json")
    terms.generic_tokens.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(normalize, "basic_tokens", _refuse)  # read from the copy
        assert terms.generic_tokens() == expected
    copy.write_text('{"not": "a list"}')
    terms.generic_tokens.cache_clear()
    assert terms.generic_tokens() == expected
    assert list(tmp_path.glob("generic-words-*.json")) == [copy]
    terms.generic_tokens.cache_clear()
