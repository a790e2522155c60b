"""Ownership: constructed groups on dates before, inside and after the affiliates rule's
suspension; the headquarters seed case; cycles; unknown shares; import errors."""

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportguard.check import Party
from exportguard.cli import app
from exportguard.errors import ListFileError
from exportguard.ownership import ownership_of, ownership_rules, read_ownership
from exportguard.ownership.graph import look_through, upward
from exportguard.screening.loaded import current_screener
from exportguard.store.ownership import OwnershipStore
from tests.checking import decide as run_check

runner = CliRunner()
HEADER = "owner,owned,percent,as_of,source,owner_country,owned_country,owner_hq,owned_hq"
# Listed parties of the built-in starter set (Entity List entries of 84 FR 54002).
MEGVII = "Megvii Technology Limited"
SENSETIME = "Beijing Sensetime Technology Development Co., Ltd."

BEFORE = date(2025, 9, 28)
IN_FORCE = date(2025, 10, 15)
SUSPENDED = date(2026, 3, 1)
AFTER = date(2026, 11, 10)

GROUPS = [
    # company, rows, covered (cascade), look-through share of listed owners
    ("Direct Sixty KK", [(MEGVII, "Direct Sixty KK", "60")], True, 60.0),
    ("Two Thirties KK", [(MEGVII, "Two Thirties KK", "30"), (SENSETIME, "Two Thirties KK", "30")],
     True, 60.0),
    ("Chain Child KK", [(MEGVII, "Chain Parent Ltd", "80"), ("Chain Parent Ltd", "Chain Child KK",
                                                              "70")], True, 56.0),
    ("Forty KK", [(MEGVII, "Forty KK", "40")], False, 40.0),
]


def _import(store, tmp_path, rows, name="own.csv"):
    path = tmp_path / name
    lines = [HEADER] + [f'"{o}","{d}",{p},2020-01-01,constructed test group,,,,'
                        for o, d, p in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read_ownership(path).store(OwnershipStore(store))


@pytest.fixture
def graph(store, tmp_path):
    rows = [row for _, group, _, _ in GROUPS for row in group]
    rows += [
        # a cycle below a listed owner: Loop A <-> Loop B, Megvii 55 % of Loop A
        (MEGVII, "Loop A Ltd", "55"), ("Loop A Ltd", "Loop B Ltd", "60"),
        ("Loop B Ltd", "Loop A Ltd", "10"),
        # a listed owner whose share is unknown
        (MEGVII, "Unknown Share KK", ""), ("Pension Fund", "Unknown Share KK", "30"),
    ]
    _import(store, tmp_path, rows)
    return OwnershipStore(store), current_screener(store)


def _finding(graph, name, day):
    owners, screener = graph
    return ownership_of(owners, screener, name, None, day)


def _status(finding, rule_id):
    return next(o.status for o in finding.outcomes if o.rule.id == rule_id)


@pytest.mark.parametrize(("name", "rows", "covered", "share"), GROUPS)
def test_aggregation_of_constructed_groups(graph, name, rows, covered, share):
    finding = _finding(graph, name, IN_FORCE)
    assert finding.coverage["affiliates-rule"].covered is covered
    total = sum(t["share"] for t in finding.look_through)
    assert total == pytest.approx(share)
    assert len(finding.look_through) == len({o for o, _, _ in rows if o in (MEGVII, SENSETIME)})
    expected = "applies" if covered else "not_met"
    assert _status(finding, "affiliates-rule") == expected


@pytest.mark.parametrize(
    ("day", "status"),
    [(BEFORE, "not_yet"), (date(2025, 9, 29), "applies"), (IN_FORCE, "applies"),
     (date(2025, 11, 9), "applies"),
     (date(2025, 11, 10), "suspended"), (SUSPENDED, "suspended"),
     (date(2026, 11, 9), "suspended"), (AFTER, "applies")],
)
def test_affiliates_rule_dates(graph, day, status):
    finding = _finding(graph, "Direct Sixty KK", day)
    outcome = next(o for o in finding.outcomes if o.rule.id == "affiliates-rule")
    assert outcome.status == status
    if day == AFTER:
        assert "no extension" in outcome.assumption


def test_cycle_is_reported_and_does_not_loop(graph):
    finding = _finding(graph, "Loop B Ltd", IN_FORCE)
    assert finding.cycles and {"Loop A Ltd", "Loop B Ltd"} <= set(finding.cycles[0])
    # Loop A is covered (55 % by Megvii), and holds 60 % of Loop B: covered by the cascade.
    assert finding.coverage["affiliates-rule"].covered
    [through] = finding.look_through
    assert through["share"] == pytest.approx(33.0)  # 55 % x 60 %, the cycle walked once


def test_unknown_share_of_a_listed_owner_is_red_flag_29(graph):
    finding = _finding(graph, "Unknown Share KK", IN_FORCE)
    assert not finding.coverage["affiliates-rule"].covered
    assert _status(finding, "red-flag-29") == "applies"
    assert _status(_finding(graph, "Unknown Share KK", SUSPENDED), "red-flag-29") == "suspended"
    assert _status(_finding(graph, "Unknown Share KK", BEFORE), "red-flag-29") == "not_yet"


def test_cascade_follows_the_guidance_where_multiplying_would_not(store, tmp_path):
    """OFAC's own example: a blocked person owns 50 % of A, A owns 50 % of B: B is blocked,
    although the look-through interest is 25 %."""
    _import(store, tmp_path, [(MEGVII, "Half A Ltd", "50"), ("Half A Ltd", "Half B Ltd", "50")])
    finding = ownership_of(OwnershipStore(store), current_screener(store), "Half B Ltd", None,
                           IN_FORCE)
    assert finding.coverage["affiliates-rule"].covered
    assert finding.look_through[0]["share"] == pytest.approx(25.0)


def test_check_decides_with_the_graph_on_each_date(graph):
    owners, screener = graph

    def decide(day):
        return run_check(screener, destination="JP",
                         parties=[Party("Chain Child KK", country="JP")],
                         item_eccn="EAR99", on=day, ownership=owners)

    inside = decide(IN_FORCE)
    assert inside.decision == "license_required"
    reason = next(r for r in inside.reasons if r.rule_id == "affiliates-rule")
    assert "Chain Parent Ltd 70 %" in reason.summary and "Megvii Technology Limited 80 %" in \
        reason.summary and "90 FR 47201" in reason.citation
    assert decide(BEFORE).decision == "no_license_required"
    suspended = decide(SUSPENDED)
    assert suspended.decision == "no_license_required"
    assert any(r.rule_id == "affiliates-rule" and r.outcome == "info"
               for r in suspended.reasons)
    assert decide(AFTER).decision == "license_required"
    data = inside.to_dict()
    assert data["parties"][0]["ownership"]["coverage"]["affiliates-rule"]["covered"] is True


def test_seed_case_japanese_subsidiary_of_a_hong_kong_group(store, tmp_path):
    """An A100 to a Japan-incorporated, wholly owned subsidiary of a Hong Kong-headquartered
    group: no licence in January 2023, a licence in December 2023 under the headquarters rule,
    the parent found in the graph."""
    path = tmp_path / "group.csv"
    path.write_text(HEADER + "\nHarbour Group Holdings Ltd,Harbour Japan KK,100,2021-04-01,"
                    "constructed test group,HK,JP,HK,\n", encoding="utf-8")
    read_ownership(path).store(OwnershipStore(store))
    screener = current_screener(store)

    def decide(day):
        return run_check(screener, destination="JP",
                         parties=[Party("Harbour Japan KK", country="JP")],
                         item="A100", on=day, ownership=OwnershipStore(store))

    january, december = decide("2023-01-15"), decide("2023-12-15")
    assert january.decision == "no_license_required"
    assert december.decision == "license_required"
    assert [r.rule_id for r in december.reasons if r.outcome == "applies"] == \
        ["ac-2023-headquarters"]
    assert any("ultimate parent Harbour Group Holdings Ltd" in a and "HK" in a
               for a in december.assumptions)


def test_import_refuses_bad_rows(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\nA,B,150,2020-01-01,s,,,,\nA,A,10,2020-01-01,s,,,,\n"
                    "A,B,10,2020-13-01,s,,,,\nA,B,10,2020-01-01,,,,,\nA,B,10,2020-01-01,s,XX,,,\n",
                    encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        read_ownership(path)
    text = str(info.value)
    assert "5 bad row(s), nothing imported" in text
    assert "line 2, column 'percent': 150 is not in (0, 100]" in text
    assert "line 3, column 'owned': a company cannot own itself" in text
    assert "line 4, column 'as_of'" in text and "line 5, column 'source'" in text
    assert "line 6, column 'owner_country'" in text
    missing = tmp_path / "missing.csv"
    missing.write_text("owner,owned\nA,B\n", encoding="utf-8")
    with pytest.raises(ListFileError, match="lacks column"):
        read_ownership(missing)


def test_ftm_ownership_import(store, tmp_path):
    lines = [
        {"id": "c1", "schema": "Company", "properties": {"name": [MEGVII], "country": ["cn"]}},
        {"id": "c2", "schema": "Company", "properties": {"name": ["FtM Sub KK"],
                                                         "jurisdiction": ["jp"]}},
        {"id": "o1", "schema": "Ownership", "properties": {
            "owner": ["c1"], "asset": ["c2"], "percentage": ["75"], "startDate": ["2021-01-01"],
            "sourceUrl": ["https://example.org/filing"]}},
    ]
    path = tmp_path / "own.ftm.json"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    data = read_ownership(path)
    assert data.edges[0][2] == 75.0 and data.edges[0][4] == date(2021, 1, 1)
    data.store(OwnershipStore(store))
    finding = ownership_of(OwnershipStore(store), current_screener(store), "FtM Sub KK", "JP",
                           IN_FORCE)
    assert finding.coverage["affiliates-rule"].covered
    assert finding.graph.edges[0].source == "https://example.org/filing"


def test_holdings_stated_after_the_date_are_not_counted(store, tmp_path):
    path = tmp_path / "late.csv"
    path.write_text(HEADER + f'\n"{MEGVII}",Late KK,90,2025-11-01,later filing,,,,\n',
                    encoding="utf-8")
    read_ownership(path).store(OwnershipStore(store))
    owners = OwnershipStore(store)
    company = owners.find("Late KK")[0]
    early = upward(owners, company.id, date(2025, 10, 1))
    assert early.edges == [] and "stated only from 2025-11-01" in early.notes[0]
    assert look_through(upward(owners, company.id, date(2025, 11, 2)), {}) == []


def test_rules_carry_citations_and_dates():
    rules = {r.id: r for r in ownership_rules()}
    assert rules["affiliates-rule"].effective_from == date(2025, 9, 29)
    [suspension] = rules["affiliates-rule"].suspensions
    assert (suspension.start, suspension.end) == (date(2025, 11, 10), date(2026, 11, 9))
    assert "90 FR 47201" in rules["affiliates-rule"].citation.source
    assert rules["ofac-50-percent"].lists == frozenset({"SDN"})


def test_owners_cli(tmp_path, monkeypatch):
    path = tmp_path / "o.csv"
    path.write_text(HEADER + f'\n"{MEGVII}",Cli Sub KK,60,2020-01-01,test filing,,,,\n'
                    '"Cli Sub KK",Cli Grandchild KK,100,2020-01-01,test filing,,,,\n',
                    encoding="utf-8")
    imported = runner.invoke(app, ["ownership", "import", str(path), "--json"])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout) == {"companies_added": 3, "edges_added": 2}
    result = runner.invoke(app, ["owners", "Cli Sub KK", "--date", "2025-10-01", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["listed_owners"][0]["list"] == "EL"
    assert data["holdings"][0]["owned"] == "Cli Grandchild KK"
    rules = {r["rule_id"]: r["status"] for r in data["rules"]}
    assert rules["affiliates-rule"] == "applies"
    text = " ".join(runner.invoke(app, ["owners", "Cli Grandchild KK", "--date",
                                        "2026-01-01"]).stdout.split())
    assert "EL" in text and "suspended" in text
    unknown = runner.invoke(app, ["owners", "Nobody KK"])
    assert unknown.exit_code == 2 and "not in the ownership graph" in unknown.stderr
    near = runner.invoke(app, ["owners", "Cli Sub K.K."])
    assert near.exit_code == 2 and "did you mean 'Cli Sub KK'" in near.stderr
    assert Path(path).exists()


def test_screen_shows_the_listed_owner_of_an_unlisted_subsidiary(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(HEADER + f'\n"{MEGVII}",Quiet Subsidiary KK,75,2020-01-01,test filing,,,,\n',
                    encoding="utf-8")
    assert runner.invoke(app, ["ownership", "import", str(path)]).exit_code == 0
    result = runner.invoke(app, ["screen", "Quiet Subsidiary KK", "--as-of", "2025-10-01",
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["matches"] == []
    owned = data["ownership"]
    assert owned["look_through"][0]["paths"][0]["via"] == [MEGVII, "Quiet Subsidiary KK"]
    assert owned["look_through"][0]["share"] == 75.0
    assert {r["rule_id"]: r["status"] for r in owned["rules"]}["affiliates-rule"] == "applies"
