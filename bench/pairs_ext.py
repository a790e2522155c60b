"""Labelled name pairs from other screening projects, scored pair by pair.

`data/names_eval_pairs_ext.csv`: (name_a, name_b, label match / no_match) taken from the test and
evaluation files of other sanctions-screening projects (the row's `source_url` is the file at the
commit read; its `note` says how the label was read): OpenSanctions nomenklatura's name bench
(`contrib/name_bench/cases.csv`, the hand-written groups nk_checks and nk_unit_tests and the
customer cases; its LLM-proposed synthetic groups are left out), the observation sheets and OFAC
test cases of watchman-java, and moov-io/watchman's `TestCompareName`. Each row's `split` (dev /
heldout) is a hash of the pair. Tune on `dev` only; `heldout` is reported once, at the end.

Matchers, each scoring name_a against name_b:
- exportguard: `compare_names(a, b)` with the words weighed by the full reference CSL (with the
  curated names, as tests/conftest.py `full_screener`), judged at its DEFAULT_THRESHOLD;
- RapidFuzz WRatio on RapidFuzz's default processing (lower case, punctuation off);
- nomenklatura (if installed), algorithm logic-v2 by default, both names as entities of the
  schema the row's kind gives (person -> Person, company -> Company, vessel -> Vessel, ...).
A baseline's threshold is the best-F1 one on `dev`, then applied to `heldout`. Average precision
sweeps the threshold over every score (ties taken together).

    .venv/bin/python bench/pairs_ext.py [--splits dev] [--no-nk] [--misses] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA_DIR, load_entries, matcher_fingerprint
from _common import average_precision as ranked_average_precision

PAIRS = DATA_DIR / "names_eval_pairs_ext.csv"
SPLITS = ("dev", "heldout")
THRESHOLDS = [round(t / 100, 2) for t in range(1, 100)]
SCHEMAS = {"person": "Person", "company": "Company", "organization": "Organization",
           "legalentity": "LegalEntity", "vessel": "Vessel", "entity": "LegalEntity"}


def read_pairs(path: Path = PAIRS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["label"] not in ("match", "no_match") or row["split"] not in SPLITS:
            raise SystemExit(f"{path}: bad label or split in {row}")
        if row["kind"] not in SCHEMAS:
            raise SystemExit(f"{path}: kind {row['kind']!r} is not one of {sorted(SCHEMAS)}")
    return rows


def source_of(row: dict[str, str]) -> str:
    """The project a row comes from (owner/name of its GitHub URL)."""
    parts = row["source_url"].split("/")
    if "github.com" in parts[2:3] and len(parts) > 4:
        return f"{parts[3]}/{parts[4]}"
    return "/".join(parts[2:4])


def metrics(scores: list[float], labels: list[bool], t: float) -> dict[str, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if y and s >= t)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if not y and s >= t)
    pos = sum(labels)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / pos if pos else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"threshold": t, "precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp,
            "fn": pos - tp, "n": len(labels)}


def average_precision(scores: list[float], labels: list[bool]) -> float:
    """Area under the precision/recall curve over every threshold, equal scores together."""
    return ranked_average_precision(zip(scores, labels, strict=True), sum(labels))


def best_threshold(scores: list[float], labels: list[bool]) -> float:
    return max((metrics(scores, labels, t) for t in THRESHOLDS),
               key=lambda m: (m["f1"], m["threshold"]))["threshold"]


def exportguard_scorer():
    from exportguard.lists.starter import with_local_names
    from exportguard.screening import DEFAULT_THRESHOLD, Screener
    from exportguard.screening.pairs import compare_names

    screener = Screener.from_entries([with_local_names(e) for e in load_entries()])

    def score(row: dict[str, str]) -> float:
        return compare_names(row["name_a"], row["name_b"], screener=screener).score

    return score, DEFAULT_THRESHOLD


def rapidfuzz_scorer():
    from rapidfuzz import fuzz, utils

    def score(row: dict[str, str]) -> float:
        return fuzz.WRatio(row["name_a"], row["name_b"], processor=utils.default_process) / 100

    return score


def nomenklatura_scorer(algorithm: str):
    from followthemoney import model
    from nomenklatura.matching import ScoringConfig, get_algorithm

    algo = get_algorithm(algorithm)
    if algo is None:
        raise SystemExit(f"nomenklatura has no algorithm {algorithm!r}")
    config = ScoringConfig.defaults()

    def entity(name: str, schema: str, ident: str):
        ent = model.make_entity(schema)
        ent.id = ident
        ent.add("name", name, quiet=True)
        return ent

    def score(row: dict[str, str]) -> float:
        schema = SCHEMAS[row["kind"]]
        a = entity(row["name_a"], schema, "a")
        b = entity(row["name_b"], schema, "b")
        return float(algo.compare(a, b, config).score)

    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", nargs="+", choices=SPLITS, default=["dev"])
    parser.add_argument("--no-nk", action="store_true", help="leave nomenklatura out")
    parser.add_argument("--nk-algorithm", default="logic-v2")
    parser.add_argument("--misses", action="store_true",
                        help="print exportguard's wrong decisions on the splits asked")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--file", type=Path, default=PAIRS,
                        help="the pairs to score (default data/names_eval_pairs_ext.csv); a file "
                             "with no dev rows takes the baselines' thresholds from the default "
                             "file's rows, all of which are used")
    args = parser.parse_args()

    rows = read_pairs(args.file)
    labels = [r["label"] == "match" for r in rows]
    tuning = rows if any(r["split"] == "dev" for r in rows) else read_pairs(PAIRS)
    tuning_rows = [r for r in tuning if r["split"] == "dev"] if tuning is rows else tuning
    started = time.perf_counter()
    eg_score, eg_threshold = exportguard_scorer()
    print(f"exportguard screener built in {time.perf_counter() - started:.1f} s; matcher "
          f"{matcher_fingerprint()}; {len(rows)} pairs", flush=True)
    scorers: dict[str, object] = {"exportguard compare_names": eg_score,
                                  "RapidFuzz WRatio": rapidfuzz_scorer()}
    if not args.no_nk:
        try:
            scorers[f"nomenklatura {args.nk_algorithm}"] = nomenklatura_scorer(args.nk_algorithm)
        except ImportError as exc:
            print(f"nomenklatura left out: {exc}")
    scores: dict[str, list[float]] = {}
    thresholds: dict[str, float] = {}
    tuning_labels = [r["label"] == "match" for r in tuning_rows]
    for name, scorer in scorers.items():
        started = time.perf_counter()
        scores[name] = [scorer(r) for r in rows]  # type: ignore[operator]
        print(f"{name}: {len(rows)} pairs in {time.perf_counter() - started:.1f} s", flush=True)
        if name.startswith("exportguard"):
            thresholds[name] = eg_threshold
        elif tuning is rows:
            thresholds[name] = best_threshold([scores[name][i] for i, r in enumerate(rows)
                                               if r["split"] == "dev"], tuning_labels)
        else:
            thresholds[name] = best_threshold([scorer(r) for r in tuning_rows],  # type: ignore[operator]
                                              tuning_labels)
    if tuning is not rows:
        print(f"baselines' thresholds: best F1 on the {len(tuning_rows)} rows of {PAIRS.name}")
    report: dict[str, dict] = {}
    print()
    print(f"{'matcher':34} {'split':8} {'t':>5} {'P':>6} {'R':>6} {'F1':>6} {'AP':>6} "
          f"{'TP':>4} {'FP':>4} {'FN':>4} {'n':>4}")
    for name, values in scores.items():
        t = thresholds[name]
        report[name] = {"threshold": t, "splits": {}}
        for split in args.splits:
            at = [i for i, r in enumerate(rows) if r["split"] == split]
            s = [values[i] for i in at]
            y = [labels[i] for i in at]
            m = {**metrics(s, y, t), "ap": average_precision(s, y)}
            by_source: dict[str, dict[str, float]] = {}
            groups: dict[str, list[int]] = defaultdict(list)
            for i in at:
                groups[source_of(rows[i])].append(i)
            for source, members in sorted(groups.items()):
                by_source[source] = metrics([values[i] for i in members],
                                            [labels[i] for i in members], t)
            m["by_source"] = by_source
            kinds: dict[str, list[int]] = defaultdict(list)
            for i in at:
                kinds[rows[i]["kind"]].append(i)
            m["by_kind"] = {kind: metrics([values[i] for i in members],
                                          [labels[i] for i in members], t)
                            for kind, members in sorted(kinds.items())}
            report[name]["splits"][split] = m
            print(f"{name:34} {split:8} {t:5.2f} {m['precision']:6.3f} {m['recall']:6.3f} "
                  f"{m['f1']:6.3f} {m['ap']:6.3f} {m['tp']:4} {m['fp']:4} {m['fn']:4} "
                  f"{m['n']:4}")
    print()
    for name in scores:
        for split in args.splits:
            for group in ("by_source", "by_kind"):
                for key, m in report[name]["splits"][split][group].items():
                    print(f"  {name:34} {split:8} {key:32} P {m['precision']:.3f} "
                          f"R {m['recall']:.3f} F1 {m['f1']:.3f} (n {m['n']})")
    if args.misses:
        name = "exportguard compare_names"
        print(f"\n{name}: wrong decisions at {eg_threshold:.2f}")
        for i, r in enumerate(rows):
            if r["split"] not in args.splits:
                continue
            wrong = (scores[name][i] >= eg_threshold) != labels[i]
            if wrong:
                print(f"  {r['split']:7} {r['label']:8} {scores[name][i]:.3f}  {r['name_a']!r} | "
                      f"{r['name_b']!r}  [{r['kind']}; {source_of(r)}]")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
