"""Small copies a cold screen reads from the data directory instead of importing a package:
name_terms.yaml's parse (PyYAML) and pycountry's country names. Each equals what the package
gives, is read without the package the second time, and a damaged copy is made again."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
import yaml

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
    terms.country_names.cache_clear()
    assert terms.country_names() == expected
    (copy,) = tmp_path.glob("countries-*.json")
    terms.country_names.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(pycountry, "countries", _Refused())
        assert terms.country_names() == expected
    copy.write_text("[not json", encoding="utf-8")
    terms.country_names.cache_clear()
    assert terms.country_names() == expected
    terms.country_names.cache_clear()
    terms.place_tokens.cache_clear()
    assert {"taiwan", "china", "germany", "beijing"} <= terms.place_tokens()
