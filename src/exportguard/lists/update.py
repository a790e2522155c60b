"""`exportguard update`: download each official list, verify it, and load it as a new snapshot.

Every source is handled on its own: a source that fails (network, HTTP status, timeout, truncated
or oversized download, checksum, implausible entry count, parse error) leaves its snapshot in force
and does not stop the others. A download is written to a temporary file, verified, then parsed and
stored in one transaction (`load_file`), so nothing partial is ever in force.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import yaml

from exportguard.config import data_dir
from exportguard.errors import ExportGuardError, InputError, ListFileError
from exportguard.lists.loader import LoadResult, load_file
from exportguard.model import Snapshot
from exportguard.store import Store

SOURCES_ENV = "EXPORTGUARD_SOURCES"
# Dated sources publish a day's edition a little later (the eCFR is current to within a day or
# two): without --edition, ask for the edition of this many days ago.
LATEST_EDITION_LAG = timedelta(days=2)
_CHUNK = 1 << 16
_SHA256 = re.compile(r"\b[0-9a-fA-F]{64}\b")


class DownloadError(ExportGuardError):
    """A download failed or did not verify; nothing was loaded from it."""


@dataclass(frozen=True, slots=True)
class SourceConfig:
    name: str
    title: str
    format: str
    source: str
    url: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    min_entries: int = 1
    max_bytes: int = 500_000_000
    timeout: float = 60.0
    deadline: float = 1800.0
    sha256: str | None = None
    sha256_url: str | None = None
    enabled: bool = True

    @property
    def dated(self) -> bool:
        """Whether the source serves editions by date (its URL holds `{date}`, as the eCFR's
        point-in-time API does)."""
        return any("{date}" in url for url in [self.url or "", *self.files.values()])

    def urls(self, today: date) -> dict[str, str]:
        """File name -> URL, with `{date}` filled in."""
        if self.files:
            pairs = dict(self.files)
        else:
            assert self.url is not None
            pairs = {_file_name(self.url, self.name): self.url}
        return {name: url.replace("{date}", today.isoformat()) for name, url in pairs.items()}


def _file_name(url: str, fallback: str) -> str:
    tail = httpx.URL(url).path.rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]", "_", tail) or fallback


def source_configs(config_file: Path | None = None) -> dict[str, SourceConfig]:
    """The built-in sources, overridden field by field by the first of: `config_file`,
    $EXPORTGUARD_SOURCES, `sources.yaml` in the data directory."""
    built_in = yaml.safe_load(
        resources.files("exportguard").joinpath("data/sources.yaml").read_text("utf-8")
    )
    defaults: dict[str, Any] = dict(built_in.get("defaults") or {})
    sources: dict[str, dict[str, Any]] = {k: dict(v) for k, v in built_in["sources"].items()}
    override_path = config_file or _env_path() or _home_config()
    if override_path is not None:
        override = _read_override(override_path)
        defaults.update(override.get("defaults") or {})
        for name, fields in (override.get("sources") or {}).items():
            if not isinstance(fields, dict):
                raise InputError("config", f"{override_path}: source '{name}' must be a mapping")
            merged = sources.setdefault(str(name), {})
            if "url" in fields:
                merged.pop("files", None)
            if "files" in fields:
                merged.pop("url", None)
            merged.update(fields)
    return {name: _config(name, {**defaults, **fields}, override_path)
            for name, fields in sources.items()}


def _env_path() -> Path | None:
    value = os.environ.get(SOURCES_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _home_config() -> Path | None:
    path = data_dir() / "sources.yaml"
    return path if path.is_file() else None


def _read_override(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise InputError("config", f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise InputError("config", f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError("config", f"{path} must hold a mapping with 'sources'")
    return data


_KNOWN_FIELDS = {
    "title", "format", "source", "url", "files", "min_entries", "max_bytes", "timeout",
    "deadline", "sha256", "sha256_url", "enabled",
}


def _config(name: str, fields: dict[str, Any], path: Path | None) -> SourceConfig:
    where = f"source '{name}'" + (f" (with {path})" if path else "")
    unknown = sorted(set(fields) - _KNOWN_FIELDS)
    if unknown:
        raise InputError("config", f"{where}: unknown field(s) {', '.join(unknown)}")
    if not fields.get("url") and not fields.get("files"):
        raise InputError("config", f"{where}: needs a url or files")
    for required in ("format", "source"):
        if not fields.get(required):
            raise InputError("config", f"{where}: needs '{required}'")
    urls = [fields["url"]] if fields.get("url") else list((fields.get("files") or {}).values())
    for url in urls + ([fields["sha256_url"]] if fields.get("sha256_url") else []):
        if not str(url).startswith(("http://", "https://")):
            raise InputError("config", f"{where}: '{url}' is not an http(s) URL")
    try:
        return SourceConfig(
            name=name, title=str(fields.get("title", name)), format=str(fields["format"]),
            source=str(fields["source"]), url=fields.get("url"),
            files={str(k): str(v) for k, v in (fields.get("files") or {}).items()},
            min_entries=int(fields.get("min_entries", 1)),
            max_bytes=int(fields.get("max_bytes", 500_000_000)),
            timeout=float(fields.get("timeout", 60)), deadline=float(fields.get("deadline", 1800)),
            sha256=fields.get("sha256"), sha256_url=fields.get("sha256_url"),
            enabled=bool(fields.get("enabled", True)),
        )
    except (TypeError, ValueError) as exc:
        raise InputError("config", f"{where}: {exc}") from None


# --- running an update ---------------------------------------------------------------------------


@dataclass(slots=True)
class SourceOutcome:
    name: str
    status: str  # loaded | unchanged | failed
    message: str = ""
    snapshot: Snapshot | None = None
    previous: Snapshot | None = None
    bytes: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.name,
            "status": self.status,
            "message": self.message,
            "snapshot": self.snapshot.to_dict() if self.snapshot else None,
            "previous_snapshot": self.previous.id if self.previous else None,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
        }


class Progress:
    """What update reports while it works; the CLI draws bars from it. Does nothing here."""

    def download(self, source: str, done: int, total: int | None) -> None:  # pragma: no cover
        pass

    def parse(self, source: str, done: int, total: int | None) -> None:  # pragma: no cover
        pass


def select_sources(configs: dict[str, SourceConfig], names: list[str] | None) -> list[SourceConfig]:
    if not names:
        return [c for c in configs.values() if c.enabled]
    unknown = [n for n in names if n not in configs]
    if unknown:
        raise InputError("source", f"unknown source(s) {', '.join(unknown)}; known: "
                         f"{', '.join(configs)}")
    return [configs[n] for n in dict.fromkeys(names)]


def update(
    store: Store,
    sources: list[SourceConfig],
    *,
    force: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
    edition: date | None = None,
) -> list[SourceOutcome]:
    """Download, verify and load each source; one failing never stops the others. `edition`
    asks dated sources (eCFR) for the text in force on that day, and the snapshot speaks for that
    day; it is an error for a source that has no editions."""
    report = progress or Progress()
    if edition is not None:
        undated = [c.name for c in sources if not c.dated]
        if undated:
            raise InputError("edition", f"source(s) {', '.join(undated)} publish no dated "
                             "editions; only sources whose URL holds {date} do (ecfr-el)")
        if edition > (today or date.today()):
            raise InputError("edition", f"{edition.isoformat()} is in the future")
    outcomes = []
    for config in sources:
        started = time.monotonic()
        previous = _current(store, config.source)
        try:
            day = edition or (today or date.today()) - LATEST_EDITION_LAG
            result, size = _update_one(store, config, force, report, day, edition)
        except ExportGuardError as exc:
            outcomes.append(SourceOutcome(config.name, "failed", str(exc), previous=previous,
                                          seconds=time.monotonic() - started))
            continue
        status = "unchanged" if result.unchanged else "loaded"
        message = (f"identical to snapshot #{result.snapshot.id}" if result.unchanged else
                   f"{result.snapshot.entry_count:,} entries")
        outcomes.append(SourceOutcome(config.name, status, message, result.snapshot, previous,
                                      size, time.monotonic() - started))
    return outcomes


def _current(store: Store, source: str) -> Snapshot | None:
    return {s.source: s for s in store.current_snapshots()}.get(source)


def _update_one(
    store: Store, config: SourceConfig, force: bool, report: Progress, today: date,
    edition: date | None,
) -> tuple[LoadResult, int]:
    work = data_dir() / "downloads"
    work.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{config.name}-", dir=work))
    try:
        urls = config.urls(today)
        retrieved_at = datetime.now(UTC)
        size = 0
        with httpx.Client(follow_redirects=True, headers={"User-Agent": _user_agent()},
                          timeout=httpx.Timeout(config.timeout)) as client:
            for file_name, url in urls.items():
                size += download(client, url, folder / file_name, config,
                                 lambda done, total: report.download(config.name, done, total))
            if config.sha256 or config.sha256_url:
                _verify_checksum(client, config, folder, urls)
        path = folder if config.files else folder / next(iter(urls))
        origin = next(iter(urls.values())) if len(urls) == 1 else ", ".join(urls.values())
        try:
            result = load_file(
                store, path, config.format, force=force, expected_source=config.source,
                min_entries=config.min_entries, origin=origin, retrieved_at=retrieved_at,
                progress=lambda done, total: report.parse(config.name, done, total),
                speaks_for=edition,
            )
        except ListFileError as exc:
            # Name the URL, not the temporary file it was saved to.
            text = str(exc)
            if text.startswith(exc.path):
                text = text[len(exc.path):].lstrip(":, ")
            raise DownloadError(f"{config.name}: {origin}: {text}") from None
        return result, size
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def download(
    client: httpx.Client,
    url: str,
    target: Path,
    config: SourceConfig,
    progress: Callable[[int, int | None], None] | None = None,
) -> int:
    """Stream `url` to `target`, refusing HTTP errors, oversize, stalls and truncation."""
    deadline = time.monotonic() + config.deadline
    done = 0
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise DownloadError(
                    f"{config.name}: {url} answered HTTP {response.status_code} "
                    f"{response.reason_phrase}".rstrip()
                )
            declared = response.headers.get("content-length")
            total = int(declared) if declared and declared.isdigit() else None
            if total is not None and total > config.max_bytes:
                raise DownloadError(f"{config.name}: {url} announces {total:,} bytes, more than "
                                    f"the {config.max_bytes:,} allowed (max_bytes)")
            with target.open("wb") as handle:
                # Decoded bytes are written and counted against max_bytes (a compressed bomb is
                # cut off); the bytes on the wire are compared with Content-Length.
                for chunk in response.iter_bytes(_CHUNK):
                    done += len(chunk)
                    if done > config.max_bytes:
                        raise DownloadError(f"{config.name}: {url} sent more than the "
                                            f"{config.max_bytes:,} bytes allowed (max_bytes)")
                    if time.monotonic() > deadline:
                        raise DownloadError(f"{config.name}: {url} took longer than "
                                            f"{config.deadline:g} s (deadline)")
                    handle.write(chunk)
                    if progress:
                        progress(response.num_bytes_downloaded, total)
            received = response.num_bytes_downloaded
            if total is not None and received != total:
                raise DownloadError(f"{config.name}: {url} was truncated: {received:,} of "
                                    f"{total:,} bytes received")
    except httpx.TimeoutException:
        raise DownloadError(f"{config.name}: {url} timed out (no data for "
                            f"{config.timeout:g} s)") from None
    except httpx.RemoteProtocolError as exc:
        raise DownloadError(f"{config.name}: {url} was truncated or malformed: {exc} ({done:,} "
                            "bytes received)") from None
    except httpx.HTTPError as exc:
        raise DownloadError(f"{config.name}: {url} could not be fetched: {exc}") from None
    if done == 0:
        raise DownloadError(f"{config.name}: {url} sent an empty body")
    return done


def _verify_checksum(
    client: httpx.Client, config: SourceConfig, folder: Path, urls: dict[str, str]
) -> None:
    if len(urls) != 1:
        raise DownloadError(f"{config.name}: a checksum can only be verified for a one-file "
                            "source")
    expected = config.sha256
    if expected is None:
        assert config.sha256_url is not None
        try:
            response = client.get(config.sha256_url)
        except httpx.HTTPError as exc:
            raise DownloadError(f"{config.name}: checksum file {config.sha256_url} could not be "
                                f"fetched: {exc}") from None
        if response.status_code != 200:
            raise DownloadError(f"{config.name}: checksum file {config.sha256_url} answered HTTP "
                                f"{response.status_code}")
        found = _SHA256.search(response.text[:10_000])
        if found is None:
            raise DownloadError(f"{config.name}: {config.sha256_url} holds no SHA-256 checksum")
        expected = found.group(0)
    digest = hashlib.sha256()
    with (folder / next(iter(urls))).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest().lower() != expected.lower():
        raise DownloadError(f"{config.name}: checksum mismatch: the download has SHA-256 "
                            f"{digest.hexdigest()}, expected {expected.lower()}")


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"exportguard/{version('exportguard')}"
    except PackageNotFoundError:  # pragma: no cover
        return "exportguard"
