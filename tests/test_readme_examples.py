"""Every `$ exportguard ...` example of README.md runs as written, in README order.

The examples are read from the README's ```console blocks (continuation lines joined, `# ...`
comments dropped as the shell drops them) and run in-process through the Typer app, in one data
directory shared by the module: the built-in starter set, the reference CSL sample and the full
reference CSL (two snapshots of the `csl` source, so `diff` has something to compare), loaded
once: the state a user is in after the README's `load ../shared/reference/...`. (A sample alone
is not enough: it would serve the Entity List without Megvii and change the README's answers.)
Where the README shows the output's first line under a command, the output must contain it.
The input files the examples name are the ones shipped in `examples/` (and `tests/fixtures`,
`../shared/reference`): the working directory is a folder beside which the checkout's `examples`,
`tests` and `../shared` are linked, so a path resolves as it does for a user in the checkout and
the files the examples write stay out of it. Every file path an example names must exist in the
checkout or be written by an earlier example. Examples that need a network, a server or Spark
are skipped with the reason listed in SKIPPED. The `exportguard` lines of the ```bash blocks
(keys, serve) run too, with the server's `uvicorn.run` replaced, so they parse as written.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import uvicorn
from typer.testing import CliRunner

from exportguard.cli import app
from tests.conftest import CSL_COMPACT, CSL_SAMPLE, ROOT

README = ROOT / "README.md"
EXAMPLES_DIR = ROOT / "examples"

# The rows of examples/book.parquet (examples/README.md says how to write it again from these).
BOOK_ROWS = [
    {"ref": "r-1", "legal_name": "Megvii Technology", "iso2": "CN"},
    {"ref": "r-2", "legal_name": "Huawei Technologies Co., Ltd.", "iso2": "CN"},
    {"ref": "r-3", "legal_name": "Gulf Gate Spedition GmbH", "iso2": "AT"},
    {"ref": "r-4", "legal_name": "Dahua Technology", "iso2": "CN"},
    {"ref": "r-5", "legal_name": "Northwind Traders Ltd", "iso2": "GB"},
    {"ref": "r-6", "legal_name": "Fabrikam Semiconductor Inc", "iso2": "US"},
]

# (pattern, reason): an example whose words match the pattern (from the start) is skipped.
SKIPPED: tuple[tuple[str, str], ...] = (
    (r"exportguard update(?! --list)", "downloads the official lists: needs the network"),
    (r"curl ", "downloads the CSL: needs the network"),
    (r"exportguard load \.\./shared/reference/csl/csl-sample\.csv",
     "the module's fixture loads it once, before the full CSL (loaded again after the full CSL, "
     "it is refused by the 10 % shrink check, as it would be for a user)"),
    (r"exportguard load consolidated\.csv",
     "loads the CSL the curl line before it downloads: needs the network"),
    (r"exportguard mcp", "starts the MCP server (stdio or HTTP); tests/test_mcp.py drives it"),
    (r"exportguard batch .* --engine spark",
     "starts a Spark JVM; tests/test_batch_spark.py runs the Spark engine"),
    (r"venv-pack ", "packs an environment for a Spark cluster: not an exportguard command"),
    (r"PYSPARK_DRIVER_PYTHON=", "spark-submit to a Spark cluster (YARN or standalone)"),
    (r"export SPARK_", "sets the shell up for a Spark standalone cluster"),
    (r"\$SPARK_HOME/bin/spark-class",
     "starts a Spark standalone master or worker (long-running); tests/test_batch_cluster.py "
     "starts them"),
)


# What the README's comments say these examples find: the output must contain the text.
CLAIMS: dict[tuple[str, ...], str] = {
    ("screen", "西北工業大學"): "Why Northwestern Polytechnical University scored",
    ("screen", "中电科十四所"):
        "Why China Electronics Technology Group Corporation 14th Research Institute (CETC 14)",
    ("screen", "Банк Россия"): "Why BANK ROSSIYA scored",
    ("screen", "NEPTUNE STAR (ex-ARNICA)"): "Why ARNICA scored",
    ("screen", "UVICOM GmbH, Germany"): "No match at or above 0.85",
    ("classify", "H800", "--date", "2023-06-01"): "on 2023-06-01: not in 3A090/4A090",
    ("classify", "H800", "--date", "2023-11-17"): "on 2023-11-17: 3A090.a (paragraph 3A090.a.1)",
    ("classify", "RTX 4090D", "--date", "2024-06-01"): "on 2024-06-01: not in 3A090/4A090",
    ("classify", "--tpp", "4708", "--die-area", "609"): "undecided",
    ("owners", "Example Subsidiary KK", "--date", "2025-10-15"):
        "BIS affiliates rule (50 % ownership by Entity List or MEU List parties): applies",
}


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
        line = lines[i].lstrip()  # a block inside a list item is indented
        if line.startswith("```"):
            in_console = line == "```console"
        elif in_console and line.startswith("$ "):
            start, command = i + 1, line[2:]
            while command.rstrip().endswith("\\"):
                i += 1
                command = command.rstrip()[:-1] + " " + lines[i].strip()
            following = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
            expected = None
            if not following.startswith(("$ ", "```", "#")):  # "#": a comment continued
                expected = following.split("  #")[0].strip() or None
            examples.append(Example(start, command, shlex.split(command, comments=True), expected))
        i += 1
    return examples


EXAMPLES = readme_examples(README.read_text(encoding="utf-8"))


def _skip_reason(example: Example) -> str | None:
    words = " ".join(example.argv)
    return next((reason for pattern, reason in SKIPPED if re.match(pattern, words)), None)


def _link_checkout(folder: Path) -> None:
    """The checkout's example inputs, as a user in the checkout sees them; `../shared/reference`
    resolves beside it."""
    for name in ("examples", "tests"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    (folder.parent / "shared").symlink_to(ROOT.parent / "shared", target_is_directory=True)


@pytest.fixture(scope="module")
def readme_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the module: the starter set (#1), then two snapshots of the `csl`
    source (#2 the reference sample, #3 the full reference CSL)."""
    folder = tmp_path_factory.mktemp("readme") / "checkout"
    folder.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPORTGUARD_HOME", str(folder / "home"))
        patch.chdir(folder)
        _link_checkout(folder)
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


def test_the_readme_has_examples_and_every_skip_and_claim_is_used() -> None:
    assert len(EXAMPLES) >= 40
    assert set(CLAIMS) <= {tuple(e.argv[1:]) for e in EXAMPLES}, "a CLAIMS entry is no example"
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
    claim = CLAIMS.get(tuple(example.argv[1:]))
    if claim is not None:
        assert claim in " ".join(result.stdout.split()), where
    if example.expected is None:
        return
    if example.expected.startswith("{"):
        assert _contains_json_pairs(example.expected, result.stdout), where
    else:
        printed = " ".join(result.stdout.split())
        assert " ".join(example.expected.split()) in printed, where


def test_readme_compare_order_scores_are_what_compare_prints(
        readme_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Comparing section's prose: `compare A B` scores X, "while the other order scores Y",
    on the lists the examples loaded (two decimals, as the text writes them)."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    found = re.search(r'`compare "([^"]+)" "([^"]+)"` scores (\d\.\d\d), '
                      r"while the other order scores (\d\.\d\d)", text)
    assert found, "the README no longer states the two orders' scores"
    a, b, forward, backward = found.groups()
    monkeypatch.setenv("EXPORTGUARD_HOME", str(readme_home / "home"))
    monkeypatch.chdir(readme_home)
    for first, second, stated in ((a, b, forward), (b, a, backward)):
        result = CliRunner().invoke(app, ["compare", first, second, "--json"])
        assert result.exit_code == 0, result.output
        assert f"{json.loads(result.stdout)['score']:.2f}" == stated, (first, second)


def test_readme_screen_json_keys_are_the_printed_ones(readme_home: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The Screening section's sketch of `screen --json` names every key the document has (top
    level, snapshot, match, explanation) and no other."""
    text = README.read_text(encoding="utf-8")
    sketch = re.search(r"`--json` prints one object:\n`(\{.*?\})`;", text, re.S)
    assert sketch, "the README no longer sketches screen --json"
    named = set(re.findall(r'"([a-z_]+)"', sketch.group(1)))
    monkeypatch.setenv("EXPORTGUARD_HOME", str(readme_home / "home"))
    monkeypatch.chdir(readme_home)
    result = CliRunner().invoke(app, ["screen", "海康威视", "--json", "--no-audit"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    match = document["matches"][0]
    printed = (set(document) | set(document["snapshot"]) | set(match)
               | set(match["explanation"]))
    assert named == printed, (sorted(named - printed), sorted(printed - named))


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


_FILE_SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson", ".json", ".svg", ".xml", ".txt",
                  ".yaml", ".html", ".gz")


def _named_paths(argv: list[str]) -> tuple[list[str], list[str]]:
    """The file paths an example reads and the ones it writes (`--out`, `-o`, `curl -O URL`).
    Absolute paths are a cluster's (spark-submit), not the checkout's; `X#alias` is Spark's
    archive syntax for X."""
    reads: list[str] = []
    writes: list[str] = []
    for position, word in enumerate(argv):
        previous = argv[position - 1] if position else ""
        if argv[0] == "curl" and "://" in word:
            writes.append(word.rsplit("/", 1)[-1])
            continue
        path = word.split("#", 1)[0]
        if ("$" in path or "=" in path or "://" in path or path.startswith("/")
                or not (path.endswith("/") or path.lower().endswith(_FILE_SUFFIXES))):
            continue
        (writes if previous in ("--out", "-o") else reads).append(path)
    return reads, writes


def test_every_file_an_example_names_is_shipped_or_written_before() -> None:
    """A user copying the examples in order never meets a file they do not have."""
    written: set[str] = set()
    missing = []
    for example in EXAMPLES:
        reads, writes = _named_paths(example.argv)
        for path in reads:
            if path not in written and not (ROOT / path).exists():
                missing.append(f"README line {example.line}: {path}")
        written.update(writes)
    assert not missing, missing
    assert {"examples/customers.csv", "examples/book.parquet", "screened.csv"} <= {
        p for e in EXAMPLES for p in (_named_paths(e.argv)[0] + _named_paths(e.argv)[1])}


def test_every_shipped_example_file_is_used_and_described() -> None:
    described = (EXAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    named = {p for e in EXAMPLES for p in _named_paths(e.argv)[0]}
    for path in sorted(EXAMPLES_DIR.iterdir()):
        if path.name == "README.md":
            continue
        assert f"`{path.name}`" in described, f"examples/README.md does not describe {path.name}"
        assert f"examples/{path.name}" in named, f"no README example uses examples/{path.name}"


def test_the_shipped_parquet_book_holds_the_pinned_rows() -> None:
    assert pq.read_table(EXAMPLES_DIR / "book.parquet").to_pylist() == BOOK_ROWS


def _bash_block_commands(text: str) -> list[tuple[int, list[str]]]:
    """The `exportguard ...` commands inside the ```bash blocks (continuation lines joined), cut
    at a pipe, `&`, `)` or a comment: `KEY=$(exportguard keys create ... | tail -n 1)`."""
    commands = []
    lines = text.splitlines()
    in_bash = False
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("```"):
            in_bash = line == "```bash"
        elif in_bash:
            start = i + 1
            while line.endswith("\\"):
                i += 1
                line = line[:-1] + " " + lines[i].strip()
            for found in re.finditer(r"(?:^|[\s(/])exportguard (.*?)(?=\s*(?:\||\)|&|$))", line):
                commands.append((start, shlex.split(found.group(1), comments=True)))
        i += 1
    return commands


def test_readme_bash_block_commands_parse_and_run(readme_home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`keys create` and `serve` as the README writes them (no `[--workers 2]` placeholders):
    `serve` runs up to starting the server, which is replaced by a recorder."""
    served: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: served.append(kwargs))
    monkeypatch.setenv("EXPORTGUARD_HOME", str(readme_home / "home"))
    monkeypatch.chdir(readme_home)
    commands = _bash_block_commands(README.read_text(encoding="utf-8"))
    assert {argv[0] for _, argv in commands} >= {"keys", "serve", "screen"}
    for line, argv in commands:
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 0, (line, argv, result.output)
    assert served and served[0]["port"] == 8000
