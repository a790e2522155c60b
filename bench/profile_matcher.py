"""Where a screen's time goes: cProfile over the speed bench's queries (the labelled set,
shuffled as bench/speed.py does) against the full reference CSL, top lines by own time.

    .venv/bin/python bench/profile_matcher.py [--queries 2000] [--top 25]
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import load_entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile of Screener.screen.")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--build", action="store_true", help="profile the index build instead")
    args = parser.parse_args(argv)

    from exportguard.lists.starter import with_local_names
    from exportguard.screening import Screener
    from labelled import build_labelled_set

    entries = [with_local_names(copy.deepcopy(e)) for e in load_entries()]
    if args.build:
        profile = cProfile.Profile()
        profile.runcall(Screener.from_entries, entries)
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
        return 0
    screener = Screener.from_entries(entries)
    queries = [p.query for p in build_labelled_set(entries)]
    random.Random(7).shuffle(queries)
    queries = (queries * (1 + args.queries // max(len(queries), 1)))[: args.queries]
    for query in queries[:50]:
        screener.screen(query, limit=10)
    profile = cProfile.Profile()
    profile.enable()
    for query in queries:
        screener.screen(query, limit=10)
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
