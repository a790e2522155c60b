import json
import subprocess
import sys

from typer.testing import CliRunner

from exportguard.cli import app
from tests.conftest import CSL_SAMPLE, CSL_SAMPLE_IDS

runner = CliRunner()


def test_screen_on_the_starter_set_says_so_and_finds_sensetime():
    result = runner.invoke(app, ["screen", "北京市商汤科技开发有限公司", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["snapshot"]["starter_only"] is True
    first = data["matches"][0]
    assert first["list"] == "EL"
    assert first["name"] == "Beijing Sensetime Technology Development Co., Ltd."
    assert first["score"] == 1.0
    assert "Only the built-in starter set is loaded" in result.stderr


def test_screen_table_and_no_match_exit_zero():
    result = runner.invoke(app, ["screen", "Hikvision", "--lists", "EL"])
    assert result.exit_code == 0
    assert "Hangzhou Hikvision" in result.stdout and "exact_alias" in result.stdout
    nothing = runner.invoke(app, ["screen", "Toyota Motor Corporation"])
    assert nothing.exit_code == 0 and "No match" in nothing.stdout


def test_load_then_lists():
    loaded = runner.invoke(app, ["load", str(CSL_SAMPLE), "--json"])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout)["snapshot"]["entry_count"] == 115
    listed = runner.invoke(app, ["lists", "--json"])
    sources = {s["source"]: s["entry_count"] for s in json.loads(listed.stdout)["snapshots"]}
    assert sources["csl"] == 115 and sources["starter"] >= 60


def test_bad_inputs_are_one_line_errors_without_traceback(tmp_path):
    truncated = tmp_path / "cut.csv"
    truncated.write_text(CSL_SAMPLE_IDS.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    cases = [
        ["load", str(truncated)],
        ["load", str(tmp_path / "missing.csv")],
        ["load", str(CSL_SAMPLE), "--format", "xlsx"],
        ["screen", ""],
        ["screen", "x" * 10_000],
        ["screen", "Huawei", "--country", "QQ"],
        ["screen", "Huawei", "--lists", "EL,NOPE"],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert result.stderr.startswith("error:"), (args, result.stderr)
    state = json.loads(runner.invoke(app, ["lists", "--json"]).stdout)["snapshots"]
    assert [s["source"] for s in state] == ["starter"]


def test_error_messages_print_brackets_as_written(tmp_path):
    """Rich markup must not eat a message's brackets (it printed "pip install -e '.'" for
    "pip install -e '.[spark]'")."""
    missing = tmp_path / "book[spark].csv"
    result = runner.invoke(app, ["load", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: no such file\n"


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "exportguard.cli", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "screen" in result.stdout


def test_lists_names_a_snapshot_in_force_that_serves_none_of_its_lists():
    """`lists`: the OFAC SDN file loaded beside the full CSL serves nothing (the CSL's SDN copy
    is larger); its cell said " (of SDN)", now "none (of SDN)"."""
    from exportguard.cli.lists import served_label

    assert served_label([], ["SDN"], True) == "none (of SDN)"
    partial = served_label(["CMIC", "EL"], ["CMIC", "EL", "FCC"], True)
    assert partial == "CMIC, EL (of CMIC, EL, FCC)"
    assert served_label(["EL"], ["EL"], True) == "EL"
    assert served_label([], ["EL"], False) == "(superseded)"


def test_owners_says_when_a_company_owns_nothing_or_has_no_owner():
    """`owners` on the README's example graph: the bottom of a chain owns nothing and the top
    has no owner; each empty branch says so instead of printing a bare heading."""
    from tests.conftest import ROOT

    imported = runner.invoke(app, ["ownership", "import", str(ROOT / "examples/ownership.csv")])
    assert imported.exit_code == 0, imported.output
    leaf = runner.invoke(app, ["owners", "Example Subsidiary KK", "--date", "2025-10-15"])
    assert leaf.exit_code == 0, leaf.output
    assert "Example Holdings Ltd 80 %" in leaf.stdout
    assert "no holding known on the date" in leaf.stdout
    assert "no owner known on the date" not in leaf.stdout
    top = runner.invoke(app, ["owners", "Example Group Holdings", "--date", "2025-10-15"])
    assert top.exit_code == 0, top.output
    assert "Example Japan KK 100 %" in top.stdout
    assert "no owner known on the date" in top.stdout


def test_version_prints_the_installed_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"exportguard {version('exportguard')}"
    assert result.stdout.strip() == "exportguard 0.1.0"  # pyproject.toml's [project] version
