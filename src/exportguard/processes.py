"""Whether a process named by its pid (in a staging file's name, a batch's record) still runs."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    """True for this process, for a running one, and for one we may not signal (it exists)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
