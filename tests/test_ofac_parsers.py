"""OFAC legacy CSV (SDN and consolidated non-SDN list) and legacy SDN.XML parsers."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from exportguard.errors import ListFileError
from exportguard.lists.codes import LIST_NAMES
from exportguard.lists.ofac import (
    OfacCsvParser,
    OfacXmlParser,
    consolidated_list_codes,
    ofac_country_code,
    split_programs,
)
from exportguard.model import ListEntry
from tests.conftest import FIXTURES, REFERENCE

OFAC = REFERENCE / "ofac"
CONS = FIXTURES / "ofac" / "cons"
SDN_XML = FIXTURES / "ofac" / "sdn_sample.xml"
NS_CMIC = Path(__file__).resolve().parents[1] / "src" / "exportguard" / "data" / "regime" / \
    "ns_cmic.yaml"

# Pinned counts of the reference files, obtained in the shell (every record is one CRLF-ended
# line; the last line is a lone 0x1A; no quoted field spans lines):
#   wc -l < sdn.csv                                   -> 8976
#   awk -F, '$1 ~ /^[0-9]+$/' sdn.csv | wc -l         -> 8976 (rows starting with an ent_num)
#   awk -F, '$1 ~ /^[0-9]+$/ {print $1}' sdn.csv | sort -u | wc -l -> 8976 (all distinct)
#   awk -F, '$1 ~ /^[0-9]+$/' alt.csv | wc -l         -> 11910
#   awk -F, '$1 ~ /^[0-9]+$/' add.csv | wc -l         -> 13837
#   grep -c ',"individual",' sdn.csv -> 4620; ',"vessel",' -> 406; ',"aircraft",' -> 277
#   grep -c ',"aka",' alt.csv -> 11523; ',"fka",' -> 369; ',"nka",' -> 18
SDN_RECORDS = 8976
ALT_ROWS = 11910
ADD_ROWS = 13837


@pytest.fixture(scope="module")
def sdn_parser() -> OfacCsvParser:
    return OfacCsvParser()


@pytest.fixture(scope="module")
def sdn(sdn_parser: OfacCsvParser) -> dict[str, ListEntry]:
    entries = list(sdn_parser.entries(OFAC))
    by_number = {e.entity_number: e for e in entries}
    assert len(by_number) == len(entries)
    return by_number


def _count_lines(path: Path, pattern: bytes) -> int:
    """Count records the parser's way round: raw bytes, split on CRLF, matched by a regex."""
    return sum(1 for line in path.read_bytes().split(b"\r\n") if re.match(pattern, line))


# --- legacy CSV: the reference SDN files ----------------------------------------------------------


def test_reference_counts_match_an_independent_count(sdn, sdn_parser):
    primary = _count_lines(OFAC / "sdn.csv", rb'\d+,"')
    aliases = _count_lines(OFAC / "alt.csv", rb'\d+,\d+,"[afn]ka",')
    addresses = _count_lines(OFAC / "add.csv", rb"\d+,\d+,")
    assert (primary, aliases, addresses) == (SDN_RECORDS, ALT_ROWS, ADD_ROWS)

    assert len(sdn) == SDN_RECORDS
    assert sum(len(e.raw.get("aliases", [])) for e in sdn.values()) == ALT_ROWS
    types = {t: sum(1 for e in sdn.values() if e.type == t)
             for t in ("Individual", "Vessel", "Aircraft", "Entity")}
    assert types == {"Individual": 4620, "Vessel": 406, "Aircraft": 277, "Entity": 3673}
    alias_types = {}
    for entry in sdn.values():
        for alias in entry.raw.get("aliases", []):
            alias_types[alias["type"]] = alias_types.get(alias["type"], 0) + 1
    assert alias_types == {"aka": 11523, "fka": 369, "nka": 18}

    meta = sdn_parser.meta(OFAC)
    assert (meta.source, meta.format, meta.generated_at, meta.declared_count) == \
        ("ofac-sdn", "ofac-csv", None, None)
    assert meta.extra["missing"] == []
    assert meta.extra["orphan_rows"] == {"alt.csv": 0, "add.csv": 0, "sdn_comments.csv": 0}
    assert [p.name for p in OfacCsvParser.files(OFAC)] == \
        ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]


def test_primary_file_path_finds_its_siblings(sdn):
    entries = {e.entity_number: e for e in OfacCsvParser().entries(OFAC / "sdn.csv")}
    assert len(entries) == SDN_RECORDS
    assert entries["306"].alt_names == sdn["306"].alt_names == ["NATIONAL BANK OF CUBA"]


def test_banco_nacional_de_cuba(sdn):
    entry = sdn["306"]
    assert entry.name == "BANCO NACIONAL DE CUBA"
    assert entry.list_code == "SDN" and entry.key == "SDN:306"
    assert entry.source_name == LIST_NAMES["SDN"]
    assert entry.source_list_url == "https://sanctionssearch.ofac.treas.gov/"
    assert entry.type == "Entity" and entry.programs == ["CUBA"]
    # alt.csv holds the strong alias only; 'BNC' is a weak alias written into Remarks.
    assert entry.alt_names == ["NATIONAL BANK OF CUBA"]
    assert entry.raw["weak_aliases"] == [{"type": "aka", "name": "BNC"}]
    assert entry.raw["remarks"] == "a.k.a. 'BNC'."
    assert entry.countries == ["CH", "ES", "JP", "PA"]
    assert entry.addresses[0].address == "Zweierstrasse 35"
    assert entry.addresses[0].city == "Zurich CH-8022"
    assert entry.start_date is None


def test_individual_with_dates_of_birth_and_weak_aliases(sdn):
    entry = sdn["4106"]
    assert entry.name == "HERRERA BUITRAGO, Helmer" and entry.type == "Individual"
    assert entry.programs == ["SDNT"]
    assert entry.raw["dates_of_birth"] == ["24 Aug 1951", "05 Jul 1951"]
    assert [a["name"] for a in entry.raw["weak_aliases"]] == ["PACHO", "H7"]
    assert entry.alt_names == [] and entry.countries == ["CO"]
    kony = sdn["11018"]
    assert kony.raw["title"] == "Commander of the Lord's Resistance Army"
    assert kony.raw["dates_of_birth"] == ["1961", "1963", "1965", "1959", "1960", "18 Sep 1964"]


def test_remarks_continue_in_the_comments_file(sdn):
    tian = sdn["28263"]
    assert len(tian.raw["remarks"]) == 1000 + 30
    assert tian.raw["remarks"].endswith("a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP.")
    # The weak alias is cut across the two files ('snowsjo' + 'hn'): read after joining them.
    assert [a["name"] for a in tian.raw["weak_aliases"]] == ["tianyinyin0404", "snowsjohn"]
    assert len(sdn["12300"].raw["remarks"]) == 1000 + 596


def test_program_tags_are_split(sdn):
    assert sdn["4632"].programs == ["IRAN", "SDGT", "IRGC", "IFSR"]
    assert sdn["27197"].programs == ["UKRAINE-EO13661", "CYBER2", "ELECTION-EO13848"]
    assert split_programs("[SDGT] [IRGC]") == ["SDGT", "IRGC"]
    assert split_programs("CAATSA - RUSSIA") == ["CAATSA - RUSSIA"]
    assert split_programs("-0- ") == []


def test_vessel_and_aircraft(sdn):
    vessel = sdn["15036"]
    assert vessel.type == "Vessel"
    assert vessel.raw["vessel"] == {
        "call_sign": "T2EU4", "vessel_type": "Crude/Oil Products Tanker", "tonnage": "99,144",
        "gross_registered_tonnage": "56,068", "flag": "Iran"}
    assert vessel.alt_names == ["ABADAN", "SHONA"]
    assert [a["type"] for a in vessel.raw["aliases"]] == ["fka", "fka"]
    assert vessel.raw["weak_aliases"] == [{"type": "fka", "name": "ALPHA"}]
    assert vessel.addresses == [] and vessel.countries == []  # its one add.csv row is empty
    assert sdn["27197"].type == "Aircraft" and sdn["27197"].alt_names == ["M-VITO"]


def test_address_countries_become_iso_codes(sdn):
    assert sdn["12216"].countries == ["KP"]  # Korea, North
    assert sdn["11296"].countries == ["MM"]  # Burma
    assert sdn["13086"].countries == ["AE", "RU"]  # United Arab Emirates, Russia
    assert sdn["18961"].countries == ["UA"]  # Ukraine, Region: Crimea
    kony = sdn["11018"]
    assert kony.countries == ["CF", "SD", "CD"]
    kafia = [a for a in kony.addresses if a.country is None]
    assert len(kafia) == 1
    assert {"country": "Region: Kafia Kingi"} in kony.raw["addresses"]


def test_country_names_the_reference_leaves_unmapped(sdn):
    unmapped = {a["country"] for e in sdn.values() for a in e.raw.get("addresses", [])
                if a.get("country") and ofac_country_code(a["country"]) is None}
    assert unmapped == {"undetermined", "Region: Kafia Kingi", "Netherlands Antilles"}


@pytest.mark.parametrize(("name", "code"), [
    ("Burma", "MM"), ("Korea, North", "KP"), ("Korea, South", "KR"), ("Russia", "RU"),
    ("Iran", "IR"), ("Syria", "SY"), ("Venezuela", "VE"), ("Turkey", "TR"),
    ("Congo, Democratic Republic of the", "CD"), ("Congo, Republic of the", "CG"),
    ("West Bank", "PS"), ("Palestinian", "PS"), ("Region: Gaza", "PS"), ("Region: Crimea", "UA"),
    ("Cote d Ivoire", "CI"), ("Curacao", "CW"), ("Bahamas, The", "BS"), ("The Gambia", "GM"),
    ("Kosovo", "XK"), ("Virgin Islands, British", "VG"), ("United Kingdom", "GB"),
    ("Democratic People's Republic of Korea", "KP"), ("undetermined", None),
    ("Netherlands Antilles", None), ("", None), (None, None),
])
def test_ofac_country_names(name, code):
    assert ofac_country_code(name) == code


# --- legacy CSV: encodings and refusals -----------------------------------------------------------

_ROW = '{n},"{name}",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


def _write_sdn(directory: Path, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "sdn.csv"
    path.write_bytes(data)
    return path


def test_windows_1252_name_is_decoded(tmp_path):
    data = (_ROW.format(n=1, name="PLAIN NAME") + _ROW.format(n=2, name="SOCI\x01")).encode()
    data = data.replace(b"\x01", "ÉTÉ GÉNÉRALE ÆRØ".encode("cp1252")) + b"\x1a"
    path = _write_sdn(tmp_path / "cp1252", data)
    entries = list(OfacCsvParser().entries(path))
    assert [e.name for e in entries] == ["PLAIN NAME", "SOCIÉTÉ GÉNÉRALE ÆRØ"]


def test_utf8_name_is_decoded(tmp_path):
    path = _write_sdn(tmp_path / "utf8", _ROW.format(n=7, name="ŞIRKETI ÇELİK").encode())
    assert [e.name for e in OfacCsvParser().entries(path)] == ["ŞIRKETI ÇELİK"]


def test_undecodable_byte_is_refused_with_its_line(tmp_path):
    data = (_ROW.format(n=1, name="A") + _ROW.format(n=2, name="B\x01")).encode()
    path = _write_sdn(tmp_path / "bad", data.replace(b"\x01", b"\x81"))  # undefined in cp1252
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(path))
    assert caught.value.line == 2 and "0x81" in caught.value.message


def test_mixed_encodings_are_refused(tmp_path):
    data = _ROW.format(n=1, name="CAFÉ").encode() + _ROW.format(n=2, name="CAFÉ").encode("cp1252")
    path = _write_sdn(tmp_path / "mixed", data)
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(path))
    assert caught.value.line == 2 and "mixes encodings" in caught.value.message


@pytest.mark.parametrize("cut", ["inside-quotes", "between-fields"])
def test_truncated_primary_file_names_the_line(tmp_path, cut):
    lines = (OFAC / "sdn.csv").read_bytes().split(b"\r\n")
    fourth = lines[3]  # 424,"BOUTIQUE LA MAISON",-0- ,"CUBA",...
    partial = fourth[:10] if cut == "inside-quotes" else fourth[:fourth.index(b',"CUBA"')]
    path = _write_sdn(tmp_path / cut, b"\r\n".join(lines[:3]) + b"\r\n" + partial)
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(path))
    assert caught.value.line == 4
    assert caught.value.path == str(path)


def test_one_gigabyte_line_is_refused_without_reading_it(tmp_path):
    path = _write_sdn(tmp_path / "huge", _ROW.format(n=1, name="A").encode())
    with path.open("r+b") as handle:
        handle.truncate(1 << 30)  # sparse: a valid first row, then 1 GiB of NUL, no newline
    started = time.monotonic()
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(path))
    assert time.monotonic() - started < 2
    assert caught.value.line == 2 and "longer than" in caught.value.message


@pytest.mark.parametrize(("row", "field"), [
    ('X1,"NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "ent_num"),
    ('5,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "SDN_Name"),
    (_ROW.format(n=1, name="DUPLICATE"), "ent_num"),
])
def test_bad_primary_rows_are_refused(tmp_path, row, field):
    path = _write_sdn(tmp_path / field, (_ROW.format(n=1, name="A") + row).encode())
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(path))
    assert (caught.value.line, caught.value.field) == (2, field)


def test_absent_siblings_are_optional_and_reported(tmp_path):
    path = _write_sdn(tmp_path / "alone", (OFAC / "sdn.csv").read_bytes())
    parser = OfacCsvParser()
    entries = list(parser.entries(path))
    assert len(entries) == SDN_RECORDS
    assert all(not e.alt_names and not e.addresses for e in entries)
    assert parser.meta(path).extra["missing"] == ["alt.csv", "add.csv", "sdn_comments.csv"]


def test_present_sibling_must_parse(tmp_path):
    path = _write_sdn(tmp_path / "badalt", _ROW.format(n=1, name="A").encode())
    (path.parent / "alt.csv").write_bytes(b'1,10,"aka","B"\r\n')  # 4 fields, not 5
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(path))
    assert caught.value.path.endswith("alt.csv") and caught.value.line == 1


def test_sibling_names_are_matched_whatever_their_case(tmp_path):
    directory = tmp_path / "upper"
    directory.mkdir()
    (directory / "SDN.CSV").write_bytes(_ROW.format(n=1, name="A").encode())
    (directory / "ALT.CSV").write_bytes(b'1,10,"aka","B",-0- \r\n')
    [entry] = OfacCsvParser().entries(directory)
    assert entry.alt_names == ["B"]


def test_orphan_alias_rows(tmp_path):
    path = _write_sdn(tmp_path / "orphans", _ROW.format(n=1, name="A").encode())
    alt = path.parent / "alt.csv"
    alt.write_bytes(b'1,10,"aka","B",-0- \r\n2,11,"aka","C",-0- \r\n')
    with pytest.raises(ListFileError) as caught:  # 1 of 2 rows: not the same release
        list(OfacCsvParser().entries(path))
    assert caught.value.path == str(alt) and "not from the same release" in caught.value.message

    rows = "".join(f'1,{n},"aka","B{n}",-0- \r\n' for n in range(100, 300))
    alt.write_bytes((rows + '2,11,"aka","C",-0- \r\n').encode())
    parser = OfacCsvParser()
    [entry] = parser.entries(path)  # 1 of 201 rows: counted, not refused
    assert len(entry.alt_names) == 200
    assert parser.meta(path).extra["orphan_rows"] == {"alt.csv": 1}


def test_ambiguous_or_unnamed_inputs_are_refused(tmp_path):
    both = tmp_path / "both"
    both.mkdir()
    (both / "sdn.csv").write_bytes(_ROW.format(n=1, name="A").encode())
    (both / "cons_prim.csv").write_bytes(_ROW.format(n=2, name="B").encode())
    with pytest.raises(ListFileError, match="both"):
        OfacCsvParser().meta(both)
    renamed = tmp_path / "sdn-2021.csv"
    renamed.write_bytes(_ROW.format(n=1, name="A").encode())
    with pytest.raises(ListFileError, match=r"named sdn\.csv or cons_prim\.csv"):
        OfacCsvParser().meta(renamed)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ListFileError, match="neither"):
        OfacCsvParser().meta(empty)


def test_consolidated_program_on_an_sdn_file_is_refused(tmp_path):
    row = '9,"HUAWEI TECHNOLOGIES CO., LTD.",-0- ,"CMIC-EO13959",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,' \
          '-0- ,-0- \r\n'
    path = _write_sdn(tmp_path / "wrong", row.encode())
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(path))
    assert caught.value.field == "Program" and caught.value.line == 1


# --- legacy CSV: the consolidated non-SDN list ----------------------------------------------------


@pytest.fixture(scope="module")
def cons() -> list[ListEntry]:
    return list(OfacCsvParser().entries(CONS))


def test_consolidated_rows_get_their_list_codes(cons):
    codes = {}
    for entry in cons:
        codes.setdefault(entry.entity_number, []).append(entry.list_code)
        assert entry.key == f"{entry.list_code}:{entry.entity_number}"
        assert entry.source_name == LIST_NAMES[entry.list_code]
    assert codes == {
        "9640": ["PLC"], "9647": ["PLC"], "15268": ["CAP"],
        "17250": ["SSI", "NS-MBS"],  # E.O. 14024 Directive 3
        "18732": ["SSI"],
        "18743": ["SSI", "CAP"],  # E.O. 14024 Directive 2
        "30939": ["CMIC"], "30946": ["CMIC"], "30947": ["CMIC"], "30951": ["CMIC"],
        "31695": ["NS-MBS"],  # RUSSIA-EO14024 alone (Directive 4)
        "33111": ["CMIC"],
    }
    assert len({e.key for e in cons}) == len(cons)


def test_cmic_rows_are_ns_cmic_issuers(cons):
    issuers = yaml.safe_load(NS_CMIC.read_text(encoding="utf-8"))["issuers"]
    by_number = {str(i.get("ofac_entity_number")): i for i in issuers}
    cmic = {e.entity_number: e for e in cons if e.list_code == "CMIC"}
    assert sorted(cmic) == ["30939", "30946", "30947", "30951", "33111"]
    for number, entry in cmic.items():
        issuer = by_number[number]
        known = {issuer["name"].casefold(), *(n.casefold() for n in issuer.get("names", []))}
        assert entry.name.casefold() in known or entry.name.casefold().rstrip(".") in {
            k.rstrip(".") for k in known}, entry.name
        assert entry.programs == ["CMIC-EO13959"]
    assert cmic["30947"].name == "HUAWEI TECHNOLOGIES CO., LTD."
    assert cmic["30947"].start_date == date(2021, 6, 3)  # "Listing Date (CMIC) 03 Jun 2021"
    assert cmic["33111"].start_date == date(2021, 12, 16)
    assert cmic["30951"].countries == ["CN", "KY"]
    assert cmic["30951"].raw["weak_aliases"] == [{"type": "aka", "name": "SMIC"}]


def test_consolidated_meta(cons):
    parser = OfacCsvParser()
    meta = parser.meta(CONS / "cons_prim.csv")
    assert (meta.source, meta.extra["list"]) == ("ofac-cons", "cons")
    assert meta.extra["missing"] == ["cons_comments.csv"]
    ssi = next(e for e in cons if e.entity_number == "18732")
    assert ssi.type == "Entity" and ssi.programs == ["UKRAINE-EO13662"]
    plc = next(e for e in cons if e.entity_number == "9640")
    assert plc.alt_names == ["ABU TAIR, Mohammed Mahmud", "ABOU TAYR, Mohammad Mahmoud"]
    assert plc.addresses == []  # its cons_add.csv row is empty


def test_unknown_consolidated_program_is_refused(tmp_path):
    directory = tmp_path / "cons"
    directory.mkdir()
    row = '1,"NEW PARTY",-0- ,"SDGT] [NEW-PROGRAM-EO99999",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,' \
          '-0- \r\n'
    (directory / "cons_prim.csv").write_bytes(row.encode())
    with pytest.raises(ListFileError) as caught:
        list(OfacCsvParser().entries(directory))
    assert caught.value.field == "Program" and caught.value.line == 1
    assert "NEW-PROGRAM-EO99999" in caught.value.message


def test_consolidated_list_codes_rules():
    path = Path("cons_prim.csv")
    assert consolidated_list_codes(["HKAA"], None, path=path) == ["NS-MBS"]
    assert consolidated_list_codes(["FSE-IR"], None, path=path) == ["FSE"]
    assert consolidated_list_codes(["UKRAINE-EO13662", "RUSSIA-EO14024"], None,
                                   path=path) == ["SSI"]
    assert consolidated_list_codes(["RUSSIA-EO14024"], "Listing Date (EO 14024 Directive 2): "
                                   "24 Feb 2022", path=path) == ["CAP"]
    with pytest.raises(ListFileError):
        consolidated_list_codes(["SDGT"], None, path=path)


# --- legacy XML -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xml_entries() -> dict[str, ListEntry]:
    return {e.entity_number: e for e in OfacXmlParser().entries(SDN_XML)}


def test_xml_meta():
    meta = OfacXmlParser().meta(SDN_XML)
    assert (meta.source, meta.format) == ("ofac-sdn", "ofac-sdn-xml")
    assert meta.generated_at == datetime(2021, 12, 31, tzinfo=UTC)
    assert meta.declared_count == 19
    assert meta.extra["namespace"] == \
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


def test_xml_and_csv_agree_on_the_same_records(xml_entries, sdn):
    assert len(xml_entries) == 19
    for number, from_xml in xml_entries.items():
        from_csv = sdn[number]
        assert from_xml.key == from_csv.key == f"SDN:{number}"
        assert from_xml.name == from_csv.name
        assert from_xml.type == from_csv.type
        assert from_xml.programs == from_csv.programs
        assert sorted(from_xml.alt_names) == sorted(from_csv.alt_names)
        assert from_xml.raw.get("aliases") == from_csv.raw.get("aliases")
        assert from_xml.raw.get("weak_aliases") == from_csv.raw.get("weak_aliases")
        assert from_xml.countries == from_csv.countries
        assert [a.country for a in from_xml.addresses] == [a.country for a in from_csv.addresses]
        assert from_xml.raw.get("dates_of_birth") == from_csv.raw.get("dates_of_birth")
    assert xml_entries["2674"].name == "ABBAS, Abu"
    assert xml_entries["2674"].raw["title"] == sdn["2674"].raw["title"]
    assert xml_entries["15036"].raw["vessel"]["call_sign"] == "T2EU4"
    assert xml_entries["13086"].raw["nationalities"] == ["Russia"]
    assert xml_entries["306"].addresses[0].postal_code == "CH-8022"


@pytest.mark.parametrize("namespace", ['xmlns="http://tempuri.org/sdnList.xsd"', ""])
def test_xml_any_namespace(tmp_path, namespace, xml_entries):
    text = SDN_XML.read_text(encoding="utf-8").replace(
        'xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"',
        namespace)
    path = tmp_path / "SDN.XML"
    path.write_text(text, encoding="utf-8")
    entries = {e.entity_number: e for e in OfacXmlParser().entries(path)}
    assert entries.keys() == xml_entries.keys()
    assert entries["306"].alt_names == ["NATIONAL BANK OF CUBA"]


def _xml(body: str, count: int | None = None, head: str = "") -> str:
    info = "" if count is None else (
        f"<publshInformation><Publish_Date>01/02/2024</Publish_Date>"
        f"<Record_Count>{count}</Record_Count></publshInformation>")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{head}<sdnList>{info}{body}</sdnList>\n'


_ENTRY = ("<sdnEntry><uid>{uid}</uid><lastName>{name}</lastName><sdnType>Entity</sdnType>"
          "<programList><program>{program}</program></programList></sdnEntry>")


def test_xml_non_ascii_name(tmp_path):
    path = tmp_path / "sdn.xml"
    body = _ENTRY.format(uid=1, name="SOCIÉTÉ ŞIRKETI", program="SDGT") + \
        "<sdnEntry><uid>2</uid><firstName>José</firstName><lastName>NÚÑEZ</lastName>" \
        "<sdnType>Individual</sdnType></sdnEntry>"
    path.write_bytes(_xml(body, 2).encode("utf-8"))
    assert [e.name for e in OfacXmlParser().entries(path)] == ["SOCIÉTÉ ŞIRKETI", "NÚÑEZ, José"]


_BILLION_LAUGHS = """<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
"""
_XXE = '<!DOCTYPE sdnList [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


@pytest.mark.parametrize(("head", "name"), [
    (_BILLION_LAUGHS, "&lol3;"), (_XXE, "&xxe;"), ("<!DOCTYPE sdnList>\n", "PLAIN"),
])
def test_xml_with_dtd_or_entities_is_refused(tmp_path, head, name):
    path = tmp_path / "sdn.xml"
    path.write_text(_xml(_ENTRY.format(uid=1, name=name, program="SDGT"), 1, head),
                    encoding="utf-8")
    parser = OfacXmlParser()
    with pytest.raises(ListFileError, match="DTD/entities are refused"):
        parser.meta(path)
    with pytest.raises(ListFileError, match="DTD/entities are refused"):
        list(OfacXmlParser().entries(path))


def test_truncated_xml_is_refused_after_streaming_what_it_could(tmp_path):
    text = SDN_XML.read_text(encoding="utf-8")
    cut = text.index("<uid>4632</uid>")
    path = tmp_path / "sdn.xml"
    path.write_text(text[:cut], encoding="utf-8")
    parser = OfacXmlParser()
    seen = []
    with pytest.raises(ListFileError) as caught:
        for entry in parser.entries(path):
            seen.append(entry.entity_number)
    assert seen == ["36", "173", "306", "424", "2674", "2691", "4106", "4307"]
    assert caught.value.line == text[:cut].count("\n") + 1
    assert "malformed or truncated XML" in caught.value.message


def test_xml_record_count_mismatch_is_refused(tmp_path):
    text = SDN_XML.read_text(encoding="utf-8")
    start = text.index("<sdnEntry>\n    <uid>424</uid>")
    end = text.index("<sdnEntry>", start + 1)
    path = tmp_path / "sdn.xml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")  # one entry dropped cleanly
    with pytest.raises(ListFileError) as caught:
        list(OfacXmlParser().entries(path))
    assert caught.value.field == "Record_Count"
    assert "declares 19 entries but holds 18" in caught.value.message


def test_xml_other_refusals(tmp_path):
    wrong_root = tmp_path / "other.xml"
    wrong_root.write_text("<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>",
                          encoding="utf-8")
    with pytest.raises(ListFileError, match="not <sdnList>"):
        list(OfacXmlParser().entries(wrong_root))
    no_uid = tmp_path / "sdn.xml"
    no_uid.write_text(_xml(_ENTRY.format(uid="x", name="A", program="SDGT"), 1),
                      encoding="utf-8")
    with pytest.raises(ListFileError) as caught:
        list(OfacXmlParser().entries(no_uid))
    assert (caught.value.record, caught.value.field) == (1, "uid")
    cmic = tmp_path / "SDN-copy.xml"
    cmic.write_text(_xml(_ENTRY.format(uid=30947, name="HUAWEI TECHNOLOGIES CO., LTD.",
                                       program="CMIC-EO13959"), 1), encoding="utf-8")
    with pytest.raises(ListFileError) as caught:
        list(OfacXmlParser().entries(cmic))
    assert caught.value.field == "Program"


def test_consolidated_xml_by_name(tmp_path):
    path = tmp_path / "consolidated.xml"
    path.write_text(_xml(_ENTRY.format(uid=30947, name="HUAWEI TECHNOLOGIES CO., LTD.",
                                       program="CMIC-EO13959"), 1), encoding="utf-8")
    parser = OfacXmlParser()
    [entry] = parser.entries(path)
    assert (entry.list_code, entry.key) == ("CMIC", "CMIC:30947")
    assert parser.meta(path).source == "ofac-cons"


# --- sniffing -------------------------------------------------------------------------------------


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(65536)


def test_sniff(tmp_path):
    assert OfacCsvParser.sniff(OFAC, b"")
    assert OfacCsvParser.sniff(CONS, b"")
    assert OfacCsvParser.sniff(OFAC / "sdn.csv", _head(OFAC / "sdn.csv"))
    renamed = tmp_path / "ofac-2021.csv"
    renamed.write_bytes(_head(OFAC / "sdn.csv"))
    assert OfacCsvParser.sniff(renamed, _head(renamed))
    for other in ("alt.csv", "add.csv", "sdn_comments.csv"):
        copy = tmp_path / f"x-{other}"
        copy.write_bytes(_head(OFAC / other))
        assert not OfacCsvParser.sniff(copy, _head(copy)), other
    assert not OfacCsvParser.sniff(SDN_XML, _head(SDN_XML))
    assert not OfacCsvParser.sniff(tmp_path, b"")

    assert OfacXmlParser.sniff(SDN_XML, _head(SDN_XML))
    assert not OfacXmlParser.sniff(OFAC / "sdn.csv", _head(OFAC / "sdn.csv"))
    un = tmp_path / "un.xml"
    un.write_text("<CONSOLIDATED_LIST/>", encoding="utf-8")
    assert not OfacXmlParser.sniff(un, _head(un))
