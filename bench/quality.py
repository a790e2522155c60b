"""Screening quality of exportguard's Screener on the labelled set (bench/labelled.py).

A positive is found at threshold t when, among the top 5 matches, one has score >= t and is the
expected entry: same key, or (because several entries share a name across lists, e.g. Hikvision on
both EL and CMIC) an entry whose normalised name, or whose matched name, is one of the expected
entry's normalised names or aliases. A negative is a false positive at t when any match has
score >= t. precision = TP / (TP + FP) over those; FPR = FP / negatives. Because the set holds more
positives than negatives, precision flatters: read it with the FPR column.

    .venv/bin/python bench/quality.py [--json out.json] [--top 20]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import import_screener, load_entries, matcher_fingerprint, names_of, simple_norm
from labelled import ALL_KINDS, LabelledPair, build_labelled_set

TOP_K = 5
TABLE_THRESHOLDS = [round(0.60 + 0.05 * i, 2) for i in range(8)]  # 0.60 .. 0.95
FINE_THRESHOLDS = [round(0.30 + 0.01 * i, 2) for i in range(70)]  # 0.30 .. 0.99
RECALL_TARGET = 0.95


@dataclass(frozen=True, slots=True)
class Candidate:
    score: float
    key: str
    name: str  # the entry's listed name
    matched_name: str  # the name or alias (or derived form) the matcher matched


@dataclass(slots=True)
class Outcome:
    pair: LabelledPair
    candidates: list[Candidate]
    seconds: float
    error: str | None = None
    expected_norms: frozenset[str] = field(default_factory=frozenset)

    def correct(self, c: Candidate) -> bool:
        return (
            c.key == self.pair.expected_key
            or simple_norm(c.name) in self.expected_norms
            or simple_norm(c.matched_name) in self.expected_norms
        )

    def best_correct(self) -> float:
        """Highest score of a correct candidate in the top K (0.0 if none)."""
        return max((c.score for c in self.candidates[:TOP_K] if self.correct(c)), default=0.0)

    def top(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


def expected_norms_by_key(entries: list) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for e in entries:  # keys are not unique in the CSL; union the names of all holders
        out[e.key].update(simple_norm(n) for n in names_of(e) if simple_norm(n))
    return {k: frozenset(v) for k, v in out.items()}


def attach_expected(outcomes: list[Outcome], entries: list) -> None:
    norms = expected_norms_by_key(entries)
    for o in outcomes:
        if o.pair.expected_key:
            extra = {simple_norm(o.pair.expected_name)} if o.pair.expected_name else set()
            o.expected_norms = norms.get(o.pair.expected_key, frozenset()) | extra


# --------------------------------------------------------------------------- metrics


def metrics_at(outcomes: list[Outcome], t: float) -> dict[str, float]:
    pos = [o for o in outcomes if o.pair.positive]
    neg = [o for o in outcomes if not o.pair.positive]
    tp = sum(1 for o in pos if o.best_correct() >= t)
    fp = sum(1 for o in neg if o.top() >= t)
    # positives where something cleared t but not the expected entry: a wrong-party alert
    wrong = sum(1 for o in pos if o.best_correct() < t and o.top() >= t)
    recall = tp / len(pos) if pos else 0.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": t,
        "tp": tp,
        "fn": len(pos) - tp,
        "fp": fp,
        "tn": len(neg) - fp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "fpr": fp / len(neg) if neg else 0.0,
        "wrong_entity": wrong,
    }


def recommend(outcomes: list[Outcome], thresholds: list[float] = FINE_THRESHOLDS) -> dict:
    rows = [metrics_at(outcomes, t) for t in thresholds]
    best_f1 = max(rows, key=lambda r: (r["f1"], r["threshold"]))
    at_recall = [r for r in rows if r["recall"] >= RECALL_TARGET]
    best_p = max(at_recall, key=lambda r: (r["precision"], r["threshold"])) if at_recall else None
    return {"best_f1": best_f1, "best_precision_at_recall": best_p, "recall_target": RECALL_TARGET}


def per_kind_recall(outcomes: list[Outcome], t: float) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for kind in ALL_KINDS:
        group = [o for o in outcomes if o.pair.variant_kind == kind]
        if not group:
            continue
        if kind == "negative":
            flagged = sum(1 for o in group if o.top() >= t)
            out[kind] = {
                "n": len(group),
                "recall": float("nan"),
                "flagged": flagged,
                "fpr": flagged / len(group),
            }
        else:
            found = sum(1 for o in group if o.best_correct() >= t)
            out[kind] = {"n": len(group), "recall": found / len(group), "found": found}
    return out


def worst_false_negatives(outcomes: list[Outcome], t: float, n: int) -> list[dict]:
    misses = [o for o in outcomes if o.pair.positive and o.best_correct() < t]
    misses.sort(key=lambda o: (o.best_correct(), -o.top()))
    rows = []
    for o in misses[:n]:
        top = o.candidates[0] if o.candidates else None
        rows.append(
            {
                "query": o.pair.query,
                "kind": o.pair.variant_kind,
                "expected": o.pair.expected_name,
                "expected_key": o.pair.expected_key,
                "expected_score": round(o.best_correct(), 3),
                "top_match": top.matched_name if top else None,
                "top_entry": f"{top.key}: {top.name}" if top else None,
                "top_score": round(top.score, 3) if top else None,
            }
        )
    return rows


def worst_false_positives(outcomes: list[Outcome], t: float, n: int) -> list[dict]:
    flagged = [o for o in outcomes if not o.pair.positive and o.top() >= t]
    flagged.sort(key=lambda o: -o.top())
    return [
        {
            "query": o.pair.query,
            "top_match": o.candidates[0].matched_name,
            "top_entry": f"{o.candidates[0].key}: {o.candidates[0].name}",
            "top_score": round(o.top(), 3),
        }
        for o in flagged[:n]
    ]


def latency_summary(outcomes: list[Outcome]) -> dict[str, float]:
    from _common import percentile

    secs = sorted(o.seconds for o in outcomes if o.error is None)
    return {
        "n": len(secs),
        "p50_ms": percentile(secs, 0.5) * 1000,
        "p99_ms": percentile(secs, 0.99) * 1000,
        "mean_ms": (sum(secs) / len(secs) * 1000) if secs else float("nan"),
    }


# --------------------------------------------------------------------------- running


def run_screener(screener, pairs: list[LabelledPair], entries: list) -> list[Outcome]:
    outcomes = []
    for pair in pairs:
        start = time.perf_counter()
        try:
            result = screener.screen(pair.query, limit=TOP_K, min_score=0.0)
            cands = [
                Candidate(float(m.score), m.entry.key, m.entry.name, m.matched_name)
                for m in result.matches
            ]
            error = None
        except Exception as exc:  # a query the matcher rejects is a finding, not a crash
            cands, error = [], f"{type(exc).__name__}: {exc}"
        outcomes.append(Outcome(pair, cands, time.perf_counter() - start, error))
    attach_expected(outcomes, entries)
    return outcomes


# --------------------------------------------------------------------------- printing


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*r)
        Console(width=200).print(table)
    except ImportError:  # plain fallback
        print(title)
        print(" | ".join(columns))
        for r in rows:
            print(" | ".join(r))


def print_threshold_table(outcomes: list[Outcome], title: str) -> list[dict]:
    rows = [metrics_at(outcomes, t) for t in TABLE_THRESHOLDS]
    _table(
        title,
        [
            "threshold",
            "precision",
            "recall",
            "F1",
            "FPR (negatives)",
            "TP",
            "FN",
            "FP",
            "wrong-entity",
        ],
        [
            [
                f"{r['threshold']:.2f}",
                f"{r['precision']:.3f}",
                f"{r['recall']:.3f}",
                f"{r['f1']:.3f}",
                f"{r['fpr']:.3f}",
                str(r["tp"]),
                str(r["fn"]),
                str(r["fp"]),
                str(r["wrong_entity"]),
            ]
            for r in rows
        ],
    )
    return rows


def print_kind_table(kinds: dict, t: float) -> None:
    rows = []
    for kind, v in kinds.items():
        if kind == "negative":
            rows.append([kind, str(v["n"]), "-", f"FPR {v['fpr']:.3f} ({v['flagged']} flagged)"])
        else:
            rows.append([kind, str(v["n"]), f"{v['recall']:.3f}", f"{v['found']} found"])
    _table(
        f"Recall per variant kind at DEFAULT_THRESHOLD = {t:.2f}",
        ["kind", "n", "recall", "detail"],
        rows,
    )


def print_recommendation(rec: dict) -> None:
    b = rec["best_f1"]
    print(
        f"Best F1: threshold {b['threshold']:.2f} -> F1 {b['f1']:.3f} "
        f"(P {b['precision']:.3f}, R {b['recall']:.3f}, FPR {b['fpr']:.3f})"
    )
    p = rec["best_precision_at_recall"]
    if p:
        print(
            f"Best precision at recall >= {rec['recall_target']:.2f}: threshold "
            f"{p['threshold']:.2f} -> P {p['precision']:.3f}, R {p['recall']:.3f}, "
            f"FPR {p['fpr']:.3f}"
        )
    else:
        print(f"No threshold in 0.30..0.99 reaches recall >= {rec['recall_target']:.2f}")


def print_worst(fns: list[dict], fps: list[dict], t: float) -> None:
    _table(
        f"Worst false negatives at {t:.2f} (lowest score of the expected entry)",
        ["query", "kind", "expected", "exp. score", "top match (entry)", "top score"],
        [
            [
                r["query"],
                r["kind"],
                r["expected"] or "",
                f"{r['expected_score']:.3f}",
                f"{r['top_match']} ({r['top_entry']})" if r["top_match"] else "-",
                f"{r['top_score']:.3f}" if r["top_score"] is not None else "-",
            ]
            for r in fns
        ],
    )
    _table(
        f"Worst false positives at {t:.2f} (highest-scoring negatives)",
        ["query", "matched name", "entry", "score"],
        [[r["query"], r["top_match"], r["top_entry"], f"{r['top_score']:.3f}"] for r in fps],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screening quality on the labelled set.")
    parser.add_argument("--json", type=Path, help="write all numbers to this JSON file")
    parser.add_argument("--top", type=int, default=20, help="false negatives/positives to list")
    parser.add_argument(
        "--per-kind",
        type=int,
        default=3,
        help="also list this many false negatives of each variant kind",
    )
    parser.add_argument(
        "--curated",
        action="store_true",
        help="screen with the shipped curated Chinese names (data/local_names/*.yaml) applied, as "
        "the product does; without it, Chinese queries are matched by transliteration alone",
    )
    args = parser.parse_args(argv)

    Screener, default_threshold = import_screener()
    entries = load_entries()
    pairs = build_labelled_set(entries)
    start = time.perf_counter()
    if args.curated:
        from exportguard.lists.starter import with_local_names

        screener = Screener.from_entries([with_local_names(copy.copy(e)) for e in entries])
    else:
        screener = Screener.from_entries(entries)
    build_s = time.perf_counter() - start
    outcomes = run_screener(screener, pairs, entries)
    errors = [o for o in outcomes if o.error]
    pos = sum(1 for p in pairs if p.positive)
    print(f"matcher source fingerprint {matcher_fingerprint()}")
    print(
        f"{len(pairs)} labelled pairs ({pos} positive, {len(pairs) - pos} negative); index "
        f"built in {build_s:.1f}s; {len(errors)} queries raised"
    )
    for o in errors[:10]:
        print(f"  ERROR {o.pair.query!r}: {o.error}")

    table = print_threshold_table(outcomes, "exportguard Screener: precision / recall by threshold")
    kinds = per_kind_recall(outcomes, default_threshold)
    print_kind_table(kinds, default_threshold)
    rec = recommend(outcomes)
    at_default = metrics_at(outcomes, default_threshold)
    print(
        f"At DEFAULT_THRESHOLD {default_threshold:.2f}: P {at_default['precision']:.3f}, "
        f"R {at_default['recall']:.3f}, F1 {at_default['f1']:.3f}, FPR {at_default['fpr']:.3f}"
    )
    print_recommendation(rec)
    fns = worst_false_negatives(outcomes, default_threshold, args.top)
    fps = worst_false_positives(outcomes, default_threshold, args.top)
    print_worst(fns, fps, default_threshold)
    per_kind_fns: dict[str, list[dict]] = {}
    if args.per_kind > 0:
        rows = []
        for kind in ALL_KINDS:
            group = [o for o in outcomes if o.pair.variant_kind == kind]
            per_kind_fns[kind] = worst_false_negatives(group, default_threshold, args.per_kind)
            for r in per_kind_fns[kind]:
                rows.append(
                    [
                        kind,
                        r["query"],
                        r["expected"] or "",
                        f"{r['expected_score']:.3f}",
                        f"{r['top_match']} ({r['top_score']:.3f})" if r["top_match"] else "-",
                    ]
                )
        _table(
            f"False negatives per kind at {default_threshold:.2f} (up to {args.per_kind} each)",
            ["kind", "query", "expected", "exp. score", "top match (score)"],
            rows,
        )
    lat = latency_summary(outcomes)
    print(f"latency over the set: p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "matcher_fingerprint": matcher_fingerprint(),
                    "pairs": len(pairs),
                    "positives": pos,
                    "negatives": len(pairs) - pos,
                    "default_threshold": default_threshold,
                    "index_build_s": build_s,
                    "errors": [{"query": o.pair.query, "error": o.error} for o in errors],
                    "by_threshold": table,
                    "at_default": at_default,
                    "per_kind": kinds,
                    "recommendation": rec,
                    "false_negatives": fns,
                    "false_positives": fps,
                    "false_negatives_per_kind": per_kind_fns,
                    "latency": lat,
                    "kinds_count": Counter(p.variant_kind for p in pairs),
                },
                indent=1,
                ensure_ascii=False,
                default=float,
            ),
            encoding="utf-8",
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
