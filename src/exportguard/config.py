"""Where exportguard keeps its data, and how to point it elsewhere.

`EXPORTGUARD_DB` (an SQLAlchemy URL) selects the database; otherwise an SQLite file in the user's
data directory (`EXPORTGUARD_HOME` overrides that directory).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    home = os.environ.get("EXPORTGUARD_HOME")
    return Path(home).expanduser() if home else Path(user_data_dir("exportguard", appauthor=False))


def keep(path: Path, data: bytes, *, family: str | None = None) -> None:
    """Write a derived file the package keeps in the data directory (a parse, a table read from
    another package) whole or not at all: into a temporary file of this process, then renamed over
    `path`. `family`, a glob such as "hanja-*.json", names the older versions of the file (other
    digests of the same content) to remove. A failure to write only costs the next run the time
    to derive the file again, so OSError is swallowed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        for old in path.parent.glob(family) if family else ():
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return


def database_url() -> str:
    url = os.environ.get("EXPORTGUARD_DB", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'exportguard.db'}"
