"""The FollowTheMoney (OpenSanctions entities.ftm.json), eCFR Entity List (15 CFR 744 Supp. 4) and
FCC Covered List parsers, on hand-written fixtures of real records (tests/fixtures/ftm, ecfr, fcc:
provenance in each fixture) and on broken or hostile input."""

import json
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from exportguard.errors import ListFileError
from exportguard.lists.base import fallback_key, file_checksum, unique_keys
from exportguard.lists.codes import LIST_NAMES
from exportguard.lists.ecfr import (
    SOURCE_LIST_URL,
    EcfrEntityListParser,
    country_code,
    parse_entity_cell,
    split_citations,
)
from exportguard.lists.fcc import FccCoveredListParser, company_names
from exportguard.lists.ftm import FtmParser
from exportguard.lists.listing_dates import listing_date
from exportguard.store.snapshots import SnapshotHeader
from tests.conftest import CSL_COMPACT, FIXTURES

FTM = FIXTURES / "ftm" / "entities.ftm.json"
ECFR = FIXTURES / "ecfr" / "part744-supp4.xml"
ECFR_GPO = FIXTURES / "ecfr" / "part744-supp4-gpotable.xml"
FCC = FIXTURES / "fcc" / "coveredlist.html"


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(65536)


def _by_name(entries):
    return {e.name: e for e in entries}


# --- FollowTheMoney ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ftm_entries():
    return _by_name(FtmParser().entries(FTM))


def test_ftm_targets_and_list_codes(ftm_entries):
    assert {name: e.list_code for name, e in ftm_entries.items()} == {
        "Beijing Sensetime Technology Development Co., Ltd.": "EL",
        "Zakhary Knyazevich KALASHOV": "SDN",
        "ARTAVIL": "SDN",
        "KOREA MINING DEVELOPMENT TRADING CORPORATION": "UN",
        "AIR FREIGHT LTD": "DPL",
        "Hangzhou Hikvision Digital Technology Co., Ltd.": "CMIC",
    }
    # 'target': false on the vessel owner: not an entry even though it is a Company.
    assert "Compania Navegacion Golfo S.A." not in ftm_entries
    for entry in ftm_entries.values():
        assert entry.source_name == LIST_NAMES[entry.list_code]
        assert entry.key == f"FTM:{entry.raw['id']}"
        assert entry.federal_register == []
        json.dumps(entry.raw)  # stored as JSON


def test_ftm_company_with_its_sanction(ftm_entries):
    sensetime = ftm_entries["Beijing Sensetime Technology Development Co., Ltd."]
    assert sensetime.type == "Entity"
    assert sensetime.alt_names == ["Beijing Shangtang Technology Development Co., Ltd.",
                                   "Sense Time"]
    assert sensetime.countries == ["CN"]
    # The Sanction line comes before the company's line: found by the first pass.
    assert sensetime.start_date == date(2019, 10, 9) and sensetime.end_date is None
    assert sensetime.programs == ["Entity List"]
    [sanction] = sensetime.raw["sanctions"]
    assert sanction["authority"] == ["Bureau of Industry and Security"]
    assert sanction["startDate"] == ["2019-10-09"]
    assert sensetime.raw["datasets"] == ["us_trade_csl"]
    assert sensetime.raw["first_seen"] == "2024-05-02T06:12:40"


def test_ftm_person_weak_aliases_and_countries(ftm_entries):
    person = ftm_entries["Zakhary Knyazevich KALASHOV"]
    assert person.type == "Individual"
    assert "KALASHOV, Zakhar Kniezivich" in person.alt_names and len(person.alt_names) == 8
    # Weak aliases are kept apart: too short or generic to screen on.
    assert person.raw["weak_aliases"][0] == "SHAKRO KURTI"
    assert "SHAKRO KURTI" not in person.alt_names
    assert person.countries == ["GE", "RU"]
    assert person.raw["other_countries"] == ["suhh"]  # FtM's code for the USSR: not ISO
    assert person.addresses[0].address.startswith("General Tyulenev Street, 7")
    assert person.programs == ["TCO"] and person.start_date is None


def test_ftm_vessel_without_address(ftm_entries):
    vessel = ftm_entries["ARTAVIL"]
    assert vessel.type == "Vessel" and vessel.addresses == []
    assert vessel.alt_names == ["ABADAN", "SHONA"]  # previousName
    assert vessel.countries == ["IR"]  # the flag
    assert vessel.programs == ["IRAN"]


def test_ftm_untagged_entity_is_a_target_through_its_sanction(ftm_entries):
    komid = ftm_entries["KOREA MINING DEVELOPMENT TRADING CORPORATION"]
    assert "target" not in komid.raw
    assert komid.raw["weak_aliases"] == ["KOMID"]
    # startDate '2009-04' is partial: kept in raw, the full listingDate dates the entry.
    assert komid.start_date == date(2009, 4, 24)
    assert komid.raw["partial_dates"] == {"startDate": ["2009-04"]}
    assert komid.countries == ["KP"]


def test_ftm_end_date_and_programme_mapping(ftm_entries):
    air = ftm_entries["AIR FREIGHT LTD"]
    assert (air.start_date, air.end_date) == (date(2019, 6, 5), date(2019, 12, 3))
    assert air.countries == ["IQ", "AE", "JO"]
    assert air.addresses[1].country == "AE"
    hikvision = ftm_entries["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert hikvision.programs == ["CMIC-EO13959"] and hikvision.raw["list_codes"] == ["CMIC"]


def test_ftm_meta_counts_what_is_skipped():
    parser = FtmParser()
    meta = parser.meta(FTM)
    assert (meta.source, meta.format) == ("ftm", "ftm-json")
    assert meta.extra["entities"] == 15 and meta.extra["sanctions"] == 6
    assert meta.extra["skipped_schemas"] == {"Address": 1, "Ownership": 1}
    assert len(list(parser.entries(FTM))) == 6
    assert meta.extra["targets"] == 6 and meta.extra["skipped_not_target"] == 1


def test_ftm_sniff():
    assert FtmParser.sniff(FTM, _head(FTM))
    assert not FtmParser.sniff(ECFR, _head(ECFR))
    assert not FtmParser.sniff(FIXTURES / "csl-api.json", _head(FIXTURES / "csl-api.json"))


def _ftm_lines(count: int = 2) -> list[str]:
    return FTM.read_text(encoding="utf-8").splitlines()[:count]


@pytest.mark.parametrize(
    ("bad", "message", "field"),
    [
        ("not json at all", "is not JSON", None),
        ('["a", "list"]', "not a JSON object", None),
        ('{"id": "x-1", "schema": "Corporation", "properties": {}}', "'Corporation' is not a "
         "FollowTheMoney schema", "schema"),
        ('{"schema": "Company", "properties": {"name": ["Megvii Technology"]}}', "missing",
         "id"),
        ('{"id": "x-1", "schema": "Company", "properties": {"name": "Megvii Technology"}}',
         "not a list of strings", "properties.name"),
        ('{"id": "x-1", "schema": "Sanction", "properties": {"startDate": ["2019-10-09"]}}',
         "names no entity", "properties.entity"),
        ('{"id": "x-1", "schema": "Sanction", "properties": {"entity": ["x-2"], '
         '"startDate": ["9 Oct 2019"]}}', "not an ISO date", "properties.startDate"),
    ],
)
def test_ftm_bad_line_names_the_line(tmp_path, bad, message, field):
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join([*_ftm_lines(), bad, ""]), encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        FtmParser().meta(path)
    assert info.value.line == 3 and info.value.field == field
    assert message in str(info.value)


def test_ftm_target_flag_must_be_boolean(tmp_path):
    line = json.loads(_ftm_lines()[1])
    line["target"] = "yes"
    path = tmp_path / "entities.ftm.json"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(FtmParser().entries(path))
    assert (info.value.line, info.value.field) == (1, "target")


def test_ftm_partial_only_start_date_is_none(tmp_path):
    sanction, company = (json.loads(line) for line in _ftm_lines())
    sanction["properties"]["startDate"] = ["2019-10"]  # the month of the 84 FR 54002 listing
    path = tmp_path / "entities.ftm.json"
    path.write_text(f"{json.dumps(sanction)}\n{json.dumps(company)}\n", encoding="utf-8")
    [entry] = FtmParser().entries(path)
    assert entry.start_date is None
    assert entry.raw["partial_dates"] == {"startDate": ["2019-10"]}


def test_ftm_unknown_property_is_counted_not_fatal(tmp_path):
    sanction, company = (json.loads(line) for line in _ftm_lines())
    company["properties"]["futureProperty"] = ["a value from a newer FtM model"]
    path = tmp_path / "entities.ftm.json"
    path.write_text(f"{json.dumps(sanction)}\n{json.dumps(company)}\n", encoding="utf-8")
    parser = FtmParser()
    assert parser.meta(path).extra["unknown_properties"] == {"Company.futureProperty": 1}
    [entry] = parser.entries(path)
    assert entry.raw["unknown_properties"] == ["futureProperty"]


def test_ftm_gigabyte_line_is_refused_fast(tmp_path):
    path = tmp_path / "entities.ftm.json"
    with path.open("wb") as handle:
        handle.write((_ftm_lines(1)[0] + "\n").encode())
        handle.truncate(1 << 30)  # sparse: a valid line, then 1 GiB of NUL and no newline
    started = time.perf_counter()
    with pytest.raises(ListFileError) as info:
        FtmParser().meta(path)
    assert time.perf_counter() - started < 5
    assert info.value.line == 2 and "longer than" in str(info.value)


def test_ftm_empty_file_is_refused(tmp_path):
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ListFileError, match="no FollowTheMoney entities"):
        FtmParser().meta(path)


# --- eCFR Entity List -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ecfr_entries():
    entries = list(EcfrEntityListParser().entries(ECFR))
    assert len(entries) == 14
    return _by_name(entries)


def test_ecfr_sensetime(ecfr_entries):
    name = "Beijing Sensetime Technology Development Co., Ltd."
    sensetime = ecfr_entries[name]
    assert sensetime.list_code == "EL" and sensetime.source_name == LIST_NAMES["EL"]
    assert sensetime.alt_names == ["Beijing Shangtang Technology Development Co., Ltd.",
                                   "Sense Time"]
    assert sensetime.countries == ["CN"]
    assert [a.to_dict() for a in sensetime.addresses] == [
        {"address": "Beijing, China", "city": None, "state": None, "postal_code": None,
         "country": "CN"}]
    assert sensetime.federal_register == ["84 FR 54002, 10/9/19", "85 FR 34505, 6/5/20",
                                          "85 FR 44159, 7/22/20", "87 FR 62202, 10/13/22"]
    # The footnote marker is taken out of the text and kept apart.
    assert sensetime.license_requirement == (
        "For all items subject to the EAR. (See §§ 734.9(e) and 744.11 of the EAR)")
    assert sensetime.raw["footnotes"] == {"license_requirement": ["4"]}
    assert sensetime.license_policy.startswith("Case-by-case review for ECCNs 1A004.c")
    assert sensetime.start_date is None  # the table has no date column ...
    dated = listing_date(sensetime)  # ... its earliest citation dates it
    assert dated.day == date(2019, 10, 9)
    assert sensetime.key == fallback_key("EL", f"CN|{name}", None)
    assert sensetime.source_list_url == SOURCE_LIST_URL


def test_ecfr_foreign_direct_product_footnotes(ecfr_entries):
    hisilicon = ecfr_entries["HiSilicon Technologies Co., Ltd (HiSilicon)"]
    assert hisilicon.license_requirement == (
        "For all items subject to the EAR, see §§ 734.9(e) and 744.11 of the EAR")
    assert hisilicon.raw["footnotes"] == {"license_requirement": ["1", "2"]}
    assert hisilicon.license_policy == "Presumption of denial"
    huawei = ecfr_entries["Huawei Technologies Co., Ltd. (Huawei)"]
    assert huawei.alt_names == ["Shenzhen Huawei Technologies", "Huawei Technology"]
    # Citations on separate lines, some without a date.
    assert len(huawei.federal_register) == 10
    assert "86 FR 71559" in huawei.federal_register
    assert "87 FR 21012, 4/11/22" in huawei.federal_register


def test_ecfr_country_continues_from_the_row_above(ecfr_entries):
    assert {name: e.countries for name, e in ecfr_entries.items()} == {
        "Beijing Sensetime Technology Development Co., Ltd.": ["CN"],
        "Dahua Technology": ["CN"],
        "Hangzhou Hikvision Digital Technology Co., Ltd.": ["CN"],
        "HiSilicon Technologies Co., Ltd (HiSilicon)": ["CN"],
        "Huawei Device Co., Ltd.": ["CN"],
        "Huawei Technologies Co., Ltd. (Huawei)": ["CN"],
        "IFLYTEK": ["CN"],
        "Megvii Technology": ["CN"],
        "Shanghai HiSilicon Technologies Co., Ltd.": ["CN"],
        "32 Group China Ltd.": ["HK"],
        "GBNTT": ["IR"],
        "AO Kaspersky Lab": ["RU"],
        "OOO Kaspersky Group": ["RU"],
        "Kaspersky Labs Limited": ["GB"],
    }
    assert ecfr_entries["OOO Kaspersky Group"].raw["country"] == "RUSSIA"


def test_ecfr_aliases_and_addresses(ecfr_entries):
    device = ecfr_entries["Huawei Device Co., Ltd."]  # aliases and address on one line
    assert device.alt_names == ["Huawei Device", "Songshan Lake Southern Factory"]
    assert [a.address for a in device.addresses] == ["China"]
    assert "85 FR 83769" in device.federal_register
    group = ecfr_entries["32 Group China Ltd."]
    assert [a.address for a in group.addresses] == [
        "Room 1905, 19/F, Nam Wo Hong Bldg., 148 Wing Lok Street, Sheung Wang, Hong Kong",
        "Room 1119, 11/F, Block B, Yau Tong Industrial City, 17 Ko Fai Road, Yau Tong, Kowloon, "
        "Hong Kong",
    ]
    assert all(a.country == "HK" for a in group.addresses)
    kaspersky = ecfr_entries["AO Kaspersky Lab"]
    assert len(kaspersky.alt_names) == 12 and "declared_alias_count" not in kaspersky.raw
    assert kaspersky.alt_names[-1] == "Kaspersky’s Laboratory"
    assert ecfr_entries["Kaspersky Labs Limited"].alt_names == ["Kaspersky Labs",
                                                                "Kaspersky Labs Ltd"]
    assert [a.address for a in ecfr_entries["GBNTT"].addresses] == [
        "No. 34 Mansour Street, Tehran, Iran"]


def test_ecfr_fixture_agrees_with_the_csl(ecfr_entries):
    """Names, aliases and the licence texts of the fixture are the CSL's (2026-07-31)."""
    csl = json.loads(CSL_COMPACT.read_text(encoding="utf-8"))
    tables = csl["tables"]
    el = tables["sources"].index(LIST_NAMES["EL"])
    by_name = {e["n"]: e for e in csl["entries"] if e.get("s") == el}
    for name, entry in ecfr_entries.items():
        row = by_name[name]
        assert entry.alt_names == row.get("a", []), name
        assert entry.countries[0] in row["c"], name
        # The CSL prints footnote markers as digits after ')' or 'EAR': 'EAR)4', '734.9(e)1'.
        requirement = tables["licenceRequirements"][row["lr"]]
        markers = re.findall(r"(?<=[)R])\d", requirement)
        assert markers == entry.raw.get("footnotes", {}).get("license_requirement", []), name
        assert " ".join(re.sub(r"(?<=[)R])\d", "", requirement).split()) == \
            entry.license_requirement, name
        assert tables["licencePolicies"][row["lp"]] == entry.license_policy, name
        cited = {c.split(",")[0] for c in entry.federal_register}
        assert cited == {c.strip() for c in row["fr"].replace(";", ",").split(",")}, name


def test_ecfr_gpo_table_with_one_line_per_row():
    entries = _by_name(EcfrEntityListParser().entries(ECFR_GPO))
    assert list(entries) == ["Beijing Sensetime Technology Development Co., Ltd.",
                             "32 Group China Ltd.", "GBNTT"]
    sensetime = entries["Beijing Sensetime Technology Development Co., Ltd."]
    assert sensetime.alt_names == ["Beijing Shangtang Technology Development Co., Ltd.",
                                   "Sense Time"]
    assert [a.address for a in sensetime.addresses] == ["Beijing, China"]
    assert len(sensetime.federal_register) == 4
    assert len(entries["32 Group China Ltd."].addresses) == 2
    assert entries["GBNTT"].countries == ["IR"]


def test_ecfr_meta_and_amendment_date(tmp_path):
    meta = EcfrEntityListParser().meta(ECFR)
    assert (meta.source, meta.format, meta.generated_at) == ("ecfr-el", "ecfr-el", None)
    # GPO's title files carry the amendment date ahead of the content (user guide, AMDDATE).
    body = ECFR.read_text(encoding="utf-8").split("-->", 1)[1]
    path = tmp_path / "title-15.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<DLPSTEXTCLASS><TEXT><BODY><ECFRBRWS>'
        f"<AMDDATE>Jul. 23, 2026</AMDDATE>{body}</ECFRBRWS></BODY></TEXT></DLPSTEXTCLASS>",
        encoding="utf-8",
    )
    meta = EcfrEntityListParser().meta(path)
    assert meta.generated_at == datetime(2026, 7, 23, tzinfo=UTC)
    assert meta.extra["amddate"] == "Jul. 23, 2026"
    assert len(list(EcfrEntityListParser().entries(path))) == 14


def test_ecfr_helpers():
    assert country_code("CHINA, PEOPLE'S REPUBLIC OF") == "CN"
    assert country_code("KOREA, NORTH") == "KP"
    assert country_code("HONG KONG") == "HK"
    assert country_code("GERMANY") == "DE"  # pycountry
    assert country_code("ATLANTIS") is None
    assert split_citations("84 FR 22963, 5/21/19. 85 FR 51603, 8/20/20; 86 FR 71559.") == [
        "84 FR 22963, 5/21/19", "85 FR 51603, 8/20/20", "86 FR 71559"]
    parsed = parse_entity_cell(["Beijing Sensetime Technology Development Co., Ltd., a.k.a., "
                                "the following two aliases: —Beijing Shangtang Technology "
                                "Development Co., Ltd.; and —Sense Time. Beijing, China."])
    assert parsed.aliases == ["Beijing Shangtang Technology Development Co., Ltd.", "Sense Time"]
    assert parsed.addresses == ["Beijing, China"]


def test_ecfr_file_without_the_supplement(tmp_path):
    path = tmp_path / "part-744.xml"
    path.write_text('<DIV5 N="744" TYPE="PART"><HEAD>PART 744—CONTROL POLICY: END-USER AND '
                    "END-USE BASED</HEAD></DIV5>", encoding="utf-8")
    for read in (EcfrEntityListParser().meta, lambda p: list(EcfrEntityListParser().entries(p))):
        with pytest.raises(ListFileError, match=r"has no Supplement No\. 4 to Part 744"):
            read(path)


def test_ecfr_supplement_without_a_table(tmp_path):
    path = tmp_path / "supp4.xml"
    path.write_text('<DIV9 N="Supplement No. 4 to Part 744" TYPE="APPENDIX"><HEAD>Supplement '
                    "No. 4 to Part 744—Entity List</HEAD></DIV9>", encoding="utf-8")
    with pytest.raises(ListFileError, match="holds no Entity List table rows"):
        EcfrEntityListParser().meta(path)


def _ecfr_with(tmp_path: Path, old: str, new: str) -> Path:
    text = ECFR.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "part744.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_ecfr_row_with_licence_cells_but_no_entity(tmp_path):
    path = _ecfr_with(tmp_path, "<TD align=\"left\" class=\"gpotbl_cell\">Dahua Technology, "
                      "Hangzhou, Zhejiang, China.</TD>", '<TD align="left" class="gpotbl_cell"/>')
    with pytest.raises(ListFileError) as info:
        list(EcfrEntityListParser().entries(path))
    assert (info.value.record, info.value.field) == (2, "entity")


def test_ecfr_row_with_a_missing_cell(tmp_path):
    path = _ecfr_with(tmp_path, '<TD align="left" class="gpotbl_cell">73 FR 54506, 9/22/08.</TD>',
                      "")
    with pytest.raises(ListFileError, match="has 4 cells") as info:
        list(EcfrEntityListParser().entries(path))
    assert info.value.record == 11


def test_ecfr_entity_only_row_shares_the_cells_above(tmp_path):
    text = ECFR.read_text(encoding="utf-8")
    dahua = text.index(">Dahua Technology, ")
    row_end = text.index("</TR>", dahua)
    cells = text[dahua:row_end].split("</TD>")
    emptied = cells[0] + "</TD>" + "".join(
        '\n<TD align="left" class="gpotbl_cell"/>' for _ in cells[1:4]) + "\n"
    path = tmp_path / "part744.xml"
    path.write_text(text[:dahua] + emptied + text[row_end:], encoding="utf-8")
    entries = _by_name(EcfrEntityListParser().entries(path))
    dahua_entry = entries["Dahua Technology"]
    sensetime = entries["Beijing Sensetime Technology Development Co., Ltd."]
    assert dahua_entry.raw["cells_from_row"] == 1
    assert dahua_entry.license_policy == sensetime.license_policy
    assert dahua_entry.federal_register == sensetime.federal_register
    assert sensetime.alt_names == ["Beijing Shangtang Technology Development Co., Ltd.",
                                   "Sense Time"]


def test_ecfr_note_row_spanning_the_table(tmp_path):
    # Footnote 1 of the Huawei entries as 85 FR 51596 worded it (not re-read for this test).
    note = ('<TR><TD colspan="5"><SU>1</SU> For this entity, \u201citems subject to the '
            "EAR\u201d includes foreign-produced items that are subject to the EAR under \u00a7 "
            "734.9(e)(1) of the EAR.</TD></TR>\n</TABLE>")
    path = _ecfr_with(tmp_path, "</TABLE>", note)
    parser = EcfrEntityListParser()
    meta = parser.meta(path)
    assert len(list(parser.entries(path))) == 14
    assert meta.extra["entries"] == 14
    assert meta.extra["table_notes"] == [
        "For this entity, \u201citems subject to the EAR\u201d includes foreign-produced items "
        "that are subject to the EAR under \u00a7 734.9(e)(1) of the EAR."]


def test_ecfr_first_row_without_country(tmp_path):
    path = _ecfr_with(tmp_path, ">CHINA, PEOPLE'S REPUBLIC OF<", "><")
    with pytest.raises(ListFileError, match="no country") as info:
        list(EcfrEntityListParser().entries(path))
    assert info.value.record == 1


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<DIV9 N="Supplement No. 4 to Part 744" TYPE="APPENDIX"><HEAD>&lol9;</HEAD></DIV9>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE DIV9 [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<DIV9 N="Supplement No. 4 to Part 744" TYPE="APPENDIX"><HEAD>&xxe;</HEAD></DIV9>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_ecfr_dtd_and_entities_are_refused(tmp_path, text):
    path = tmp_path / "hostile.xml"
    path.write_text(text, encoding="utf-8")
    for read in (EcfrEntityListParser().meta, lambda p: list(EcfrEntityListParser().entries(p))):
        started = time.perf_counter()
        with pytest.raises(ListFileError, match="DTD/entities are refused"):
            read(path)
        assert time.perf_counter() - started < 1


def test_ecfr_truncated_xml_names_the_line(tmp_path):
    text = ECFR.read_text(encoding="utf-8")
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.index(">GBNTT") + 1], encoding="utf-8")
    with pytest.raises(ListFileError, match="malformed or truncated XML") as info:
        list(EcfrEntityListParser().entries(path))
    assert info.value.line == text[: text.index(">GBNTT") + 1].count("\n") + 1


def test_ecfr_sniff():
    assert EcfrEntityListParser.sniff(ECFR, _head(ECFR))
    assert EcfrEntityListParser.sniff(ECFR_GPO, _head(ECFR_GPO))
    # A whole Part 744 file: the supplement lies far beyond the head, the part's DIV5 does not.
    assert EcfrEntityListParser.sniff(ECFR, b'<?xml version="1.0"?>\n<DIV5 N="744" TYPE="PART">')
    title = (b'<?xml version="1.0" encoding="UTF-8" ?>\n<DLPSTEXTCLASS>\n<HEADER>\n<FILEDESC>\n'
             b"<TITLESTMT>\n<TITLE>Title 15: Commerce and Foreign Trade</TITLE>")
    assert EcfrEntityListParser.sniff(ECFR, title)
    assert not EcfrEntityListParser.sniff(FCC, _head(FCC))
    assert not EcfrEntityListParser.sniff(FTM, _head(FTM))


# --- FCC Covered List -------------------------------------------------------------------------


def test_fcc_each_company_with_its_date():
    entries = list(FccCoveredListParser().entries(FCC))
    assert [(e.name, e.start_date) for e in entries] == [
        ("Huawei Technologies Company", date(2021, 3, 12)),
        ("ZTE Corporation", date(2021, 3, 12)),
        ("Hytera Communications Corporation", date(2021, 3, 12)),
        ("Hangzhou Hikvision Digital Technology Company", date(2021, 3, 12)),
        ("Dahua Technology Company", date(2021, 3, 12)),
        ("AO Kaspersky Lab", date(2022, 3, 25)),
        ("China Mobile International USA Inc.", date(2022, 3, 25)),
        ("China Telecom (Americas) Corp.", date(2022, 3, 25)),
        ("Pacific Networks Corp", date(2022, 9, 20)),
        ("ComNet (USA) LLC", date(2022, 9, 20)),
        ("China Unicom (Americas) Operations Limited", date(2022, 9, 20)),
        ("Kaspersky Lab, Inc.", date(2024, 7, 23)),
        ("Digitalsystem Technology Inc.", date(2026, 7, 7)),
    ]
    huawei = entries[0]
    assert (huawei.list_code, huawei.type, huawei.source_name) == ("FCC", "Entity",
                                                                    LIST_NAMES["FCC"])
    assert huawei.raw["description"].startswith("Telecommunications equipment produced by Huawei")
    assert huawei.license_requirement == huawei.raw["description"]
    assert huawei.federal_register == [] and huawei.countries == []
    assert huawei.key == fallback_key("FCC", "Huawei Technologies Company", None)
    assert entries[8].raw["row_companies"] == ["Pacific Networks Corp", "ComNet (USA) LLC"]
    for entry in entries:
        json.dumps(entry.raw)


def test_fcc_category_rows_are_reported_not_dropped():
    meta = FccCoveredListParser().meta(FCC)
    assert (meta.source, meta.format, meta.generated_at) == ("fcc", "fcc-covered", None)
    assert meta.extra["rows"] == 16
    categories = meta.extra["category_rows"]
    assert [(c["row"], c["date"]) for c in categories] == [
        (12, "2025-12-22"), (13, "2026-03-23"), (15, "2026-07-28"), (16, "2026-07-28")]
    assert categories[0]["description"].startswith("Uncrewed aircraft systems (UAS)")
    assert categories[0]["updated"] == ["2026-01-07", "2026-03-18", "2026-06-15", "2026-07-21"]


def test_fcc_company_names():
    kaspersky = ("Information security products, solutions, and services supplied, directly or "
                 "indirectly, by AO Kaspersky Lab or any of its predecessors, successors, parents, "
                 "subsidiaries, or affiliates.")
    assert company_names(kaspersky) == ["AO Kaspersky Lab"]
    assert company_names("Telecommunications equipment produced or provided by ZTE Corporation, "
                         "including telecommunications or video surveillance services produced "
                         "or provided by such entity or using such equipment.") == [
                             "ZTE Corporation"]
    assert company_names("Routers produced in a foreign country.") == []


def _fcc_with(tmp_path: Path, old: str, new: str, *, prefix: str = "") -> Path:
    text = FCC.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "coveredlist.html"
    path.write_text(text.replace(old, new, 1).replace("<body>", f"<body>{prefix}", 1),
                    encoding="utf-8")
    return path


def test_fcc_row_without_a_company_names_the_row(tmp_path):
    # The Huawei row with its company taken out.
    path = _fcc_with(tmp_path, "produced by <strong>Huawei Technologies Company</strong>, ", "")
    with pytest.raises(ListFileError, match="row 1 names no company") as info:
        FccCoveredListParser().meta(path)
    assert info.value.record == 1 and info.value.line is not None


def test_fcc_row_without_a_date(tmp_path):
    path = _fcc_with(tmp_path, '<p class="rtecenter">March 25, 2022</p>', "")
    with pytest.raises(ListFileError, match="row 6 has no date") as info:
        FccCoveredListParser().meta(path)
    assert info.value.record == 6


def test_fcc_numeric_dates_last_updated_and_documents(tmp_path):
    path = _fcc_with(
        tmp_path, "<p class=\"rtecenter\">March 12, 2021</p>", "<p>3/12/2021</p>",
        # A stand-in for the page's update line (its real wording was not verified); the date
        # is that of the latest rows.
        prefix="<p>Last Updated: July 28, 2026</p>",
    )
    text = path.read_text(encoding="utf-8").replace(
        "services provided by such entity or using such equipment.</td>",
        "services provided by such entity or using such equipment. (DA 21-309)</td>", 1)
    path.write_text(text, encoding="utf-8")
    parser = FccCoveredListParser()
    assert parser.meta(path).generated_at == datetime(2026, 7, 28, tzinfo=UTC)
    huawei = next(iter(parser.entries(path)))
    assert huawei.start_date == date(2021, 3, 12)
    assert huawei.raw["fcc_documents"] == ["DA 21-309"]


def test_fcc_heading_row_in_td_cells(tmp_path):
    text = FCC.read_text(encoding="utf-8")
    head = text[text.index("<thead>"):text.index("</thead>")]
    path = tmp_path / "coveredlist.html"
    path.write_text(text.replace(head, head.replace("<th", "<td").replace("</th>", "</td>")),
                    encoding="utf-8")
    assert len(list(FccCoveredListParser().entries(path))) == 13


def test_fcc_page_without_the_table(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><h1>Covered List</h1><table><tr><td>x</td></tr></table>"
                    "</body></html>", encoding="utf-8")
    with pytest.raises(ListFileError, match="has no Covered List table"):
        FccCoveredListParser().meta(path)


def test_fcc_oversize_file_is_refused(tmp_path):
    path = tmp_path / "coveredlist.html"
    with path.open("wb") as handle:
        handle.write(FCC.read_bytes())
        handle.truncate(21 << 20)  # sparse: over the 20 MB cap
    started = time.perf_counter()
    with pytest.raises(ListFileError, match="refused"):
        FccCoveredListParser().meta(path)
    assert time.perf_counter() - started < 1


def test_fcc_sniff():
    assert FccCoveredListParser.sniff(FCC, _head(FCC))
    assert not FccCoveredListParser.sniff(ECFR, _head(ECFR))
    assert not FccCoveredListParser.sniff(FTM, _head(FTM))


# --- all three into a store -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parser", "path", "count"),
    [(FtmParser, FTM, 6), (EcfrEntityListParser, ECFR, 14), (FccCoveredListParser, FCC, 13)],
)
def test_entries_store_and_read_back(store, parser, path, count):
    reader = parser()
    meta = reader.meta(path)
    header = SnapshotHeader(source=meta.source, format=meta.format, origin=str(path),
                            checksum=file_checksum(path), generated_at=meta.generated_at)
    snapshot = store.save_snapshot(header, unique_keys(reader.entries(path)))
    assert snapshot.entry_count == count
    stored = [entry for _id, entry in store.entries([snapshot.id])]
    assert sorted(e.key for e in stored) == sorted(e.key for e in reader.entries(path))
    assert len({e.key for e in stored}) == count
