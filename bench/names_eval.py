"""Independent evaluation of the matcher on labelled sets its authors did not write.

- `data/names_eval_zh.csv`: Chinese-script, traditional and pinyin queries for listed Chinese
  parties (expected: the CSL entries that denote the party) and unlisted Chinese companies.
- `data/names_eval_pairs.csv`: other scripts, former names, legal forms, addresses after the name,
  glued words (positives) and near-miss negatives.
- `data/names_eval_zh_hard.csv`: read with `zh`, `dev` rows only: real unlisted Chinese companies
  and institutes that share a trade name or a group with a listed party (another city, another
  business), written to tune the contradiction rules of screening/han_rules.py; and A-share
  short names (股票简称, kind `unlisted_short`) of companies not on the CSL that score against a
  listed party by one shared word or a pinyin collision.
- `data/names_eval_zh_b.csv` (`--sets zh_b`): a second Chinese set, written later by another
  helper for other listed parties, every row `heldout`. It is kept back to judge generalisation
  once, at the end of a round of matcher and curated-name work: do not run it while tuning, and
  do not read it to choose names (its baselines take their thresholds from zh's `dev` rows).
- `data/names_eval_zh_c.csv` (`--sets zh_c`): a third Chinese set, written by another helper for
  listed parties in neither zh nor zh_b, every row `heldout`, held back like zh_b (thresholds from
  zh's `dev` rows; run it once, by the lead).
- `data/names_eval_zh_d.csv` (`--sets zh_d`): a fourth Chinese set, written by another helper
  without reading the curated names or running the matcher, every query a name a cited Chinese
  page prints. Listed: parties of the Entity List, MEU and NS-CMIC lists with a CN/HK address,
  tried in the order of the SHA-256 of their entry key (kept when a Chinese page names them), then
  parties that only the held-back rows of zh, zh_b and zh_c hold, by names those sets lack; no party
  of a `dev` row of zh or zh_hard, no query of an earlier set. It is smaller than asked (400 listed
  queries were asked for): the earlier sets already hold most listed parties that Chinese pages
  name. Unlisted: real companies and institutes, over half of them named like a listed party
  (same trade name, parent or subsidiary, a pinyin collision). Every row `heldout`; held back like
  zh_b (thresholds from zh's `dev` rows; run it once, by the lead).
- `data/names_eval_zh_e.csv` (`--sets zh_e`): a fifth Chinese set, written by another helper without
  reading the curated names, the matcher or the rows of the other sets, and without running the
  matcher. Listed parties drawn at random (random.Random(2026) over the CSL's EL / MEU / CMIC
  entries with a CN or HK country; bench/README.md gives the procedure and the skips), every query
  a name printed on the page in its row; unlisted: real companies and institutes, most of them of
  the same group, city, industry or trade name as a listed party. Every row `heldout`; held back
  like zh_b (thresholds from zh's `dev` rows; run it once, by the lead).
- `data/names_eval_zh_f.csv` with, when it exists, `data/names_eval_zh_f_unlisted.csv`
  (`--sets zh_f`): a sixth Chinese set, its two halves written at the same time by two helpers
  without reading the curated names, the matcher or the queries of the other sets, and without
  running the matcher. Listed parties drawn at random (random.Random(20261205) over the CSL's EL /
  MEU / CMIC entries with a CN or HK country, walked in draw order; every draw and its outcome is
  logged in `data/names_eval_zh_f_draws.csv`), every query a name printed on the page in its row;
  the drawn part is small (bench/README.md gives the walk's outcomes), so a second listed part,
  `data/names_eval_zh_f_sources.csv`, takes the listed parties that pages printing many Chinese
  names offer (sources first, parties second; findable parties only, its own method note per
  row). Every row `heldout`; held back like zh_b (thresholds from zh's `dev` rows; run it once,
  by the lead).
- `data/names_eval_zh_g.csv` with, when it exists, `data/names_eval_zh_g_unlisted.csv`
  (`--sets zh_g`): a seventh Chinese set, its two halves written at the same time by two helpers
  without reading the curated names, the matcher or the queries of the other sets, and without
  running the matcher. Listed half sources first: pages printing Chinese names of listed parties
  (news of U.S. listing actions 2019-2025), every listed party a page names taken (tuning parties
  left out), each query as printed on the page in its row. Every row `heldout`; held back like
  zh_b (thresholds from zh's `dev` rows; run it once, by the lead).
- `data/names_eval_zh_h.csv` (`--sets zh_h`): an eighth Chinese set, listed and unlisted rows in one
  file, written by one helper without reading the curated names or the matcher and without running
  it; every query a name printed on the page in its row and in no earlier set (bench/README.md says
  how small its listed half is and why). Every row `heldout`; held back like zh_b (thresholds from
  zh's `dev` rows; run it once, by the lead).
- `data/names_eval_zh_i.csv` (`--sets zh_i`): a ninth Chinese set, listed and unlisted rows in one
  file, written by one helper without reading the curated names or the matcher and without running
  it. Listed parties drawn, not chosen (the CSL's EL / MEU / NS-CMIC / SDN entries with a CN, HK or
  MO country, ordered by the SHA-256 of "zh_i-2026-12-06:<key>"; every draw and its outcome is
  logged in `data/names_eval_zh_i_draws.csv`); its listed half is small (bench/README.md says
  why). Every row `heldout`; held back like zh_b (thresholds from zh's `dev` rows; run it once,
  by the lead).

Each row carries a `split` column (`dev` / `heldout`, by a hash of the party). exportguard is run as
tests/conftest.py `full_screener` builds it (the full reference CSL with the curated local names)
and judged at its DEFAULT_THRESHOLD. Beside it, in the same run, a plain RapidFuzz WRatio and
nomenklatura (if installed; candidates from a RapidFuzz top-50 blocking step, as in compare.py):
each baseline's threshold is the best-F1 one on `dev` and is then reported on `heldout`.

A positive is found at t when one of the top 5 matches scoring >= t is an expected entry (same
key, or the same normalised name as one of them); a negative (unlisted company, near miss) is a
false alarm when any match scores >= t. Average precision sweeps t over every score.

The Chinese sets' listed parties are also reported in three groups: without a curated record in
data/local_names/*.yaml ("uncurated"); with one whose `source` cites the site the row was written
from ("curated, same source": the matcher looks up the very page the set was read from, which is
not generalisation); with one from other sources only ("curated, independent source").

    .venv/bin/python bench/names_eval.py [--sets zh pairs zh_b ... zh_i] [--splits dev]
        [--no-nk] [--only-exportguard] [--misses] [--listed-names-only] [--json out.json]

`--listed-names-only` screens against the lists' own names without any curated name in
characters: every listed party as if it had no curated record, a larger sample of how the reading
of Chinese names generalises (the curation groups are still those of the records on disk).
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA_DIR, import_screener, load_entries, matcher_fingerprint
from _common import average_precision as ranked_average_precision
from compare import BLOCK_K, NomenklaturaMatcher, RapidFuzzBaseline
from labelled import LabelledPair
from quality import FINE_THRESHOLDS, Outcome, _table, expected_norms_by_key, metrics_at

SETS = {"zh": DATA_DIR / "names_eval_zh.csv", "pairs": DATA_DIR / "names_eval_pairs.csv",
        "zh_b": DATA_DIR / "names_eval_zh_b.csv", "zh_c": DATA_DIR / "names_eval_zh_c.csv",
        "zh_d": DATA_DIR / "names_eval_zh_d.csv", "zh_e": DATA_DIR / "names_eval_zh_e.csv",
        "zh_f": DATA_DIR / "names_eval_zh_f.csv", "zh_g": DATA_DIR / "names_eval_zh_g.csv",
        "zh_h": DATA_DIR / "names_eval_zh_h.csv", "zh_i": DATA_DIR / "names_eval_zh_i.csv"}
DEFAULT_SETS = ("zh", "pairs")  # zh_b .. zh_i are held back: only when asked for by name
# reported with --country CN and by curation group
CHINESE_SETS = frozenset({"zh", "zh_b", "zh_c", "zh_d", "zh_e", "zh_f", "zh_g", "zh_h", "zh_i"})
# Rows read with a set: names_eval_zh_hard.csv holds only `dev` rows (hard negatives written for
# tuning the rules of screening/han_rules.py), so the heldout part of zh is what it was.
EXTRA_ROWS = {"zh": (DATA_DIR / "names_eval_zh_hard.csv",)}
# Sets read from the files of theirs that exist: zh_f's listed and unlisted halves are written by
# helpers at the same time, each in its own file; its listed half has two parts, the random draws
# (names_eval_zh_f.csv) and a sources-first part (names_eval_zh_f_sources.csv).
FILES_IF_PRESENT = {"zh_f": (DATA_DIR / "names_eval_zh_f.csv",
                             DATA_DIR / "names_eval_zh_f_sources.csv",
                             DATA_DIR / "names_eval_zh_f_unlisted.csv"),
                    # zh_g likewise: its listed half (sources first) and its unlisted half
                    "zh_g": (DATA_DIR / "names_eval_zh_g.csv",
                             DATA_DIR / "names_eval_zh_g_unlisted.csv")}
# sets without dev rows: baselines tuned on zh's dev rows
TUNE_ON = {"zh_b": "zh", "zh_c": "zh", "zh_d": "zh", "zh_e": "zh", "zh_f": "zh", "zh_g": "zh",
           "zh_h": "zh", "zh_i": "zh"}
POSITIVE_LABELS = frozenset({"listed", "match"})
NEGATIVE_LABELS = frozenset({"unlisted", "no_match"})
SPLITS = ("dev", "heldout")


class CachedRapidFuzz(RapidFuzzBaseline):
    """The RapidFuzz baseline with its top-50 per query computed once: the same extract serves
    the baseline's own top 5 and nomenklatura's blocking step."""

    def __init__(self, entries: list) -> None:
        super().__init__(entries)
        self._cache: dict[str, list[tuple[int, float]]] = {}

    def raw(self, query: str, limit: int) -> list[tuple[int, float]]:
        hits = self._cache.get(query)
        if hits is None or len(hits) < limit:
            hits = super().raw(query, max(limit, BLOCK_K))
            self._cache[query] = hits
        return hits[:limit]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def set_files(name: str) -> list[Path]:
    """The files whose rows make up the set `name`: its own file and its extra rows, or, for a
    set written in halves, those of its halves that exist."""
    if name in FILES_IF_PRESENT:
        return [p for p in FILES_IF_PRESENT[name] if p.is_file()]
    return [SETS[name], *EXTRA_ROWS.get(name, ())]


def to_pairs(rows: list[dict[str, str]]) -> list[LabelledPair]:
    """One LabelledPair per row; `detail` carries the row's expected ids (';'-separated)."""
    out = []
    for row in rows:
        positive = row["label"] in POSITIVE_LABELS
        keys = row["expected_entry_id"].split(";") if positive else []
        out.append(
            LabelledPair(
                query=row["query"],
                expected_key=keys[0] if keys else None,
                variant_kind=row["kind"],
                expected_name=row["expected_name"] if positive else None,
                detail=row["expected_entry_id"] if positive else "",
            )
        )
    return out


def attach_all_expected(outcomes: list[Outcome], norms: dict[str, frozenset[str]]) -> None:
    """Every expected id of a row counts (a party listed on several lists has several ids)."""
    for o in outcomes:
        if o.pair.positive:
            o.expected_norms = frozenset().union(
                *(norms.get(k, frozenset()) for k in o.pair.detail.split(";"))
            )


def run(screen, pairs: list[LabelledPair]) -> list[Outcome]:
    """screen(query) -> list[Candidate]; a query that raises is recorded, not fatal."""
    outcomes = []
    for pair in pairs:
        try:
            cands, error = screen(pair.query), None
        except Exception as exc:  # a rejected query is a finding
            cands, error = [], f"{type(exc).__name__}: {exc}"
        outcomes.append(Outcome(pair, cands, 0.0, error))
    return outcomes


def average_precision(outcomes: list[Outcome]) -> float:
    """Area under the precision/recall curve swept over thresholds (ties taken together); an
    outcome scoring 0 is never found."""
    scored = [(o.best_correct(), True) for o in outcomes if o.pair.positive]
    scored += [(o.top(), False) for o in outcomes if not o.pair.positive]
    return ranked_average_precision([s for s in scored if s[0] > 0.0],
                                     sum(1 for o in outcomes if o.pair.positive))


def best_threshold(outcomes: list[Outcome]) -> float:
    rows = [metrics_at(outcomes, t) for t in FINE_THRESHOLDS]
    return max(rows, key=lambda r: (r["f1"], r["threshold"]))["threshold"]


def kind_figures(outcomes: list[Outcome], t: float) -> dict[str, str]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.pair.variant_kind].append(o)
    out = {}
    for kind, group in sorted(groups.items()):
        if group[0].pair.positive:
            found = sum(1 for o in group if o.best_correct() >= t)
            out[kind] = f"R {found / len(group):.2f} ({found}/{len(group)})"
        else:
            flagged = sum(1 for o in group if o.top() >= t)
            out[kind] = f"FPR {flagged / len(group):.2f} ({flagged}/{len(group)})"
    return out


def summarise(outcomes: list[Outcome], rows: list[dict[str, str]], t: float) -> dict:
    by_split = {}
    for split in (s for s in SPLITS if any(r["split"] == s for r in rows)):
        part = [o for o, r in zip(outcomes, rows, strict=True) if r["split"] == split]
        by_split[split] = {
            **metrics_at(part, t),
            "ap": average_precision(part),
            "kinds": kind_figures(part, t),
            "errors": sum(1 for o in part if o.error),
        }
    return by_split


_DOMAIN = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?=[/\s;,)]|$)", re.IGNORECASE)


def site(domain: str) -> str:
    """The site a host belongs to, for "same source": without www./m., and any host whose labels
    name a wiki ("zh.wikipedia.org", the mirror "zhwiki.oracleblog.org") is the one wikipedia."""
    host = domain.casefold().strip(".")
    for prefix in ("www.", "m.", "wap."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return "wikipedia" if "wiki" in host else host


def source_sites(text: str) -> set[str]:
    """The sites a curated record's free-text `source` names (URLs or bare hosts)."""
    return {site(m.group(1)) for m in _DOMAIN.finditer(text) if not m.group(1)[-1].isdigit()}


def curated_records_of(rows: list[dict[str, str]], entries: list) -> dict[str, list[dict]]:
    """party -> the curated records (data/local_names/*.yaml) that give its expected entries
    Chinese names today: a record applies to an entry when its listed_name reads as one of the
    entry's names or aliases (as `with_local_names` links them)."""
    from exportguard.lists.starter import local_name_records
    from exportguard.names.normalize import name_forms

    by_tokens: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for record in local_name_records():
        for form in name_forms(record["listed_name"]):
            by_tokens[form.tokens].append(record)
    by_key: dict[str, list] = defaultdict(list)
    for e in entries:
        by_key[e.key].append(e)
    out: dict[str, list[dict]] = {}
    for row in rows:
        if row["party"] in out:
            continue
        found: dict[int, dict] = {}
        for key in row["expected_entry_id"].split(";"):
            for entry in by_key.get(key, ()):
                for text in (entry.name, *entry.alt_names):
                    for form in name_forms(text):
                        for record in by_tokens.get(form.tokens, ()):
                            found[id(record)] = record
        out[row["party"]] = list(found.values())
    return out


def curation_group(row: dict[str, str], records: list[dict]) -> str:
    """'uncurated' (no curated record for the party), 'curated, same source' (the row's page is
    among the sites the records cite: a lookup of the page the row was written from) or 'curated,
    independent source'."""
    if not records:
        return "uncurated"
    cited = set().union(*(source_sites(r["source"]) for r in records))
    host = urlparse(row["source_url"]).hostname or ""
    return "curated, same source" if site(host) in cited else "curated, independent source"


def print_summary(name: str, results: dict[str, tuple[float, dict]]) -> None:
    rows = []
    for matcher, (t, by_split) in results.items():
        for split, m in by_split.items():
            rows.append([matcher, split, f"{t:.2f}", str(m["tp"] + m["fn"]), str(m["fp"] + m["tn"]),
                         f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                         f"{m['fpr']:.3f}", f"{m['ap']:.3f}", str(m["wrong_entity"])])
    _table(f"{name}: precision / recall / F1 at the threshold shown, and average precision",
           ["matcher", "split", "t", "pos", "neg", "P", "R", "F1", "FPR", "AP", "wrong entity"],
           rows)
    kinds = sorted({k for _, by in results.values() for m in by.values() for k in m["kinds"]})
    krows = []
    for kind in kinds:
        row = [kind]
        for _, by_split in results.values():
            row.extend(m["kinds"].get(kind, "-") for m in by_split.values())
        krows.append(row)
    _table(f"{name}: by kind (R = recall of positives, FPR = false alarms on negatives)",
           ["kind", *[f"{short(m)} {s}" for m, (_, by) in results.items() for s in by]], krows)


def short(matcher: str) -> str:
    """A column label for the by-kind table."""
    for long, abbrev in (("exportguard --country CN", "eg CN"), ("exportguard  uncurated",
                         "eg uncurated"), ("exportguard  curated, independent", "eg cur-indep"),
                         ("exportguard  curated, same", "eg cur-same"),
                         ("exportguard", "eg"), ("rapidfuzz", "rf"), ("nomenklatura", "nk")):
        if matcher.startswith(long):
            return abbrev
    return matcher


def evaluate(name: str, rows: list[dict[str, str]], matchers: dict, default_t: float,
             entries: list, misses: bool = False,
             tune_rows: list[dict[str, str]] | None = None) -> dict:
    """`tune_rows`: dev rows of another set, for a set that has none of its own (zh_b, zh_c): the
    baselines' thresholds are chosen on them."""
    pairs = to_pairs(rows)
    norms = expected_norms_by_key(entries)
    results: dict[str, tuple[float, dict]] = {}
    for matcher, screen in matchers.items():
        outcomes = run(screen, pairs)
        attach_all_expected(outcomes, norms)
        if matcher.startswith("exportguard"):
            t = default_t
        else:  # threshold chosen on dev only, reported on both
            dev = [o for o, r in zip(outcomes, rows, strict=True) if r["split"] == "dev"]
            if not dev and tune_rows:
                dev = run(screen, to_pairs(tune_rows))
                attach_all_expected(dev, norms)
            if not dev:
                raise SystemExit("baseline thresholds are chosen on dev: include --splits dev")
            t = best_threshold(dev)
        results[matcher] = (t, summarise(outcomes, rows, t))
        if name in CHINESE_SETS and matcher == "exportguard":
            results.update(curated_split(outcomes, rows, t, entries))
        if misses and matcher.startswith("exportguard"):
            print(f"\n{matcher}:")
            print_misses(outcomes, rows, t)
    print_summary(name, results)
    return {m: {"threshold": t, **by} for m, (t, by) in results.items()}


CURATION_GROUPS = ("curated, independent source", "curated, same source", "uncurated")


def curated_split(outcomes: list[Outcome], rows: list[dict[str, str]], t: float,
                  entries: list) -> dict:
    """exportguard on the listed parties of each curation group (see `curation_group`), each
    beside all unlisted rows."""
    listed = [r for r in rows if r["label"] == "listed"]
    records = curated_records_of(listed, entries)
    group = {id(r): curation_group(r, records[r["party"]]) for r in listed}
    out = {}
    for label in CURATION_GROUPS:
        sel = [(o, r) for o, r in zip(outcomes, rows, strict=True)
               if r["label"] == "unlisted" or group.get(id(r)) == label]
        out[f"exportguard  {label}"] = (t, summarise([o for o, _ in sel], [r for _, r in sel], t))
    return out


def print_misses(outcomes: list[Outcome], rows: list[dict[str, str]], t: float) -> None:
    """Each positive not found at t and each negative flagged: the query, its kind, what was
    expected, and the best match with its score and the name it matched."""
    print(f"\nexportguard misses at {t:.2f}:")
    for o, r in zip(outcomes, rows, strict=True):
        found = o.best_correct() >= t if o.pair.positive else o.top() < t
        if found:
            continue
        best = o.candidates[0] if o.candidates else None
        shown = (f"{best.score:.3f} {best.name} (as {best.matched_name})" if best else "nothing")
        expected = r["expected_name"] if o.pair.positive else "clear"
        print(f"  [{r['split']}] {r['kind']:22} {r['query']} | expected {expected} "
              f"(correct at {o.best_correct():.3f}) | top {shown}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="exportguard on the independent names sets.")
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(DEFAULT_SETS),
                        help="zh_b .. zh_i are held back: run each once, at the end")
    parser.add_argument("--no-nk", action="store_true", help="skip nomenklatura")
    parser.add_argument("--splits", nargs="+", choices=SPLITS, default=list(SPLITS),
                        help="screen only these splits' rows (tune on dev; heldout once)")
    parser.add_argument("--only-exportguard", action="store_true", help="skip both baselines")
    parser.add_argument("--listed-names-only", action="store_true",
                        help="no curated names in characters: every party as if uncurated")
    parser.add_argument("--misses", action="store_true",
                        help="print exportguard's misses and false alarms, row by row")
    parser.add_argument("--nk-algorithm", default="logic-v2")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from exportguard.lists.starter import with_local_names

    Screener, default_t = import_screener()
    entries = load_entries()
    screener = Screener.from_entries(
        entries if args.listed_names_only
        else [with_local_names(copy.deepcopy(e)) for e in entries])
    print(f"matcher source fingerprint {matcher_fingerprint()}; {len(entries):,} CSL entries; "
          f"exportguard at its default threshold {default_t:.2f}")

    from quality import Candidate

    def eg(country: str | None):
        def screen(query: str) -> list:
            result = screener.screen(query, country=country, limit=5, min_score=0.0)
            return [Candidate(float(m.score), m.entry.key, m.entry.name, m.matched_name)
                    for m in result.matches]
        return screen

    matchers = {"exportguard": eg(None)}
    if not args.only_exportguard:
        rf = CachedRapidFuzz(entries)
        matchers["rapidfuzz WRatio"] = rf.screen
    if not args.no_nk and not args.only_exportguard:
        try:
            nk = NomenklaturaMatcher(entries, rf, args.nk_algorithm)
            matchers[f"nomenklatura {args.nk_algorithm} + RF top-{BLOCK_K}"] = nk.screen
        except ImportError as exc:
            print(f"nomenklatura is not importable ({exc}); skipped (pip install -e '.[bench]')")

    report = {"matcher_fingerprint": matcher_fingerprint(), "default_threshold": default_t}
    for name in args.sets:
        rows = [r for path in set_files(name) for r in read_rows(path)
                if r["split"] in args.splits]
        if not rows:
            print(f"\n{name}: no rows in splits {', '.join(args.splits)}")
            continue
        tune = None
        if name in TUNE_ON and not args.only_exportguard:
            tune = [r for path in set_files(TUNE_ON[name]) for r in read_rows(path)
                    if r["split"] == "dev"]
        n_pos = sum(1 for r in rows if r["label"] in POSITIVE_LABELS)
        print(f"\n{name}: {len(rows)} rows ({n_pos} positive, {len(rows) - n_pos} negative), "
              f"{len({r['party'] for r in rows})} parties")
        chosen = dict(matchers)
        if name in CHINESE_SETS:
            chosen = {"exportguard": matchers["exportguard"],
                      "exportguard --country CN": eg("CN"),
                      **{k: v for k, v in matchers.items() if k != "exportguard"}}
        report[name] = evaluate(name, rows, chosen, default_t, entries, args.misses, tune)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, default=float), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
