"""names/legal.py calls rigour's compiled `extract_org_types` directly, with its flags as
integers, so a screen does not import rigour's Python layers (normality, chardet, ICU). It must
answer exactly as rigour's own `extract_org_types` with its `Normalize` and `Cleanup` flags."""

from __future__ import annotations

import subprocess
import sys

from rigour.names.org_types import extract_org_types
from rigour.text.normalize import Cleanup, Normalize

from exportguard.names import legal

NAMES = [
    "beijing kuangshi technology co ltd", "beijing kuangshi keji youxian gongsi",
    "siemens aktiengesellschaft", "gazprom neft public joint stock company",
    "spolka z ograniczona odpowiedzialnoscia", "anonim sirketi aselsan",
    "société anonyme des pétroles", "limited liability company rosneft",
    "huawei technologies co., ltd.", "s.a. de c.v. grupo", "osakeyhtiö nokia oyj",
    "gesellschaft mit beschränkter haftung", "a name with no legal form at all",
]


def test_the_flags_are_rigours():
    assert int(Normalize.CASEFOLD) == legal._CASEFOLD
    assert int(Normalize.CASEFOLD | Normalize.NFKD) == legal._CASEFOLD_NFKD
    assert int(Cleanup.Noop) == legal._NOOP
    assert int(Cleanup.Strong) == legal._STRONG


def test_extract_answers_as_rigours_wrapper():
    extract, folded, strong = legal._rigour()
    found = 0
    for name in NAMES:
        assert extract(name) == extract_org_types(name)
        assert extract(name, normalize_flags=folded, cleanup=strong) == extract_org_types(
            name, normalize_flags=Normalize.CASEFOLD | Normalize.NFKD, cleanup=Cleanup.Strong)
        found += bool(extract(name))
    assert found >= 8


def test_legal_forms_load_no_python_layer_of_rigour():
    probe = ("import sys; from exportguard.names.legal import legal_form_spans; "
             "print(legal_form_spans('beijing kuangshi technology co ltd')); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('rigour', 'normality', 'chardet', 'icu')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    spans, modules = done.stdout.splitlines()
    assert spans == "(('co ltd', 'coltd'),)"
    assert modules == "['rigour', 'rigour._core']"
