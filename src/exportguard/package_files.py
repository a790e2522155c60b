"""The package's own files, found next to this module.

`importlib.resources.files("exportguard")` gives the same files for a package installed as
files, which is how this one is installed (the forms cache and the lexicon read the package's
files by path too), but it imports tempfile, random, shutil and the compression modules first:
a tenth of the imports of a cold `screen`. The modules a screen imports read their data here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
