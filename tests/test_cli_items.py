"""`exportguard classify`, `items` and `chart` as a user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from exportguard.cli import app

runner = CliRunner()


def test_classify_a_catalog_name_as_json():
    result = runner.invoke(app, ["classify", "NVIDIA H100 80GB SXM5", "--date", "2024-01-01",
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("item", "as_of", "tpp", "pd", "memory_bandwidth_density", "eccn", "paragraph",
                "controlled", "reasons", "missing_facts"):
        assert key in data
    assert (data["eccn"], data["paragraph"], data["controlled"]) == ("3A090.a", "3A090.a.1", True)
    assert data["as_of"] == "2024-01-01" and data["tpp"] == 15832
    first = data["reasons"][0]
    assert {"summary", "citation", "effective_from", "effective_to"} <= set(first)
    assert first["effective_from"] == "2023-11-17"


def test_classify_from_figures_with_a_datasheet_and_the_consumer_flag():
    result = runner.invoke(app, ["classify", "--throughput", "fp8=1177", "--sparse",
                                 "--die-area", "609", "--consumer", "--date", "2024-06-01",
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tpp"] == 4708 and data["controlled"] is False and data["eccn"] is None
    assert "1,177 TFLOPS with sparsity -> 588.5 dense" in data["working"][0]


def test_classify_text_names_the_missing_fact():
    result = runner.invoke(app, ["classify", "--tpp", "4708", "--die-area", "609",
                                 "--date", "2024-06-01"])
    assert result.exit_code == 0
    assert "undecided" in result.stdout and "--datacenter or --consumer" in result.stdout


def test_classify_hbm_from_figures():
    result = runner.invoke(app, ["classify", "--hbm", "--memory-bandwidth", "819",
                                 "--package-area", "121", "--date", "2025-01-01", "--json"])
    assert json.loads(result.stdout)["paragraph"] == "3A090.c"


def test_classify_errors_are_one_line_and_exit_2():
    cases = [
        (["classify", "H1000"], "did you mean"),
        (["classify", "H100", "--date", "2017-05-01"], "before 2018-01-01"),
        (["classify", "H100", "--date", "05/01/2024"], "YYYY-MM-DD"),
        (["classify", "H100", "--tpp", "5000"], "not both"),
        (["classify"], "name a catalogued item"),
        (["classify", "--tpp", "-3"], "tpp: must be"),
        (["classify", "--throughput", "fp8"], "PRECISION=VALUE"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output


def test_items_lists_the_catalog_with_classification_on_a_date():
    result = runner.invoke(app, ["items", "--date", "2024-06-01", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["items"]) >= 40
    by_name = {i["name"]: i for i in data["items"]}
    h20 = next(i for n, i in by_name.items() if "H20" in n and "H200" not in n)
    assert h20["eccn"] is None and h20["tpp"] == 2368
    table = runner.invoke(app, ["items", "--kind", "memory"])
    assert table.exit_code == 0 and "HBM3E" in table.stdout
    assert runner.invoke(app, ["items", "--kind", "gpu"]).exit_code == 2


def test_chart_writes_png_and_svg_with_the_thresholds_of_the_date(tmp_path):
    png = tmp_path / "chips.png"
    result = runner.invoke(app, ["chart", "--date", "2024-06-01", "--out", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "chips.svg"
    assert runner.invoke(app, ["chart", "--date", "2026-02-01", "--out", str(svg)]).exit_code == 0
    text = svg.read_text()
    assert "88 FR 73458" in text and "H100" in text and "review-policy-2026-01-15" in text
    old = tmp_path / "old.svg"
    runner.invoke(app, ["chart", "--date", "2023-01-10", "--out", str(old)])
    assert "87 FR 62186" in old.read_text() and "review-policy" not in old.read_text()
    bad = runner.invoke(app, ["chart", "--out", str(tmp_path / "chips.pdf")])
    assert bad.exit_code == 2 and ".png or .svg" in bad.stderr


def test_check_memo_and_json():
    args = ["check", "--item", "A100", "--party", "Example Japan KK", "--party-country", "JP",
            "--parent", "Example Group Holdings", "--parent-hq", "CN", "--destination", "JP",
            "--date", "2023-12-10"]
    memo = runner.invoke(app, args)
    assert memo.exit_code == 0, memo.output
    # 744.23(d) as of 2023-11-17: Japan is not Macau/D:5, so "all other applications" are
    # reviewed case by case (audit r1)
    assert memo.stdout.startswith("LICENCE REQUIRED, review policy case by case")
    assert "ac-2023-headquarters" in memo.stdout and "88 FR 73458" in memo.stdout
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert (data["decision"], data["review_policy"]) == ("license_required", "case_by_case")
    assert data["item"]["paragraph"] == "3A090.a.1"
    earlier = json.loads(runner.invoke(app, [*args[:-1], "2023-01-10", "--json"]).stdout)
    assert earlier["decision"] == "no_license_required"


def test_check_errors_exit_2():
    for args, message in [
        (["check", "--item", "A100", "--party", "X", "--destination", "XX"], "destination"),
        (["check", "--party", "X", "--destination", "CN"], "item"),
        (["check", "--item-eccn", "EAR99", "--party", "X", "--destination", "CN",
          "--date", "2021-13-01"], "date"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
