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


def database_url() -> str:
    url = os.environ.get("EXPORTGUARD_DB", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'exportguard.db'}"
