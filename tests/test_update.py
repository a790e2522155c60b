"""`update` against a local HTTP server serving the reference files (no network)."""

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.lists.update import (
    DownloadError,
    SourceConfig,
    download,
    select_sources,
    source_configs,
    update,
)
from tests.conftest import CSL_SAMPLE, CSL_SAMPLE_IDS, REFERENCE

runner = CliRunner()


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Path]] = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/missing":
            return self._status(404)
        if path == "/broken":
            return self._status(500)
        if path == "/slow":
            time.sleep(2)
            return self._send(b"too late")
        if path == "/huge":
            self.send_response(200)
            self.send_header("Content-Length", str(10**10))
            self.end_headers()
            return None
        if path.startswith("/truncated/"):
            body = self.routes[path.removeprefix("/truncated")].read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        if path == "/wrong.sha256":
            return self._send(b"0" * 64)
        if path.endswith(".sha256"):
            body = self.routes[path.removesuffix(".sha256")].read_bytes()
            return self._send(f"{hashlib.sha256(body).hexdigest()}  file\n".encode())
        if path not in self.routes:
            return self._status(404)
        return self._send(self.routes[path].read_bytes())

    def _status(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    _Handler.routes = {
        "/csl.csv": CSL_SAMPLE,
        "/csl-small.csv": CSL_SAMPLE_IDS,
        "/dpl.txt": REFERENCE / "bis" / "dpl.txt",
        "/un.xml": REFERENCE / "un" / "un-consolidated.xml",
        "/sdn/sdn.csv": REFERENCE / "ofac" / "sdn.csv",
        "/sdn/alt.csv": REFERENCE / "ofac" / "alt.csv",
        "/sdn/add.csv": REFERENCE / "ofac" / "add.csv",
        "/sdn/sdn_comments.csv": REFERENCE / "ofac" / "sdn_comments.csv",
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _csl(base, path="/csl.csv", **fields):
    return SourceConfig(name="csl", title="CSL", format="csl-csv", source="csl",
                        url=base + path, timeout=fields.pop("timeout", 5), **fields)


def test_update_loads_then_finds_nothing_new(store, server):
    [first] = update(store, [_csl(server)])
    assert first.status == "loaded", first.message
    assert first.snapshot.entry_count == 115
    assert first.snapshot.origin == server + "/csl.csv"
    assert first.snapshot.retrieved_at is not None
    assert first.bytes == CSL_SAMPLE.stat().st_size
    [again] = update(store, [_csl(server)])
    assert again.status == "unchanged" and again.snapshot.id == first.snapshot.id


@pytest.mark.parametrize(
    ("path", "fields", "message"),
    [
        ("/missing", {}, "HTTP 404"),
        ("/broken", {}, "HTTP 500"),
        ("/slow", {"timeout": 0.3}, "timed out"),
        ("/huge", {}, "more than the"),
        ("/truncated/csl.csv", {}, "truncated"),
        ("/csl.csv", {"sha256_url": "/wrong.sha256"}, "checksum mismatch"),
        ("/csl.csv", {"min_entries": 1000}, "implausible"),
        ("/dpl.txt", {}, "header lacks CSL column"),
    ],
)
def test_a_bad_download_fails_alone_and_keeps_the_snapshot_in_force(
    store, server, path, fields, message
):
    [good] = update(store, [_csl(server, "/csl-small.csv")])
    if "sha256_url" in fields:
        fields["sha256_url"] = server + fields["sha256_url"]
    [outcome] = update(store, [_csl(server, path, **fields)], force=True)
    assert outcome.status == "failed"
    assert message in outcome.message
    assert outcome.previous.id == good.snapshot.id
    assert [s.id for s in store.snapshots("csl")] == [good.snapshot.id]
    # Nothing is left behind in the download folder.
    downloads = Path(store.url.split("///")[1]).parent
    assert not any(p.is_file() for p in (downloads / "home" / "downloads").rglob("*")) \
        if (downloads / "home").exists() else True


def test_partial_failure_loads_the_others(store, server):
    dpl = SourceConfig(name="dpl", title="DPL", format="dpl-txt", source="dpl",
                       url=server + "/dpl.txt", timeout=5)
    outcomes = update(store, [_csl(server, "/broken"), dpl])
    assert [o.status for o in outcomes] == ["failed", "loaded"], outcomes[1].message
    assert {s.source for s in store.current_snapshots()} == {"dpl"}


def test_published_checksum_is_verified(store, server):
    [outcome] = update(store, [_csl(server, sha256_url=server + "/csl.csv.sha256")])
    assert outcome.status == "loaded"


def test_drop_of_more_than_ten_percent_needs_force(store, server):
    update(store, [_csl(server)])
    [refused] = update(store, [_csl(server, "/csl-small.csv")])
    assert refused.status == "failed" and "fewer than the 115" in refused.message
    [forced] = update(store, [_csl(server, "/csl-small.csv")], force=True)
    assert forced.status == "loaded" and forced.snapshot.entry_count == 13


def test_multi_file_source_downloads_every_file(store, server):
    files = {name: f"{server}/sdn/{name}"
             for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")}
    config = SourceConfig(name="ofac-sdn", title="SDN", format="ofac-csv", source="ofac-sdn",
                          files=files, timeout=10, min_entries=5000)
    [outcome] = update(store, [config])
    assert outcome.status == "loaded", outcome.message
    assert outcome.snapshot.entry_count == 8976
    assert outcome.bytes == sum((REFERENCE / "ofac" / n).stat().st_size for n in files)


def test_download_respects_max_bytes_while_streaming(tmp_path, server):
    config = _csl(server, max_bytes=1000)
    with httpx.Client() as client, pytest.raises(DownloadError, match="max_bytes"):
        download(client, server + "/csl.csv", tmp_path / "x", config)


def test_config_override_file_and_errors(tmp_path, monkeypatch):
    override = tmp_path / "sources.yaml"
    override.write_text(yaml.safe_dump({"sources": {
        "csl": {"url": "http://127.0.0.1:9/x.csv"},
        "fcc": {"enabled": False},
    }}))
    configs = source_configs(override)
    assert configs["csl"].url == "http://127.0.0.1:9/x.csv"
    assert configs["csl"].format == "csl-csv"  # other fields kept
    assert "fcc" not in [c.name for c in select_sources(configs, None)]
    assert "opensanctions" not in [c.name for c in select_sources(configs, None)]
    monkeypatch.setenv("EXPORTGUARD_SOURCES", str(override))
    assert source_configs()["csl"].url == "http://127.0.0.1:9/x.csv"
    with pytest.raises(InputError, match="unknown source"):
        select_sources(configs, ["nope"])
    override.write_text(yaml.safe_dump({"sources": {"csl": {"url": "ftp://x"}}}))
    with pytest.raises(InputError, match="not an http"):
        source_configs(override)
    override.write_text(yaml.safe_dump({"sources": {"csl": {"urll": "http://x"}}}))
    with pytest.raises(InputError, match="unknown field"):
        source_configs(override)
    override.write_text("sources: [")
    with pytest.raises(InputError, match="not valid YAML"):
        source_configs(override)


def test_every_built_in_source_has_a_parser():
    from exportguard.lists.detect import PARSERS

    for config in source_configs().values():
        assert config.format in PARSERS, config.name
        assert all(url.startswith("https://") for url in config.urls(
            __import__("datetime").date(2026, 11, 21)).values())


def test_update_cli_reports_each_source_and_exits_1_on_failure(tmp_path, server, monkeypatch):
    config = tmp_path / "sources.yaml"
    config.write_text(yaml.safe_dump({"sources": {
        "csl": {"url": server + "/csl.csv", "timeout": 5, "min_entries": 100},
        "dpl": {"url": server + "/missing", "timeout": 5},
    }}))
    result = runner.invoke(app, ["update", "--config", str(config), "-s", "csl", "-s", "dpl",
                                 "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    statuses = {s["source"]: s["status"] for s in data["sources"]}
    assert statuses == {"csl": "loaded", "dpl": "failed"}
    listed = json.loads(runner.invoke(app, ["lists", "--json"]).stdout)
    assert {s["source"] for s in listed["snapshots"]} >= {"csl", "starter"}
    unknown = runner.invoke(app, ["update", "--config", str(config), "-s", "bogus"])
    assert unknown.exit_code == 2 and "unknown source" in unknown.stderr


ECFR = Path(__file__).resolve().parent / "fixtures" / "ecfr" / "part744-supp4.xml"


def test_past_editions_fill_in_history(store, server, tmp_path):
    """The eCFR serves the Entity List as codified on any day: loading past editions gives
    snapshots that speak for those days, and --as-of then uses them, not a reconstruction."""
    import re
    from datetime import date

    from exportguard.screening.loaded import screener_for

    text = ECFR.read_text(encoding="utf-8")
    older = tmp_path / "older.xml"
    older.write_text(re.sub(r"<TR>\s*<TD[^>]*/>\s*<TD[^>]*>Dahua Technology.*?</TR>", "", text,
                            flags=re.S), encoding="utf-8")
    _Handler.routes["/ecfr/2024-06-01.xml"] = ECFR
    _Handler.routes["/ecfr/2023-06-01.xml"] = older
    config = SourceConfig(name="ecfr-el", title="eCFR", format="ecfr-el", source="ecfr-el",
                          url=server + "/ecfr/{date}.xml", timeout=5)
    [new] = update(store, [config], edition=date(2024, 6, 1), today=date(2026, 11, 21))
    [old] = update(store, [config], edition=date(2023, 6, 1), today=date(2026, 11, 21))
    assert new.status == old.status == "loaded", (new.message, old.message)
    assert old.snapshot.entry_count == new.snapshot.entry_count - 1
    assert (old.snapshot.edition, new.snapshot.edition) == (date(2023, 6, 1), date(2024, 6, 1))
    # The later edition stays in force although the earlier one was loaded after it.
    assert [s.id for s in store.current_snapshots()] == [new.snapshot.id]

    def dahua(day):
        screener = screener_for(store, day, cache=False)
        in_force = {f.snapshot.source: f for f in screener.in_force}["ecfr-el"]
        found = screener.screen("Dahua Technology", lists=frozenset({"EL"})).matches
        return in_force, any(m.entry.name.startswith("Dahua") for m in found)

    in_force, found = dahua(date(2023, 7, 1))
    assert in_force.snapshot.id == old.snapshot.id and not in_force.reconstructed
    assert not found  # not in the 2023 edition
    in_force, found = dahua(date(2024, 7, 1))
    assert in_force.snapshot.id == new.snapshot.id and found
    with pytest.raises(InputError, match="publish no dated editions"):
        update(store, [_csl(server)], edition=date(2024, 1, 1))
    with pytest.raises(InputError, match="in the future"):
        update(store, [config], edition=date(2027, 1, 1), today=date(2026, 11, 21))
