"""`exportguard screen NAME [options]` runs screen's body without Typer (cli/__init__.py) only
when Typer would pass the very same values, and then prints the same document and exit code."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from exportguard import cli
from exportguard.cli import app, screen_arguments

runner = CliRunner()
PARAMETERS = ("name", "country", "lists", "limit", "min_score", "as_of", "as_json", "no_audit")

TAKEN = [
    ["Megvii"], ["Megvii Technology", "--json"], ["--json", "Megvii"], ["X", "--country", "CN"],
    ["X", "--country=CN"], ["X", "--country", ""], ["北京旷视科技有限公司", "--json"],
    ["X", "--lists", "EL,SDN", "--limit", "5", "--min-score", "0.7", "--as-of", "2024-01-01",
     "--json", "--no-audit"],
    ["--no-audit", "--limit=007", "X", "--min-score", "1"], ["X", "--min-score=0.85"],
    ["X", "--as-of", "2020-13-01"], ["X", "--lists", "NOPE"], ["a b  c", "--limit", "0"],
]
LEFT_TO_TYPER = [
    [], ["--help"], ["X", "--help"], ["X", "--limit", "x"], ["X", "--limit", "-1"], ["X", "Y"],
    ["X", "--json", "--json"], ["X", "--country", "CN", "--country", "US"], ["X", "--country"],
    ["X", "--", "-y"], ["-x"], ["X", "--limit", "1e3"], ["X", "--limit", " 5"], ["X", "--unknown"],
    [""], ["X", "--json=1"], ["X", "--min-score", ".5"], ["X", "--country", "-CN"],
]


def _typer_values(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What Typer passes to screen's body for `screen ARGS`."""
    from exportguard.cli import screening

    seen: list[tuple[object, ...]] = []
    monkeypatch.setattr(screening, "run_screen", lambda *values: seen.append(values))
    result = runner.invoke(app, ["screen", *args])
    assert result.exit_code == 0, result.output
    (values,) = seen
    return dict(zip(PARAMETERS, values, strict=True))


@pytest.mark.parametrize("args", TAKEN)
def test_direct_values_are_typers(args, monkeypatch):
    direct = screen_arguments(args)
    assert direct is not None
    assert direct == _typer_values(args, monkeypatch)
    assert {k: type(v) for k, v in direct.items()} == {
        k: type(v) for k, v in _typer_values(args, monkeypatch).items()}


@pytest.mark.parametrize("args", LEFT_TO_TYPER)
def test_anything_else_is_left_to_typer(args):
    assert screen_arguments(args) is None


def test_the_direct_reading_knows_every_option_of_screen():
    import typer.main

    from exportguard.cli._lazy import LazyGroup

    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    command = root.get_command(root.make_context("exportguard", ["screen"],
                                                 resilient_parsing=True), "screen")
    options = {opt: param.name for param in command.params for opt in
               [*param.opts, *param.secondary_opts] if opt.startswith("-")}
    # No short or negative form either: the direct reading takes exactly these.
    assert options == {**cli.SCREEN_VALUES, **cli.SCREEN_FLAGS}
    defaults = {param.name: param.default for param in command.params
                if param.name not in ("name", "help")}
    assert defaults == cli.SCREEN_DEFAULTS


def _direct(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["exportguard", "screen", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _without_audit(output: str) -> dict[str, object]:
    document = json.loads(output)
    assert document.pop("audit")["recorded"] is True
    return document


def test_direct_and_typer_answer_alike(monkeypatch, capsys):
    import exportguard.cli.screening  # noqa: F401  (the typer command, for the comparison)

    for args in (["北京市商汤科技开发有限公司", "--json"], ["Hikvision", "--lists", "EL", "--json"],
                 ["Toyota Motor Corporation", "--json", "--limit", "3"]):
        code, out, _ = _direct(args, monkeypatch, capsys)
        typer_run = runner.invoke(app, ["screen", *args])
        assert code == 0 and typer_run.exit_code == 0
        assert _without_audit(out) == _without_audit(typer_run.stdout)
    code, out, err = _direct(["Hikvision", "--lists", "EL"], monkeypatch, capsys)
    typer_run = runner.invoke(app, ["screen", "Hikvision", "--lists", "EL"])
    assert code == 0 and "Hangzhou Hikvision" in out and "exact_alias" in out
    assert out.splitlines()[:-1] == typer_run.stdout.splitlines()[:-1]  # the audit line differs
    assert out.splitlines()[-1].startswith("Audit record #")
    # An error a user can act on: one line and exit code 2, as Typer's command gives.
    code, out, err = _direct(["Megvii", "--as-of", "2020-13-01"], monkeypatch, capsys)
    typer_run = runner.invoke(app, ["screen", "Megvii", "--as-of", "2020-13-01"])
    assert (code, out) == (2, "") and typer_run.exit_code == 2
    assert err == typer_run.stderr
    assert "error: as_of: '2020-13-01' is not a real calendar date" in err


def test_request_ids_look_as_uuid4s_did():
    """`cli-` and the first 16 hex digits of a version-4 UUID, without importing uuid."""
    import re
    import uuid

    from exportguard.cli._audit import _uuid4_head

    heads = {_uuid4_head() for _ in range(500)}
    assert len(heads) == 500
    shape = re.compile(r"[0-9a-f]{12}4[0-9a-f]{3}")
    assert all(shape.fullmatch(h) for h in heads)
    assert shape.fullmatch(uuid.uuid4().hex[:16])
    assert {h[13] for h in heads} == set("0123456789abcdef")  # the rest stays random
