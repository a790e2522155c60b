"""exportguard's Screener side by side with two other matchers on the same labelled pairs.

(a) exportguard: Screener.from_entries(entries).screen(query, limit=5, min_score=0.0).
(b) RapidFuzz baseline: rapidfuzz.process.extract(query, all names and aliases, scorer=WRatio,
    processor=rapidfuzz.utils.default_process, limit=5), each hit mapped back to its entry,
    score / 100.
(c) nomenklatura (the matcher behind OpenSanctions' yente), algorithm logic-v2 by default
    (--nk-algorithm logic-v1 | name-based | ...). Every CSL entry becomes a followthemoney entity
    (Company for 'Entity', Person for 'Individual', Vessel, Airplane; untyped entries are
    Organization when the name looks like one, else LegalEntity) with `name` plus `alias`
    properties; the query is a LegalEntity with one `name`. nomenklatura has no candidate index of
    its own outside yente, so its candidates come from a BLOCKING STEP: the RapidFuzz WRatio top 50
    names (deduplicated to entries); nomenklatura then scores the query against each and the top 5
    by its score are kept. Its recall is therefore capped by that blocking.

Each matcher is judged as in bench/quality.py (top 5, same-key or same-normalised-name hit), at
the threshold that maximises its own F1 (0.30..0.99 in 0.01 steps), and at exportguard's
DEFAULT_THRESHOLD. Latency is per query, in-process, single-threaded.

    .venv/bin/python bench/compare.py [--sample 400] [--nk-algorithm logic-v2] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import import_screener, load_entries, matcher_fingerprint, names_of, percentile
from labelled import LabelledPair, build_labelled_set, is_organisation
from quality import (
    TOP_K,
    Candidate,
    Outcome,
    _table,
    attach_expected,
    metrics_at,
    per_kind_recall,
    recommend,
    run_screener,
)

BLOCK_K = 50


def stratified_sample(pairs: list[LabelledPair], n: int, seed: int = 11) -> list[LabelledPair]:
    """n pairs, each variant kind (and the negatives) kept in proportion; all of them if n <= 0."""
    if n <= 0 or n >= len(pairs):
        return list(pairs)
    rng = random.Random(seed)
    by_kind: dict[str, list[LabelledPair]] = defaultdict(list)
    for p in pairs:
        by_kind[p.variant_kind].append(p)
    out: list[LabelledPair] = []
    for kind in sorted(by_kind):
        group = by_kind[kind]
        k = max(1, round(n * len(group) / len(pairs)))
        out.extend(rng.sample(group, min(k, len(group))))
    return out


# --------------------------------------------------------------------------- RapidFuzz baseline


class RapidFuzzBaseline:
    def __init__(self, entries: list) -> None:
        self.entries = entries
        self.choices: list[str] = []
        self.owner: list[int] = []
        for i, e in enumerate(entries):
            for name in names_of(e):
                self.choices.append(name)
                self.owner.append(i)
        from rapidfuzz import fuzz, process, utils

        self._extract = process.extract
        self._scorer = fuzz.WRatio
        self._processor = utils.default_process
        # preprocess the choices once (what process.extract would redo on every call)
        self._processed = [self._processor(c) for c in self.choices]

    def raw(self, query: str, limit: int) -> list[tuple[int, float]]:
        """(choice index, score 0..100), best first."""
        hits = self._extract(
            self._processor(query),
            self._processed,
            scorer=self._scorer,
            processor=None,
            limit=limit,
        )
        return [(idx, score) for _, score, idx in hits]

    def screen(self, query: str) -> list[Candidate]:
        out = []
        for idx, score in self.raw(query, TOP_K):
            e = self.entries[self.owner[idx]]
            out.append(Candidate(score / 100.0, e.key, e.name, self.choices[idx]))
        return out


def run_rapidfuzz(rf: RapidFuzzBaseline, pairs: list[LabelledPair], entries: list) -> list[Outcome]:
    outcomes = []
    for p in pairs:
        t = time.perf_counter()
        cands = rf.screen(p.query)
        outcomes.append(Outcome(p, cands, time.perf_counter() - t))
    attach_expected(outcomes, entries)
    return outcomes


# --------------------------------------------------------------------------- nomenklatura


class NomenklaturaMatcher:
    def __init__(self, entries: list, rf: RapidFuzzBaseline, algorithm: str) -> None:
        from followthemoney import model
        from nomenklatura.matching import ScoringConfig, get_algorithm

        algo = get_algorithm(algorithm)
        if algo is None:
            raise SystemExit(f"nomenklatura has no algorithm {algorithm!r}")
        self.algo = algo
        self.config = ScoringConfig.defaults()
        self.model = model
        self.entries = entries
        self.rf = rf
        self._cache: dict[int, object] = {}
        self._n = 0
        self.block_seconds: list[float] = []
        self.score_seconds: list[float] = []

    def _schema(self, e) -> str:
        t = (e.type or "").casefold()
        if t == "entity":
            return "Company"
        if t == "individual":
            return "Person"
        if t == "vessel":
            return "Vessel"
        if t == "aircraft":
            return "Airplane"
        return "Organization" if is_organisation(e) else "LegalEntity"

    def entity(self, i: int):
        ent = self._cache.get(i)
        if ent is None:
            e = self.entries[i]
            ent = self.model.make_entity(self._schema(e))
            ent.id = f"csl-{i}"
            ent.add("name", e.name, quiet=True)
            for alias in e.alt_names:
                ent.add("alias", alias, quiet=True)
            for c in e.countries:
                ent.add("country", c.lower(), quiet=True)
            self._cache[i] = ent
        return ent

    def screen(self, query: str) -> list[Candidate]:
        t0 = time.perf_counter()
        blocked: list[int] = []
        for idx, _ in self.rf.raw(query, BLOCK_K):
            owner = self.rf.owner[idx]
            if owner not in blocked:
                blocked.append(owner)
        t1 = time.perf_counter()
        self._n += 1
        q = self.model.make_entity("LegalEntity")
        q.id = f"query-{self._n}"
        q.add("name", query, quiet=True)
        scored = []
        for i in blocked:
            result = self.algo.compare(q, self.entity(i), self.config)
            scored.append((float(result.score), i))
        scored.sort(key=lambda s: -s[0])
        t2 = time.perf_counter()
        self.block_seconds.append(t1 - t0)
        self.score_seconds.append(t2 - t1)
        out = []
        for score, i in scored[:TOP_K]:
            e = self.entries[i]
            out.append(Candidate(max(0.0, min(1.0, score)), e.key, e.name, e.name))
        return out


def run_nomenklatura(
    nk: NomenklaturaMatcher, pairs: list[LabelledPair], entries: list
) -> list[Outcome]:
    outcomes = []
    for p in pairs:
        t = time.perf_counter()
        try:
            cands, err = nk.screen(p.query), None
        except Exception as exc:  # keep going; report it
            cands, err = [], f"{type(exc).__name__}: {exc}"
        outcomes.append(Outcome(p, cands, time.perf_counter() - t, err))
    attach_expected(outcomes, entries)
    return outcomes


# --------------------------------------------------------------------------- report


def summarise(name: str, outcomes: list[Outcome], default_threshold: float) -> dict:
    secs = sorted(o.seconds for o in outcomes)
    rec = recommend(outcomes)
    best = rec["best_f1"]
    return {
        "matcher": name,
        "best": best,
        "at_default": metrics_at(outcomes, default_threshold),
        "best_precision_at_recall_0.95": rec["best_precision_at_recall"],
        "p50_ms": percentile(secs, 0.5) * 1000,
        "p99_ms": percentile(secs, 0.99) * 1000,
        "mean_ms": sum(secs) / len(secs) * 1000 if secs else float("nan"),
        "per_kind_at_best": per_kind_recall(outcomes, best["threshold"]),
        "errors": sum(1 for o in outcomes if o.error),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="exportguard vs RapidFuzz vs nomenklatura.")
    parser.add_argument(
        "--sample",
        type=int,
        default=400,
        help="labelled pairs to use, stratified by kind (0 = all)",
    )
    parser.add_argument(
        "--nk-algorithm",
        default="logic-v2",
        help="nomenklatura algorithm NAME (logic-v2, logic-v1, name-based, ...)",
    )
    parser.add_argument("--no-nk", action="store_true", help="skip nomenklatura")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    Screener, default_threshold = import_screener()
    entries = load_entries()
    pairs = stratified_sample(build_labelled_set(entries), args.sample)
    n_pos = sum(1 for p in pairs if p.positive)
    print(f"matcher source fingerprint {matcher_fingerprint()}")
    print(
        f"{len(pairs)} labelled pairs ({n_pos} positive, {len(pairs) - n_pos} negative), "
        f"stratified sample of the full set; {len(entries):,} CSL entries"
    )

    build: dict[str, float] = {}
    t = time.perf_counter()
    screener = Screener.from_entries(entries)
    build["exportguard"] = time.perf_counter() - t
    t = time.perf_counter()
    rf = RapidFuzzBaseline(entries)
    build["rapidfuzz"] = time.perf_counter() - t

    results: dict[str, list[Outcome]] = {}
    results["exportguard"] = run_screener(screener, pairs, entries)
    results["rapidfuzz WRatio"] = run_rapidfuzz(rf, pairs, entries)
    nk_name = None
    nk = None
    if not args.no_nk:
        try:
            t = time.perf_counter()
            nk = NomenklaturaMatcher(entries, rf, args.nk_algorithm)
            build["nomenklatura"] = time.perf_counter() - t
            import nomenklatura

            version = getattr(nomenklatura, "__version__", None)
            if version is None:
                from importlib.metadata import version as _v

                version = _v("nomenklatura")
            nk_name = f"nomenklatura {args.nk_algorithm} ({version}) + RF top-{BLOCK_K} blocking"
            results[nk_name] = run_nomenklatura(nk, pairs, entries)
        except ImportError as exc:
            print(
                f"nomenklatura is not importable ({exc}); skipping it. Install with "
                f".venv/bin/pip install nomenklatura (or use a separate venv)."
            )

    summaries = {name: summarise(name, outs, default_threshold) for name, outs in results.items()}
    eg = summaries["exportguard"]
    rows = []
    for name, s in summaries.items():
        b, d = s["best"], s["at_default"]
        rows.append(
            [
                name,
                f"{b['threshold']:.2f}",
                f"{b['precision']:.3f}",
                f"{b['recall']:.3f}",
                f"{b['f1']:.3f}",
                f"{b['fpr']:.3f}",
                f"{d['precision']:.3f} / {d['recall']:.3f} / {d['f1']:.3f}",
                f"{s['p50_ms']:.2f} / {s['p99_ms']:.2f}",
                f"{s['mean_ms'] / eg['mean_ms']:.1f}x",
                f"{b['f1'] / eg['best']['f1']:.2f}" if eg["best"]["f1"] else "-",
            ]
        )
    _table(
        "Matchers on the same labelled pairs (each at its own best-F1 threshold)",
        [
            "matcher",
            "best t",
            "P",
            "R",
            "F1",
            "FPR",
            f"P / R / F1 at {default_threshold:.2f}",
            "latency p50 / p99 ms",
            "mean latency vs eg",
            "F1 vs eg",
        ],
        rows,
    )

    kinds = sorted({p.variant_kind for p in pairs})
    krows = []
    for kind in kinds:
        row = [kind, str(sum(1 for p in pairs if p.variant_kind == kind))]
        for s in summaries.values():
            v = s["per_kind_at_best"].get(kind)
            if v is None:
                row.append("-")
            elif kind == "negative":
                row.append(f"FPR {v['fpr']:.2f}")
            else:
                row.append(f"{v['recall']:.2f}")
        krows.append(row)
    _table(
        "Recall per variant kind, each matcher at its best-F1 threshold",
        ["kind", "n", *summaries.keys()],
        krows,
    )
    if nk is not None and nk.block_seconds:
        bs, ss = sorted(nk.block_seconds), sorted(nk.score_seconds)
        print(
            f"nomenklatura latency split: blocking (RapidFuzz top-{BLOCK_K}) p50 "
            f"{percentile(bs, 0.5) * 1000:.1f} ms, scoring p50 {percentile(ss, 0.5) * 1000:.1f} "
            f"ms, p99 {percentile(ss, 0.99) * 1000:.1f} ms (first call includes lazy loading "
            "of its reference data)"
        )
        print(
            "NOTE: nomenklatura's candidates come from the RapidFuzz WRatio top-50 blocking "
            "above, not from an index of its own (it has none outside yente)."
        )
    print("index build: " + ", ".join(f"{k} {v:.2f} s" for k, v in build.items()))
    for name, s in summaries.items():
        if s["errors"]:
            print(f"{name}: {s['errors']} queries raised")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "matcher_fingerprint": matcher_fingerprint(),
                    "pairs": len(pairs),
                    "positives": n_pos,
                    "build_s": build,
                    "matchers": summaries,
                },
                indent=1,
                default=float,
            ),
            encoding="utf-8",
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
