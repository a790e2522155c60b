"""The README's prerequisite line and `.ci/run` name the same system packages, so the second
command works on a fresh machine as the README writes it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_and_ci_install_the_same_packages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"Before these commands, on Debian, as root: `apt-get install -y ([^`]+)`",
                     readme)
    assert line, "README: the 'Before these commands' line is missing"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    packages = re.search(r'^PACKAGES="([^"]+)"$', ci, re.M)
    assert packages, ".ci/run: PACKAGES is missing"
    assert line.group(1).split() == packages.group(1).split()
    assert {"chromium", "default-jre-headless"} <= set(packages.group(1).split())
    # The README's first block is exactly the two commands .ci/run runs.
    block = readme.split("```")[1].splitlines()[1:]
    assert [c for c in block if c.strip()] and len([c for c in block if c.strip()]) == 2
