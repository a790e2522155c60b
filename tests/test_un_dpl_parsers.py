"""The UN Security Council Consolidated List (XML) and BIS Denied Persons List (dpl.txt) parsers:
counts on the reference files checked against independent counts of the raw text, specific
records, hand-made fixtures (tests/fixtures/un, tests/fixtures/dpl) and hostile or broken input."""

import html
import json
import re
import time
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from exportguard.errors import ListFileError
from exportguard.lists.codes import LIST_NAMES
from exportguard.lists.dpl import DplTxtParser, split_fr_citations
from exportguard.lists.listing_dates import listing_date
from exportguard.lists.un import UnXmlParser, country_code
from tests.conftest import FIXTURES, REFERENCE

UN_XML = REFERENCE / "un" / "un-consolidated.xml"
DPL_TXT = REFERENCE / "bis" / "dpl.txt"
UN_FIX = FIXTURES / "un"
DPL_FIX = FIXTURES / "dpl"

# Pinned from the reference files (cd ../shared/reference):
#   grep -c '<INDIVIDUAL>' un/un-consolidated.xml        -> 730  (grep -o ... | wc -l agrees)
#   grep -c '<ENTITY>' un/un-consolidated.xml            -> 273
#   grep -c '<ALIAS_NAME>' un/un-consolidated.xml        -> 2752 non-empty aliases (the 291 empty
#                                                           ones are written <ALIAS_NAME/>)
#   grep -c '<NAME_ORIGINAL_SCRIPT>' un/un-consolidated.xml -> 378
#   grep -c '' bis/dpl.txt                               -> 547 lines (wc -l says 546: the last
#                                                           line has no newline), so 546 rows
#   tail -n +2 bis/dpl.txt | cut -f1,7 | sed -E 's/^" +/"/; s/ +"\t/"\t/' | sort -u | wc -l
#                                                        -> 417 (name, Effective_Date) pairs;
#                                                           the same pipeline with `uniq` instead
#                                                           of `sort -u` also gives 417: every
#                                                           party's rows are adjacent
#   tail -n +2 bis/dpl.txt | cut -f8 | grep -c '^""$'     -> 53 rows without Expiration_Date
UN_INDIVIDUALS = 730
UN_ENTITIES = 273
UN_ALIASES = 2752
UN_DISTINCT_ALIASES = 2736  # per record, repeats and aliases equal to the name left out
UN_ORIGINAL_SCRIPT = 378
DPL_ROWS = 546
DPL_PARTIES = 417
DPL_NO_EXPIRATION_ROWS = 53


@pytest.fixture(scope="module")
def un_entries():
    return list(UnXmlParser().entries(UN_XML))


@pytest.fixture(scope="module")
def un_by_key(un_entries):
    return {e.key: e for e in un_entries}


@pytest.fixture(scope="module")
def dpl_entries():
    return list(DplTxtParser().entries(DPL_TXT))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


# ---------------------------------------------------------------------------------------------
# UN: the reference file


def test_un_counts_match_an_independent_count_of_the_raw_xml(un_entries):
    text = UN_XML.read_text(encoding="utf-8")
    individuals = len(re.findall(r"<INDIVIDUAL>", text))
    entities = len(re.findall(r"<ENTITY>", text))
    aliases = [a for a in re.findall(r"<ALIAS_NAME>(.*?)</ALIAS_NAME>", text, re.S) if a.strip()]
    assert (individuals, entities, len(aliases)) == (UN_INDIVIDUALS, UN_ENTITIES, UN_ALIASES)

    # Distinct aliases per record, from the raw text: the parser keeps each alias once and
    # leaves out an alias that repeats the record's own name.
    distinct = 0
    for kind, body in re.findall(r"<(INDIVIDUAL|ENTITY)>(.*?)</\1>", text, re.S):
        tags = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        if kind == "ENTITY":
            tags = tags[:1]
        parts = [re.search(rf"<{t}>(.*?)</{t}>", body, re.S) for t in tags]
        name = " ".join(_collapse(p.group(1)) for p in parts if p and p.group(1).strip())
        seen = {name.casefold()}
        for alias in re.findall(r"<ALIAS_NAME>(.*?)</ALIAS_NAME>", body, re.S):
            folded = _collapse(alias).casefold()
            if folded and folded not in seen:
                seen.add(folded)
                distinct += 1
    assert distinct == UN_DISTINCT_ALIASES

    assert len(un_entries) == UN_INDIVIDUALS + UN_ENTITIES == 1003
    assert Counter(e.type for e in un_entries) == {"Individual": UN_INDIVIDUALS,
                                                    "Entity": UN_ENTITIES}
    assert sum(len(e.alt_names) for e in un_entries) == UN_DISTINCT_ALIASES
    assert len({e.key for e in un_entries}) == len(un_entries)
    assert all(e.list_code == "UN" and e.source_name == LIST_NAMES["UN"] for e in un_entries)
    # Every record but one (QDe.164, whose 'original script' is its own Latin name) keeps it.
    assert len(re.findall(r"<NAME_ORIGINAL_SCRIPT>", text)) == UN_ORIGINAL_SCRIPT
    assert sum(len(e.local_names) for e in un_entries) == UN_ORIGINAL_SCRIPT - 1


def test_un_meta():
    meta = UnXmlParser().meta(UN_XML)
    assert (meta.source, meta.format, meta.declared_count) == ("un", "un-xml", None)
    assert meta.generated_at == datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=UTC)


def test_un_programs_are_the_un_list_types(un_entries):
    programs = Counter(p for e in un_entries for p in e.programs)
    assert programs["Al-Qaida"] == 341 and programs["DPRK"] == 155 and programs["Iran"] == 121
    assert all(len(e.programs) == 1 for e in un_entries)


def test_un_dprk_entity_with_aliases_and_country(un_by_key):
    komid = un_by_key["UN:KPe.001"]
    assert komid.name == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert komid.type == "Entity" and komid.programs == ["DPRK"]
    assert komid.entity_number == "KPe.001"
    assert komid.alt_names == [
        "CHANGGWANG SINYONG CORPORATION",
        "EXTERNAL TECHNOLOGY GENERAL CORPORATION",
        "DPRKN MINING DEVELOPMENT TRADING COOPERATION",
        '"KOMID"',
    ]
    assert komid.countries == ["KP"]
    assert komid.addresses[0].city == "Pyongyang" and komid.addresses[0].country == "KP"
    assert komid.start_date == date(2009, 4, 24)
    assert komid.raw["dataid"] == "690735" and komid.raw["reference_number"] == "KPe.001"
    assert komid.source_list_url == (
        "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list")
    # A DPRK front company in Hong Kong: the UN spelling maps to HK.
    assert un_by_key["UN:KPe.017"].countries == ["HK"]
    # A leading space in the published name is not kept.
    assert un_by_key["UN:KPe.023"].name == "DAEDONG CREDIT BANK (DCB)"


def test_un_individual_with_original_script(un_by_key):
    umarov = un_by_key["UN:QDi.290"]
    assert umarov.type == "Individual"
    assert umarov.name == "DOKU KHAMATOVICH UMAROV"
    assert umarov.local_names == ["Умаров Доку Хаматович"]
    assert umarov.start_date == date(2011, 3, 10)
    # 'Dokka Umarov' is published twice (with different dates of birth); kept once.
    assert umarov.alt_names == ["Lom-ali Butayev (Butaev)", "Dokka Umarov"]
    # Nationality 'Russian Federation' maps; 'former Soviet Union' has no code and is kept.
    assert umarov.countries == ["RU"]
    assert umarov.raw["unmapped_countries"] == ["former Soviet Union"]
    assert umarov.raw["last_updated"] == ["2014-06-02", "2014-12-30", "2019-05-01", "2021-11-15"]
    # Arabic split over two lines in the file: the line break is collapsed, not split.
    assert un_by_key["UN:QDi.426"].local_names == ["أمیر محمد سعید عبد الرحمن السلبي"]


def test_un_listed_on_with_time_zone_is_read_as_its_date(un_by_key, un_entries):
    # Ten records carry an xs:date with an offset, e.g. '2015-07-01-04:00'
    # (grep -c '<LISTED_ON>[0-9-]*-04:00<' un/un-consolidated.xml -> 10).
    odd = [e for e in un_entries if len(e.raw["listed_on"]) > 10]
    assert len(odd) == 10
    riak = un_by_key["UN:SSi.001"]
    assert riak.start_date == date(2015, 7, 1) and riak.raw["listed_on"] == "2015-07-01-04:00"
    assert riak.name == "GABRIEL JOK RIAK MAKOL"
    assert all(e.start_date is not None for e in un_entries)
    assert min(e.start_date for e in un_entries) == date(2000, 4, 12)
    assert max(e.start_date for e in un_entries) == date(2026, 2, 24)


def test_un_low_quality_aliases_are_kept_and_marked(un_entries, un_by_key):
    qurashi = un_by_key["UN:QDi.426"]
    assert qurashi.raw["weak_aliases"] == ["Al-Ustadh", "Ustadh Ahmad"]
    assert set(qurashi.raw["weak_aliases"]) <= set(qurashi.alt_names)
    text = UN_XML.read_text(encoding="utf-8")
    low = len(re.findall(r"<QUALITY>Low</QUALITY>\s*<ALIAS_NAME>[^<]", text))
    assert low == 615
    assert sum(len(e.raw.get("weak_aliases", [])) for e in un_entries) == low


def test_un_country_names_map_with_few_left_unmapped(un_entries):
    unmapped = Counter(c for e in un_entries for c in e.raw.get("unmapped_countries", []))
    assert unmapped == {"former Soviet Union": 1}
    countries = Counter(c for e in un_entries for c in e.countries)
    assert countries["KP"] > 100 and countries["IR"] > 10 and countries["SY"] > 10
    for name, code in [
        ("Democratic People's Republic of Korea", "KP"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Syrian Arab Republic", "SY"),
        ("Russian Federation", "RU"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("United Republic of Tanzania", "TZ"),
        ("State of Palestine", "PS"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("China, Hong Kong Special Administrative Region", "HK"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("United States of America", "US"),
        ("Viet Nam", "VN"),
        ("Pakistan", "PK"),
    ]:
        assert country_code(name) == code, name
    # 'na' (used once as a nationality) is 'not known', never Namibia.
    assert country_code("na") is None and country_code("Atlantis") is None


def test_un_memory_stays_flat(tmp_path):
    """Records are cleared once yielded: ten times the records, about the same peak memory."""
    text = UN_XML.read_text(encoding="utf-8")
    record = re.search(r"<INDIVIDUAL>.*?</INDIVIDUAL>", text, re.S).group(0)

    def peak(count: int) -> int:
        path = tmp_path / f"un-{count}.xml"
        body = "".join(record.replace("CDi.001", f"CDi.{i}") for i in range(count))
        path.write_text(f'<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS>'
                        f"{body}</INDIVIDUALS></CONSOLIDATED_LIST>", encoding="utf-8")
        tracemalloc.start()
        n = sum(1 for _ in UnXmlParser().entries(path))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert n == count
        return top

    small, large = peak(300), peak(3000)
    assert large < 2 * small


# ---------------------------------------------------------------------------------------------
# UN: fixtures and hostile input


def test_un_fixture_fields():
    entries = list(UnXmlParser().entries(UN_FIX / "un-sample.xml"))
    assert [e.key for e in entries] == ["UN:KPi.901", "UN:DATAID9000002", "UN:IRe.901"]
    kim, noref, ship = entries
    assert kim.name == "KIM EXAMPLE SAMPLE"
    assert kim.start_date == date(2015, 7, 1)
    assert kim.alt_names == ["Kim Ex Sam", "Comrade Sample"]
    assert kim.raw["weak_aliases"] == ["Comrade Sample"]
    assert kim.local_names == ["김 예시 샘플"]
    assert kim.countries == ["KP"]  # 'na' nationality ignored; 'Atlantis' address unmapped
    assert kim.raw["unmapped_countries"] == ["Atlantis"]
    assert kim.raw["nationality"] == ["Democratic People's Republic of Korea", "na"]
    assert kim.raw["last_updated"] == ["2016-03-02", "2020-05-01"]
    assert kim.raw["versionnum"] == "2" and kim.raw["dataid"] == "9000001"
    assert kim.raw["documents"] == [{"TYPE_OF_DOCUMENT": "Passport", "NUMBER": "000000001"}]
    assert kim.addresses[0].address == "1 Example Street"
    assert len(kim.addresses) == 1  # the 'Atlantis' address holds nothing else: no Address
    assert kim.raw["address_notes"] == ["as of 2020"]
    assert noref.entity_number is None and noref.alt_names == [] and noref.addresses == []
    assert noref.programs == ["Al-Qaida"] and "comments" not in noref.raw
    assert ship.name == "EXAMPLE SHIPPING & TRADING COMPANY"
    assert ship.alt_names == ["ESTC", "Old Example Lines"]  # the alias equal to the name: out
    assert ship.raw["former_names"] == ["Old Example Lines"]
    assert ship.local_names == []  # 'original script' equal to the name
    assert ship.countries == ["IR", "TR"]
    assert ship.addresses[1].postal_code == "34000"
    meta = UnXmlParser().meta(UN_FIX / "un-sample.xml")
    assert meta.generated_at == datetime(2026, 1, 15, 0, 0, 5, 123000, tzinfo=UTC)


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe.xml"])
def test_un_dtd_and_entities_are_refused(name):
    path = UN_FIX / name
    for read in (UnXmlParser().meta, lambda p: list(UnXmlParser().entries(p))):
        started = time.perf_counter()
        with pytest.raises(ListFileError) as info:
            read(path)
        assert time.perf_counter() - started < 1
        assert "DTD/entities are refused" in str(info.value)
        assert name in str(info.value)


def test_un_truncated_xml_names_the_line():
    path = UN_FIX / "truncated.xml"
    last_line = path.read_text(encoding="utf-8").count("\n") + 1
    got = []
    with pytest.raises(ListFileError) as info:
        for entry in UnXmlParser().entries(path):
            got.append(entry.key)
    assert got == ["UN:KPi.901"]  # streamed: the complete record came out first
    assert info.value.line == last_line
    assert "malformed or truncated XML" in str(info.value)


def test_un_malformed_xml_names_the_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text('<CONSOLIDATED_LIST dateGenerated="x">\n<INDIVIDUALS>\n'
                    "<INDIVIDUAL><FIRST_NAME>A</SECOND_NAME></INDIVIDUAL>\n", encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(UnXmlParser().entries(path))
    assert info.value.line == 3


def test_un_wrong_root_is_refused():
    for read in (UnXmlParser().meta, lambda p: list(UnXmlParser().entries(p))):
        with pytest.raises(ListFileError) as info:
            read(UN_FIX / "wrong-root.xml")
        assert "<sdnList>" in str(info.value) and "CONSOLIDATED_LIST" in str(info.value)


def test_un_bad_listed_on_is_an_error():
    with pytest.raises(ListFileError) as info:
        list(UnXmlParser().entries(UN_FIX / "bad-listed-on.xml"))
    assert info.value.field == "LISTED_ON" and info.value.record == 1
    assert "31/12/2012" in str(info.value) and "CDi.901" in str(info.value)


def test_un_sniff():
    head = UN_XML.read_bytes()[:65536]
    assert UnXmlParser.sniff(UN_XML, head)
    assert not UnXmlParser.sniff(DPL_TXT, DPL_TXT.read_bytes()[:65536])


# ---------------------------------------------------------------------------------------------
# DPL: the reference file


def test_dpl_counts_match_an_independent_count_of_the_raw_text(dpl_entries):
    lines = DPL_TXT.read_bytes().decode("ascii").splitlines()
    rows = lines[1:]
    assert len(rows) == DPL_ROWS
    pairs = set()
    for row in rows:
        cells = row.split("\t")
        name = re.sub(r"\s+", " ", cells[0].strip('"')).strip().casefold()
        pairs.add((name, cells[6].strip('"')))
    assert len(pairs) == DPL_PARTIES
    assert len(dpl_entries) == DPL_PARTIES
    assert len({e.key for e in dpl_entries}) == DPL_PARTIES
    assert sum(len(e.raw["lines"]) for e in dpl_entries) == DPL_ROWS
    merged = Counter(len(e.raw["lines"]) for e in dpl_entries)
    assert sum(v for k, v in merged.items() if k > 1) == 91 and max(merged) == 7
    assert sum(1 for r in rows if r.split("\t")[7] == '""') == DPL_NO_EXPIRATION_ROWS
    assert all(e.list_code == "DPL" and e.source_name == LIST_NAMES["DPL"] for e in dpl_entries)


def test_dpl_meta():
    meta = DplTxtParser().meta(DPL_TXT)
    assert (meta.source, meta.format, meta.generated_at, meta.declared_count) == (
        "dpl", "dpl-txt", None, None)
    assert meta.extra["rows"] == DPL_ROWS
    assert meta.extra["last_update_max"] == "2019-06-12"
    assert meta.extra["last_update_future"] == ["3017-08-22"]  # a typo in the file


def test_dpl_person_with_citations_and_dates(dpl_entries):
    ash = [e for e in dpl_entries if e.name == "I. ASH"]
    # Published as ' I. ASH' (leading space): stripped. Two orders, two entries.
    assert [e.start_date for e in ash] == [date(2003, 6, 19), date(2002, 3, 4)]
    first = ash[0]
    assert first.federal_register == [
        "68 FR 38290, 6/27/03", "71 FR 38843, 7/10/06", "72 FR 4236, 1/30/07"]
    assert first.end_date == date(2056, 6, 29)
    assert first.addresses[0].city == "SEAGOVILLE" and first.countries == ["US"]
    assert first.raw["standard_order"] == "Y" and first.raw["last_update"] == "2007-01-31"
    assert first.raw["action"] == ["FEDERAL REGISTER NOTICE UPDATED"]
    assert listing_date(first).day == date(2003, 6, 19)
    # The second order: two rows (two addresses) merged into one entry.
    assert len(ash[1].addresses) == 2 and ash[1].raw["lines"] == [213, 214]

    hernandez = next(e for e in dpl_entries if e.name == "ADRIAN MANUEL HERNANDEZ")
    assert hernandez.raw["lines"] == [2]  # published ' ADRIAN MANUEL HERNANDEZ'
    assert hernandez.start_date == date(2017, 10, 16)
    assert hernandez.end_date == date(2020, 10, 13)
    assert hernandez.federal_register == ["82 FR 48792, 10/20/2017"]
    assert hernandez.addresses[0].country is None  # the row leaves Country empty
    assert not any(e.name != e.name.strip() for e in dpl_entries)


def test_dpl_merged_party_and_odd_cells(dpl_entries):
    by_name = {e.name: e for e in dpl_entries if e.name in {
        "HAYDEE HERRERA", "MYNET.NET CORP", "FUYI SUN", "PEARL LI", "STEPHEN EDWARD SMITH",
        "BASMAN ELASHI"}}
    mynet = by_name["MYNET.NET CORP"]
    assert mynet.type == "Entity" and len(mynet.addresses) == 2
    # '72 F.R. 1/30/07' (no page) on one row, '72 F.R. 4236 1/30/07' on the other: one notice.
    assert mynet.federal_register == [
        "67 FR 56530, 9/4/02", "67 FR 10890, 3/11/02", "68 FR 38290, 6/27/03",
        "72 FR 4236, 1/30/07"]
    fuyi = by_name["FUYI SUN"]
    assert fuyi.alt_names == ["FRANK SUN"]
    assert fuyi.raw["name_as_published"] == "FUYI SUN A/K/A FRANK SUN"
    assert by_name["PEARL LI"].alt_names == ["NEI-CHIEN CHU"]
    smith = by_name["STEPHEN EDWARD SMITH"]
    assert smith.raw["unmapped_countries"] == ["NM"] and smith.countries == []
    # '9/13/0' is no date: the citation is kept without one.
    assert "66 FR 47630" in by_name["BASMAN ELASHI"].federal_register
    no_expiry = [e for e in dpl_entries if e.end_date is None]
    assert no_expiry and all(e.start_date.year < 1990 for e in no_expiry)
    assert Counter(e.end_date.year for e in dpl_entries if e.end_date)[2056] > 10


def test_dpl_every_citation_is_read_by_listing_dates(dpl_entries):
    cites = [c for e in dpl_entries for c in e.federal_register]
    assert len(cites) > 600
    pattern = re.compile(r"\d{1,3} FR \d{1,6}(, \d{1,2}/\d{1,2}/\d{2,4})?")
    assert all(pattern.fullmatch(c) for c in cites), [c for c in cites if not pattern.fullmatch(c)]
    dated = [e for e in dpl_entries if e.federal_register]
    assert all(listing_date(e).day is not None for e in dated)


@pytest.mark.parametrize(("text", "expected"), [
    ("68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06",
     ["68 FR 38290, 6/27/03", "71 FR 38843, 7/10/06"]),
    ("82 F.R. 16788, 16789 4/6/2017", ["82 FR 16788, 4/6/2017"]),
    ("81.F.R. 22576 4/18/2016", ["81 FR 22576, 4/18/2016"]),
    ("82 F.R. 61745 12/29/2017; 83F.R. 28801 6/21/2018",
     ["82 FR 61745, 12/29/2017", "83 FR 28801, 6/21/2018"]),
    ("80 F.R 57572 9/24/15 ", ["80 FR 57572, 9/24/15"]),
    ("80 F.R.44930 7/28/15", ["80 FR 44930, 7/28/15"]),
    ("82 F.R. 2312 1/9/2017, F.R. 30823 7/3/2017",
     ["82 FR 2312, 1/9/2017", "82 FR 30823, 7/3/2017"]),
    ("46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81",
     ["46 FR 46154, 9/17/81", "46 FR 19290, 3/30/81"]),
    ("66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON", ["66 FR 47630, 9/13/01"]),
    ("72 F.R. 1/30/07", ["72 FR (no page), 1/30/07"]),
    ("82 F.R. 61745, 83 F.R. 28801", ["82 FR 61745", "83 FR 28801"]),
    ("", []),
])
def test_split_fr_citations(text, expected):
    assert split_fr_citations(text) == expected


# ---------------------------------------------------------------------------------------------
# DPL: fixtures and broken input


def test_dpl_fixture_merges_and_decodes_windows_1252():
    entries = list(DplTxtParser().entries(DPL_FIX / "dpl-sample.txt"))
    assert [e.name for e in entries] == [
        "ALICE EXAMPLE", "BOB SAMPLE TRADING, LLC", "CARLOS MODELO", "JÜRGEN MÜLLER GMBH"]
    alice, bob, carlos, jurgen = entries
    assert alice.type is None and alice.countries == ["US"]
    assert bob.type == "Entity" and [a.city for a in bob.addresses] == ["DUBAI", "SHARJAH"]
    assert bob.federal_register == ["84 FR 8000, 3/12/2019", "84 FR 9100, 3/20/2019"]
    assert bob.raw["last_update"] == "2019-03-15"
    assert bob.raw["action"] == ["F.R. NOTICE ADDED", "ADDRESS ADDED"]
    assert bob.raw["lines"] == [3, 4]
    assert carlos.alt_names == ["CARL MODEL"] and carlos.end_date is None
    assert carlos.federal_register == ["75 FR 5000, 5/10/10", "75 FR 6000, 6/1/2010"]
    assert carlos.raw["standard_order"] == "N"
    assert jurgen.addresses[0].city == "MÜNCHEN" and jurgen.type == "Entity"
    meta = DplTxtParser().meta(DPL_FIX / "dpl-sample.txt")
    assert meta.extra == {"rows": 5, "last_update_max": "2019-03-15",
                          "last_update_future": ["3017-08-22"]}


def test_dpl_utf8_with_bom_is_read_as_utf8(tmp_path):
    source = (DPL_FIX / "dpl-sample.txt").read_bytes().decode("cp1252")
    path = tmp_path / "dpl-utf8.txt"
    path.write_bytes(b"\xef\xbb\xbf" + source.encode("utf-8"))
    assert [e.name for e in DplTxtParser().entries(path)][-1] == "JÜRGEN MÜLLER GMBH"
    assert DplTxtParser.sniff(path, path.read_bytes()[:4096])


def test_dpl_truncated_row_names_its_line():
    with pytest.raises(ListFileError) as info:
        list(DplTxtParser().entries(DPL_FIX / "dpl-truncated.txt"))
    assert info.value.line == 3 and "3 fields" in str(info.value)


def test_dpl_row_cut_inside_a_quoted_cell(tmp_path):
    path = tmp_path / "cut.txt"
    text = (DPL_FIX / "dpl-truncated.txt").read_text()
    path.write_text(text.split("\n")[0] + "\n" + text.split("\n")[1][:30], encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        list(DplTxtParser().entries(path))
    assert info.value.line == 2


def test_dpl_bad_date_names_field_and_line():
    with pytest.raises(ListFileError) as info:
        list(DplTxtParser().entries(DPL_FIX / "dpl-bad-date.txt"))
    assert (info.value.field, info.value.line) == ("Effective_Date", 3)
    assert "13/45/2019" in str(info.value)


def test_dpl_missing_column_is_named():
    for read in (DplTxtParser().meta, lambda p: list(DplTxtParser().entries(p))):
        with pytest.raises(ListFileError) as info:
            read(DPL_FIX / "dpl-missing-column.txt")
        assert info.value.field == "Effective_Date" and info.value.line == 1
        assert "Effective_Date" in str(info.value)


def test_dpl_gigabyte_line_is_refused_fast(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write((DPL_FIX / "dpl-sample.txt").read_bytes().split(b"\n")[0] + b"\n")
        handle.truncate(1 << 30)  # sparse: the rest is NUL bytes, no newline
    for read in (DplTxtParser().meta, lambda p: list(DplTxtParser().entries(p))):
        started = time.perf_counter()
        with pytest.raises(ListFileError) as info:
            read(path)
        assert time.perf_counter() - started < 2
        assert info.value.line == 2 and "longer than" in str(info.value)


def test_dpl_sniff():
    head = DPL_TXT.read_bytes()[:65536]
    assert DplTxtParser.sniff(DPL_TXT, head)
    assert not DplTxtParser.sniff(UN_XML, UN_XML.read_bytes()[:65536])
    assert not DplTxtParser.sniff(Path("x.csv"), b"source,name,Effective_Date\n")


def test_raw_records_are_json(un_entries, dpl_entries):
    """The store keeps `raw` as JSON: every value must serialise as it is."""
    for entry in [*un_entries, *dpl_entries]:
        assert json.loads(json.dumps(entry.raw)) == entry.raw
