"""Every `$ exportguard ...` example of README.md runs as written, in README order.

The examples are read from the README's ```console blocks (continuation lines joined, `# ...`
comments dropped as the shell drops them) and run in-process through the Typer app, in one data
directory shared by the module: the built-in starter set, the reference CSL sample and the full
reference CSL (two snapshots of the `csl` source, so `diff` has something to compare), loaded
once: the state a user is in after the README's `load ../shared/reference/...`. (A sample alone
is not enough: it would serve the Entity List without Megvii and change the README's answers.)
Where the README shows the output's first line under a command, the output must contain it.
The files the README names as the user's own (customers.csv, holdings.csv, book.parquet, ...)
are written into the working directory first, small, with the columns the README describes.
Examples that need a network, a server or Spark are skipped with the reason listed in SKIPPED.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from exportguard.cli import app
from tests.conftest import CSL_COMPACT, CSL_SAMPLE, FIXTURES, ROOT

README = ROOT / "README.md"

# (pattern, reason): an example whose words match the pattern (from the start) is skipped.
SKIPPED: tuple[tuple[str, str], ...] = (
    (r"exportguard update(?! --list)", "downloads the official lists: needs the network"),
    (r"exportguard load \.\./shared/reference/csl/csl-2026-07-31\.compact\.json",
     "the module's fixture loads this file once for every example"),
    (r"exportguard load consolidated\.csv",
     "stands for a downloaded full CSL: the module's store already holds the full reference CSL, "
     "and a smaller file is refused by the 10 % shrink check (tests/test_update.py)"),
    (r"exportguard mcp", "starts the MCP server (stdio or HTTP); tests/test_mcp.py drives it"),
    (r"exportguard batch .* --engine spark",
     "starts a Spark JVM; tests/test_batch_spark.py runs the Spark engine"),
    (r"venv-pack ", "packs an environment for a Spark cluster: not an exportguard command"),
    (r"PYSPARK_DRIVER_PYTHON=", "spark-submit on a YARN cluster"),
)


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    argv: list[str]
    expected: str | None  # the README's first output line, without its comment


def readme_examples(text: str) -> list[Example]:
    examples: list[Example] = []
    lines = text.splitlines()
    in_console = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip().startswith("```"):
            in_console = line.strip() == "```console"
        elif in_console and line.startswith("$ "):
            start, command = i + 1, line[2:]
            while command.rstrip().endswith("\\"):
                i += 1
                command = command.rstrip()[:-1] + " " + lines[i].strip()
            following = lines[i + 1] if i + 1 < len(lines) else ""
            expected = None
            if not following.startswith(("$ ", "```")):
                expected = following.split("  #")[0].strip() or None
            examples.append(Example(start, command, shlex.split(command, comments=True), expected))
        i += 1
    return examples


EXAMPLES = readme_examples(README.read_text(encoding="utf-8"))


def _skip_reason(example: Example) -> str | None:
    words = " ".join(example.argv)
    return next((reason for pattern, reason in SKIPPED if re.match(pattern, words)), None)


def _write_user_files(folder: Path) -> None:
    """The files the README's examples name as the user's own; paths in the checkout (the
    portfolio fixture, ../shared/reference) resolve as they do from the checkout."""
    (folder / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    (folder.parent / "shared").symlink_to(ROOT.parent / "shared", target_is_directory=True)
    (folder / "ofac").mkdir()
    for part in (FIXTURES / "ofac" / "cons").iterdir():
        (folder / "ofac" / part.name).write_bytes(part.read_bytes())
    ftm = [
        {"id": "co-parent", "schema": "Company", "properties": {
            "name": ["Example Parent Holdings Ltd"], "jurisdiction": ["cn"]}},
        {"id": "co-sub", "schema": "Company", "properties": {
            "name": ["Example Components GmbH"], "jurisdiction": ["de"]}},
        {"id": "own-1", "schema": "Ownership", "properties": {
            "owner": ["co-parent"], "asset": ["co-sub"], "percentage": ["75"],
            "startDate": ["2021-03-01"]}},
    ]
    (folder / "entities.ftm.json").write_text(
        "".join(json.dumps(entity) + "\n" for entity in ftm), encoding="utf-8")
    (folder / "customers.csv").write_text(
        "id,name,country\nc-1,Megvii Technology,CN\nc-2,Northwind Traders Ltd,GB\n"
        "c-3,Beijing Shangtang Technology Development,CN\n", encoding="utf-8")
    (folder / "holdings.csv").write_text(
        "owner,owned,percent,as_of,source,owner_country,owned_country,owner_hq\n"
        "Megvii Technology,Example Holdings Ltd,60,2020-01-01,test register,CN,HK,CN\n"
        "Example Holdings Ltd,Example Subsidiary KK,80,2020-01-01,test register,HK,JP,HK\n"
        "Example Group Holdings,Example Japan KK,100,2020-01-01,test register,CN,JP,CN\n",
        encoding="utf-8")
    rows = {"ref": ["r-1", "r-2", "r-3"], "legal_name": ["Megvii Technology", "Huawei Technologies",
                                                         "Northwind Traders Ltd"],
            "iso2": ["CN", "CN", "GB"]}
    pq.write_table(pa.table(rows), folder / "book.parquet")
    (folder / "book.jsonl").write_text(
        "".join(json.dumps({"name": n, "country": c}) + "\n"
                for n, c in zip(rows["legal_name"], rows["iso2"], strict=True)), encoding="utf-8")


@pytest.fixture(scope="module")
def readme_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the module: the starter set (#1), then two snapshots of the `csl`
    source (#2 the reference sample, #3 the full reference CSL)."""
    folder = tmp_path_factory.mktemp("readme") / "checkout"
    folder.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPORTGUARD_HOME", str(folder / "home"))
        patch.chdir(folder)
        _write_user_files(folder)
        runner = CliRunner()
        for args in (["lists"], ["load", str(CSL_SAMPLE)], ["load", str(CSL_COMPACT)]):
            result = runner.invoke(app, args)
            assert result.exit_code == 0, (args, result.output)
    return folder


def _contains_json_pairs(expected: str, output: str) -> bool:
    """`{"classification": "notifiable", "filing": {"deadline": "2025-03-31", ...}, ...}`: each
    `"key": "value"` pair shown is somewhere in the printed document."""
    document = json.loads(output)
    found: set[tuple[str, str]] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    found.add((key, value))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    pairs = re.findall(r'"([^"]+)": "([^"]+)"', expected)
    return bool(pairs) and all(pair in found for pair in pairs)


def test_the_readme_has_examples_and_every_skip_is_used() -> None:
    assert len(EXAMPLES) >= 40
    used = {pattern for pattern, _ in SKIPPED for e in EXAMPLES
            if re.match(pattern, " ".join(e.argv))}
    assert used == {pattern for pattern, _ in SKIPPED}, "a SKIPPED entry matches no example"


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"line{e.line}" for e in EXAMPLES])
def test_readme_example_runs_as_written(example: Example, readme_home: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    reason = _skip_reason(example)
    if reason:
        pytest.skip(f"README line {example.line}: {reason}")
    assert example.argv[0] == "exportguard", example.command
    monkeypatch.setenv("EXPORTGUARD_HOME", str(readme_home / "home"))
    monkeypatch.chdir(readme_home)
    result = CliRunner().invoke(app, example.argv[1:])
    where = f"README line {example.line}: {example.command}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert "Traceback" not in result.output, where
    assert result.exit_code == 0, where
    if example.expected is None:
        return
    if example.expected.startswith("{"):
        assert _contains_json_pairs(example.expected, result.stdout), where
    else:
        printed = " ".join(result.stdout.split())
        assert " ".join(example.expected.split()) in printed, where


def test_readme_python_blocks_run_and_print_what_their_comments_say(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The ```python blocks (the Library section) run on the starter set; a `print(...)  # X`
    line must print X."""
    blocks = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)
    assert blocks
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})
        printed = capsys.readouterr().out.splitlines()
        claims = re.findall(r"^print\(.*\)\s+# (\S+)$", block, re.M)
        assert claims, block
        for claim in claims:
            assert claim in printed, (claim, printed)
