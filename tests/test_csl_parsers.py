import json
from collections import Counter
from datetime import date

import pytest

from exportguard.errors import ListFileError
from exportguard.lists.codes import list_code
from exportguard.lists.csl import CslCompactParser, CslCsvParser, CslJsonParser
from exportguard.lists.detect import detect_format
from tests.conftest import CSL_COMPACT, CSL_SAMPLE, CSL_SAMPLE_IDS, FIXTURES


def test_compact_counts_agree_with_the_files_own_header(csl_entries):
    header = json.loads(CSL_COMPACT.read_text())
    assert len(csl_entries) == header["entryCount"] == 25921
    expected = {list_code(k): v for k, v in header["countsBySource"].items()}
    assert Counter(e.list_code for e in csl_entries) == expected
    assert expected["EL"] == 3420 and expected["SDN"] == 19181


def test_compact_entry_fields_are_resolved(csl_entries):
    sensetime = next(e for e in csl_entries
                     if e.name == "Beijing Sensetime Technology Development Co., Ltd.")
    assert sensetime.list_code == "EL"
    assert "Beijing Shangtang Technology Development Co., Ltd." in sensetime.alt_names
    assert sensetime.countries == ["CN"]
    assert sensetime.federal_register[0] == "84 FR 54002"
    assert sensetime.license_requirement.startswith("For all items subject to the EAR")


def test_compact_meta_has_generation_time():
    meta = CslCompactParser().meta(CSL_COMPACT)
    assert meta.generated_at.date() == date(2026, 7, 31)
    assert meta.declared_count == 25921


def test_older_csv_without_id():
    parser = CslCsvParser()
    assert parser.meta(CSL_SAMPLE).extra["has_id"] is False
    entries = list(parser.entries(CSL_SAMPLE))
    assert len(entries) == 115
    first = entries[0]
    assert (first.list_code, first.name) == ("DPL", "ADRIAN MANUEL HERNANDEZ")
    assert first.start_date == date(2017, 10, 16) and first.end_date == date(2020, 10, 13)
    assert first.federal_register == ["82 F.R. 48792 10/20/2017"]
    psa = next(e for e in entries if e.name == "200G PSA HOLDINGS LLC")
    assert psa.countries == ["US"] and psa.key == "SDN:20264"


def test_current_csv_with_id():
    entries = list(CslCsvParser().entries(CSL_SAMPLE_IDS))
    # The reference README says 12 rows; the file holds 13 (counted with Python's csv module).
    assert len(entries) == 13
    assert entries[0].key == "ISN:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b"
    meu = entries[2]
    assert meu.list_code == "MEU" and meu.countries == ["CN"]
    assert meu.start_date == date(2020, 12, 23)


def test_trade_gov_json():
    entries = list(CslJsonParser().entries(FIXTURES / "csl-api.json"))
    assert [e.list_code for e in entries] == ["EL", "DPL", "SDN"]
    assert entries[0].addresses[0].city == "Beijing"
    assert entries[0].federal_register == ["84 FR 54002", "85 FR 34505", "85 FR 44159",
                                           "87 FR 62202"]
    assert entries[1].end_date == date(2027, 9, 29)
    assert entries[2].programs == ["SDGT", "IRGC"]
    assert entries[2].key == "SDN:g7h8i9"  # the record id wins over the entity number


@pytest.mark.parametrize(
    ("path", "expected"),
    [(CSL_COMPACT, "csl-compact"), (CSL_SAMPLE, "csl-csv"), (CSL_SAMPLE_IDS, "csl-csv"),
     (FIXTURES / "csl-api.json", "csl-json")],
)
def test_format_is_detected(path, expected):
    assert detect_format(path) == expected


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_truncated_csv_names_the_line(tmp_path):
    lines = _lines(CSL_SAMPLE)
    broken = tmp_path / "broken.csv"
    broken.write_text("".join(lines[:10]) + lines[10][:40] + "\n", encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(CslCsvParser().entries(broken))
    assert info.value.line == 11
    assert "broken.csv" in str(info.value) and "fields" in str(info.value)


def test_csv_without_the_columns_is_refused(tmp_path):
    bad = tmp_path / "plain.csv"
    bad.write_text("company,city\nAcme,Paris\n", encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        CslCsvParser().meta(bad)
    assert info.value.field == "source" and info.value.line == 1


def test_bad_date_names_line_and_field(tmp_path):
    lines = _lines(CSL_SAMPLE)
    bad = tmp_path / "date.csv"
    bad.write_text(lines[0] + lines[1].replace("2017-10-16", "2017-13-45"), encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(CslCsvParser().entries(bad))
    assert (info.value.line, info.value.field) == (2, "start_date")


def test_unknown_source_names_the_field(tmp_path):
    lines = _lines(CSL_SAMPLE)
    bad = tmp_path / "source.csv"
    bad.write_text(lines[0] + lines[1].replace("Denied Persons List (DPL) - Bureau of Industry "
                                               "and Security", "Some Other List"),
                   encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(CslCsvParser().entries(bad))
    assert info.value.field == "source"


def test_malformed_json_names_the_record(tmp_path):
    text = (FIXTURES / "csl-api.json").read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index('"DAHUA') + 10], encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(CslJsonParser().entries(cut))
    assert info.value.record == 2 and "malformed JSON" in info.value.message


def test_compact_with_bad_table_index(tmp_path):
    data = {"tables": {"sources": ["Entity List (EL) - Bureau of Industry and Security"]},
            "entries": [{"n": "Acme", "s": 0}, {"n": "Bad", "s": 7}]}
    bad = tmp_path / "bad.compact.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(CslCompactParser().entries(bad))
    assert (info.value.record, info.value.field) == (2, "s")


def test_xml_with_external_entity_is_refused_unresolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    xxe = tmp_path / "list.xml"
    xxe.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<r>&x;</r>\n", encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        detect_format(xxe)
    assert "entity" in str(info.value).lower()
    assert "TOP SECRET" not in str(info.value)


def test_empty_and_unknown_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ListFileError, match="is empty"):
        detect_format(empty)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01binary")
    with pytest.raises(ListFileError, match="cannot tell the format"):
        detect_format(junk)
    with pytest.raises(ListFileError, match="no such file"):
        detect_format(tmp_path / "missing.csv")
