"""The schema revision the migration files end at, read without importing Alembic (more than half
a second): a store stamped with it needs no migration. No SQLAlchemy here either."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION_LINE = re.compile(
    r'^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|\'([^\']*)\'|None)\s*$', re.M)


@cache
def stamped_head() -> str | None:
    """The head revision read from the migration files' `revision` / `down_revision` lines, the
    way Alembic reads them, without importing Alembic; None when the files do not form one plain
    chain (a merge, a tuple, an unusual layout): then Alembic decides."""
    revisions: dict[str, str | None] = {}
    for path in sorted(MIGRATIONS.joinpath("versions").glob("[!_]*.py")):
        found: dict[str, str | None] = {}
        for match in _REVISION_LINE.finditer(path.read_text("utf-8")):
            found[match.group(1)] = match.group(2) or match.group(3)
        if "revision" not in found or "down_revision" not in found or not found["revision"]:
            return None
        revisions[found["revision"]] = found["down_revision"]
    heads = set(revisions) - {down for down in revisions.values() if down is not None}
    return heads.pop() if len(heads) == 1 else None
