"""Corrupt, truncated and hostile files are refused with a clear error and never replace the
snapshot in force, whatever the format."""

import pytest

from exportguard.errors import ListFileError
from exportguard.lists.loader import load_file
from tests.conftest import CSL_SAMPLE, REFERENCE

UN_XML = REFERENCE / "un" / "un-consolidated.xml"
DPL = REFERENCE / "bis" / "dpl.txt"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol3;</FIRST_NAME></INDIVIDUAL>
</INDIVIDUALS></CONSOLIDATED_LIST>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sdnList><publshInformation><Publish_Date>01/01/2024</Publish_Date>
<Record_Count>1</Record_Count></publshInformation>
<sdnEntry><uid>1</uid><lastName>&xxe;</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>"""


def _snapshots(store):
    return [(s.id, s.source, s.entry_count) for s in store.snapshots()]


def _truncated_un(tmp_path):
    path = tmp_path / "un.xml"
    path.write_bytes(UN_XML.read_bytes()[:700_000])
    return path


def _truncated_dpl(tmp_path):
    path = tmp_path / "dpl.txt"
    data = DPL.read_bytes()
    path.write_bytes(data[: len(data) // 2 - 7])
    return path


def _huge_line(tmp_path):
    path = tmp_path / "dpl-huge.txt"
    with path.open("wb") as handle:
        handle.write(DPL.read_bytes().split(b"\n", 1)[0] + b"\n\"")
        handle.truncate(1 << 30)  # sparse: a 1 GiB line of NUL bytes, no newline
    return path


def _write(name, text):
    def make(tmp_path):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return make


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_write("laughs.xml", BILLION_LAUGHS), "DTD"),
        (_write("xxe.xml", XXE), "DTD"),
        (_truncated_un, "line"),
        (_truncated_dpl, "line"),
        (_huge_line, "longer than 1,000,000 characters"),
        (_write("garbage.csv", "\x00\x01\x02 not a list\n"), "cannot tell the format"),
        (_write("empty.xml", ""), "empty"),
    ],
)
def test_refused_and_the_good_snapshot_stays(store, tmp_path, make, message):
    good = load_file(store, CSL_SAMPLE).snapshot
    before = _snapshots(store)
    path = make(tmp_path)
    with pytest.raises(ListFileError) as info:
        load_file(store, path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert _snapshots(store) == before
    assert store.current_snapshots()[-1].id == good.id
