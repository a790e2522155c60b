"""Batch screening: formats, order, options, bad rows, fail-fast errors, resume after SIGKILL and
workers, on the reference CSL sample (115 entries) plus the starter set."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from exportguard.batch import BatchOptions, meta_path, run_batch
from exportguard.batch.checkpoint import PartialOutput
from exportguard.batch.memory import descendants
from exportguard.batch.rows import RESULT_COLUMNS, RowOptions, screen_one
from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.screening.loaded import screener_for

runner = CliRunner()
GULF_GATE = ("Gulf Gate Shipping Co. LLC", "EL", "EL:n57b81aae9062b899")
GUIAN = "Guian New District Huawei Investment Co., Ltd., Guiyang, Guizhou"  # EL from 2019-05-21
# (id, name, country): real names of the sample and of the starter set, and one unlisted.
BOOK = [
    ("A1", "Gulf Gate Shipping Co LLC", "AE"),
    ("A2", "Acme Widgets Ltd", "US"),
    ("A3", "GAZPROMBANK OAO", "RU"),
    ("A4", "SenseTime", ""),
    ("A5", "Guangdong Univ of Technology", "CN"),
    ("A6", "ABU REIHAN GROUP", "IR"),
    ("A7", GUIAN, "CN"),
]


def write_csv(path: Path, rows: list[tuple[str, ...]], header=("id", "name", "country")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_rows(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def results_of(rows: list[dict]) -> list[tuple]:
    """The result columns, whatever the format wrote (CSV: text, empty for none)."""
    def value(column: str, cell):
        if cell in (None, ""):
            return None if column != "error" else ""
        return float(cell) if column == "best_score" else int(cell) \
            if column == "match_count" else cell
    return [tuple(value(c, r[c]) for c in RESULT_COLUMNS) for r in rows]


def test_csv_batch_keeps_rows_columns_and_order_with_real_matches(loaded, tmp_path):
    source = write_csv(tmp_path / "book.csv", BOOK)
    out = tmp_path / "screened.csv"
    summary = run_batch(loaded, BatchOptions(source, out, id_column="id", workers=1))
    rows = read_rows(out)
    assert list(rows[0]) == ["id", "name", "country", *RESULT_COLUMNS]
    assert [(r["id"], r["name"], r["country"]) for r in rows] == BOOK
    by_id = {r["id"]: r for r in rows}
    gulf = by_id["A1"]
    assert (gulf["best_match_name"], gulf["best_match_list"], gulf["best_match_id"]) == GULF_GATE
    assert (gulf["best_score"], gulf["decision"], gulf["match_count"]) == ("1", "match", "1")
    assert (by_id["A2"]["decision"], by_id["A2"]["match_count"]) == ("clear", "0")
    assert by_id["A2"]["best_match_name"] == ""
    assert by_id["A3"]["best_match_list"] == "SSI" and by_id["A3"]["decision"] == "match"
    assert by_id["A4"]["best_match_name"] == "Sensetime Group Limited"
    assert (by_id["A4"]["decision"], by_id["A4"]["best_score"]) == ("review", "0.9435")
    assert by_id["A5"]["best_match_list"] == "UVL"
    assert by_id["A6"]["best_match_id"] == "SDN:26565"
    assert all(r["error"] == "" for r in rows)
    # The snapshots screened against are named on every row and in the sidecar.
    snapshots = loaded.current_snapshots()
    ids = ",".join(str(s.id) for s in sorted(snapshots, key=lambda s: s.id))
    assert {r["snapshot_ids"] for r in rows} == {ids}
    meta = json.loads(meta_path(out).read_text())
    assert meta["snapshot_ids"] == [s.id for s in sorted(snapshots, key=lambda s: s.id)]
    assert {s["source"] for s in meta["snapshots"]} == {"csl", "starter"}
    assert meta["rows"] == summary.rows == 7
    assert meta["decisions"] == {"clear": 1, "review": 1, "match": 5, "error": 0}
    assert not PartialOutput(out).directory.exists()


@pytest.mark.parametrize("source_format", ["csv", "parquet", "jsonl"])
@pytest.mark.parametrize("out_format", ["csv", "parquet", "ndjson"])
def test_every_format_in_and_out_gives_the_same_results(loaded, tmp_path, source_format,
                                                        out_format):
    source = tmp_path / f"book.{source_format}"
    if source_format == "csv":
        write_csv(source, BOOK)
    elif source_format == "parquet":
        pq.write_table(pa.table({"id": [b[0] for b in BOOK], "name": [b[1] for b in BOOK],
                                 "country": [b[2] for b in BOOK]}), source)
    else:
        source.write_text("".join(json.dumps({"id": b[0], "name": b[1], "country": b[2]}) + "\n"
                                  for b in BOOK))
    out = tmp_path / f"out.{out_format}"
    run_batch(loaded, BatchOptions(source, out, workers=1))
    rows = read_rows(out)
    assert [(r["id"], r["name"], r["country"]) for r in rows] == BOOK
    reference = tmp_path / "reference.csv"
    run_batch(loaded, BatchOptions(write_csv(tmp_path / "ref.csv", BOOK), reference, workers=1))
    assert results_of(rows) == results_of(read_rows(reference))


def test_jsonl_values_come_back_unchanged(loaded, tmp_path):
    source = tmp_path / "book.jsonl"
    records = [{"id": 7, "name": "ABU REIHAN GROUP", "tags": ["x", 1], "vip": True},
               {"id": 8, "name": "Acme Widgets Ltd", "tags": None, "vip": False}]
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = tmp_path / "out.jsonl"
    run_batch(loaded, BatchOptions(source, out, workers=1))
    rows = read_rows(out)
    assert [{k: r[k] for k in ("id", "name", "tags", "vip")} for r in rows] == records
    assert rows[0]["best_match_id"] == "SDN:26565" and rows[1]["decision"] == "clear"
    as_csv = tmp_path / "out.csv"
    run_batch(loaded, BatchOptions(source, as_csv, workers=1))
    assert read_rows(as_csv)[0]["tags"] == '["x", 1]' and read_rows(as_csv)[0]["id"] == "7"


def test_min_score_lists_and_as_of_change_the_answers(loaded, tmp_path):
    source = write_csv(tmp_path / "book.csv", BOOK)

    def decisions(**options) -> dict[str, str]:
        out = tmp_path / "out.csv"
        run_batch(loaded, BatchOptions(source, out, workers=1, **options))
        return {r["id"]: r["decision"] for r in read_rows(out)}

    today = decisions()
    assert today["A4"] == "review" and today["A3"] == "match" and today["A7"] == "match"
    assert decisions(min_score=0.95)["A4"] == "clear"  # SenseTime scored 0.9435
    only_el = decisions(lists=frozenset({"EL"}))
    assert only_el["A1"] == "match" and only_el["A3"] == "clear" and only_el["A6"] == "clear"
    before = decisions(as_of=date(2019, 1, 1))
    assert before["A7"] == "clear" and before["A1"] == "match"  # Gulf Gate listed 2016
    assert json.loads(meta_path(tmp_path / "out.csv").read_text())["as_of"] == "2019-01-01"


def test_bad_rows_are_reported_with_a_reason_and_never_dropped(loaded, tmp_path):
    source = tmp_path / "bad.csv"
    lines = [
        b"id,name,country,note",
        b"1,Gulf Gate Shipping Co LLC,AE,fine",
        b"2,,US,empty name",
        b"3," + b"A" * 5000 + b",US,huge name",
        b"4,ABU REIHAN GROUP,ZZ,unknown country",
        b"5,Gulf Gate \xff\xfe Shipping,AE,broken bytes",
        b"6,ABU REIHAN GROUP,IR,one,field,too,many",
        b"7," + b"B" * 1_100_000 + b",US,line too long to read",
        b"8,ABU REIHAN GROUP,IR,last",
    ]
    source.write_bytes(b"\r\n".join(lines) + b"\r\n")
    out = tmp_path / "out.parquet"
    summary = run_batch(loaded, BatchOptions(source, out, id_column="id", workers=1))
    rows = read_rows(out)
    assert len(rows) == 8 and summary.rows == 8
    errors = {r["id"] or f"row{n}": r["error"] for n, r in enumerate(rows, 1)
              if r["decision"] == "error"}
    assert [r["decision"] for r in rows if r["id"] in ("1", "8")] == ["match", "match"]
    assert errors["2"] == "name: is empty"
    assert errors["3"] == "name: is 5000 characters long; the limit is 1000"
    assert errors["4"] == "country: 'ZZ' is not an ISO 3166-1 country code"
    assert errors["5"] == ("line 6: bytes that are not UTF-8 in column(s) 'name' "
                           "(shown as U+FFFD)")
    assert rows[4]["name"] == "Gulf Gate \ufffd\ufffd Shipping"
    assert errors["6"] == "line 7: 7 fields, the header has 4"
    assert errors["row7"] == "line 8: longer than 1,000,000 characters; not read"
    assert all(r["match_count"] is None for r in rows if r["decision"] == "error")
    assert summary.decisions["error"] == 6
    assert [e["id"] for e in summary.error_sample] == ["2", "3", "4", "5", "6", ""]


def invoke(*args: str):
    return runner.invoke(app, ["batch", *args])


def test_fail_fast_errors_name_the_problem_and_do_no_work(loaded, tmp_path):
    book = write_csv(tmp_path / "book.csv", BOOK)
    csv_as_parquet = tmp_path / "fake.parquet"
    csv_as_parquet.write_bytes(book.read_bytes())
    binary_csv = tmp_path / "binary.csv"
    binary_csv.write_bytes(b"PAR1\x00\x01\x02" * 100)
    no_name = write_csv(tmp_path / "no-name.csv", [("1", "x")], header=("id", "company"))
    out = tmp_path / "out.csv"
    cases = [
        (["--name-column", "company", str(book)], "name_column: ", "has no column 'company'"),
        ([str(no_name)], "name_column: ", "(columns: id, company)"),
        ([str(csv_as_parquet)], "input: ", "is not a Parquet file: it holds text"),
        ([str(binary_csv)], "input: ", "is binary"),
        ([str(tmp_path / "book.txt")], "input: ", "does not exist"),
        ([str(book), "--country-column", "nation"], "country_column: ", "no column 'nation'"),
        ([str(book), "--id-column", "ref"], "id_column: ", "no column 'ref'"),
        ([str(book), "--lists", "EL,NOPE"], "lists: ", "unknown list code(s) NOPE"),
        ([str(book), "--as-of", "2019-02-30"], "as_of: ", "not a real calendar date"),
    ]
    for args, field, message in cases:
        result = invoke(*args, "--out", str(out))
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert result.stderr.startswith(f"error: {field}"), (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
    same = invoke(str(book), "--out", str(book))
    assert same.exit_code == 2 and "is the input file" in same.stderr
    unknown = invoke(str(book), "--out", str(tmp_path / "out.xlsx"))
    assert unknown.exit_code == 2 and "unknown extension '.xlsx'" in unknown.stderr
    (tmp_path / "book.txt").write_text("id,name\n1,x\n")
    text_in = invoke(str(tmp_path / "book.txt"), "--out", str(out))
    assert text_in.exit_code == 2 and "unknown extension '.txt'" in text_in.stderr
    score = invoke(str(book), "--out", str(out), "--min-score", "1.5")
    assert score.exit_code == 2 and "--min-score" in score.output
    assert not out.exists() and not PartialOutput(out).directory.exists()
    assert book.read_bytes().startswith(b"id,name,country")


def test_cli_prints_a_summary_and_writes_the_sidecar(loaded, tmp_path):
    book = write_csv(tmp_path / "book.csv", [*BOOK, ("A8", "", "US")])
    out = tmp_path / "out.parquet"
    result = invoke(str(book), "--out", str(out), "--id-column", "id", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "Screened 8 rows" in result.stdout
    assert "1 clear, 1 review, 5 match, 1 error" in result.stdout
    assert "row 8 (id A8): name: is empty" in result.stdout
    assert "peak memory" in result.stdout
    as_json = invoke(str(book), "--out", str(out), "--json", "--workers", "1")
    assert json.loads(as_json.stdout)["decisions"]["error"] == 1


def varied_book(count: int) -> list[tuple[str, str, str]]:
    """Deterministic rows mixing exact and altered listed names, unlisted names and bad rows."""
    listed = [r[1] for r in BOOK] + ["ADP, S.C.", "GAZPROM VNIIGAZ", "Gunther Migeotte",
                                     "7TH OF TIR INDUSTRIES", "huawei technologies co"]
    words = ["Nordic", "Pacific", "Trading", "Holdings", "Optics", "Marine", "Alpine", "Logistics"]
    rows = []
    for n in range(count):
        kind = n % 9
        if kind in (0, 4):
            name = listed[n % len(listed)]
        elif kind == 7:
            name = listed[n % len(listed)].upper().replace(",", "")
        elif kind == 8 and n % 5 == 0:
            name = ""
        else:
            name = f"{words[n % 8]} {words[(n // 8) % 8]} {n} Ltd"
        rows.append((f"R{n:05d}", name, ["CN", "US", "", "RU", "AE"][n % 5]))
    return rows


def test_workers_give_the_single_worker_and_single_name_answers(loaded, tmp_path):
    source = write_csv(tmp_path / "book.csv", varied_book(800))
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    run_batch(loaded, BatchOptions(source, one, workers=1, chunk_size=50))
    summary = run_batch(loaded, BatchOptions(source, two, workers=2, chunk_size=50))
    assert one.read_bytes() == two.read_bytes()
    assert summary.memory.processes >= 3  # the parent and two workers were measured
    screener = screener_for(loaded, None)
    options = RowOptions("name", "country", None, None, "")
    for row in read_rows(two):
        if row["decision"] == "error":
            with pytest.raises(InputError):
                screen_one(screener, row["name"], row["country"], options)
            continue
        result = screen_one(screener, row["name"], row["country"], options)
        best = result.matches[0] if result.matches else None
        assert row["decision"] == result.decision
        assert int(row["match_count"]) == len(result.matches)
        assert row["best_match_id"] == (best.entry.key if best else "")
        assert (float(row["best_score"]) if best else row["best_score"]) == \
            (round(best.score, 4) if best else "")


def interrupt_after(parts: int):
    """A progress callback that stops the run (as Ctrl-C would) after some parts."""
    def report(phase: str, done: int, total):
        if phase == "screening" and done >= parts * 100:
            raise KeyboardInterrupt
    return report


def test_a_changed_input_or_option_refuses_to_resume_unless_restarted(loaded, tmp_path):
    source = write_csv(tmp_path / "book.csv", varied_book(300))
    out = tmp_path / "out.csv"
    options = BatchOptions(source, out, workers=1, chunk_size=100)
    with pytest.raises(KeyboardInterrupt):
        run_batch(loaded, options, interrupt_after(2))
    assert not out.exists()
    assert PartialOutput(out).load().rows_done == 200
    with pytest.raises(InputError, match="differs in: options; rerun with --restart"):
        run_batch(loaded, BatchOptions(source, out, workers=1, chunk_size=100, min_score=0.9))
    write_csv(source, varied_book(301))
    with pytest.raises(InputError, match="differs in: input;"):
        run_batch(loaded, options)
    result = invoke(str(source), "--out", str(out), "--chunk-size", "100")
    assert result.exit_code == 2 and "--restart" in result.stderr
    restarted = run_batch(loaded, BatchOptions(source, out, workers=1, chunk_size=100,
                                               resume=False))
    assert restarted.rows == 301 and restarted.rows_this_run == 301


def test_resume_after_an_interruption_continues_where_it_stopped(loaded, tmp_path):
    source = write_csv(tmp_path / "book.csv", varied_book(500))
    out, reference = tmp_path / "out.jsonl", tmp_path / "reference.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(loaded, BatchOptions(source, out, workers=1, chunk_size=100),
                  interrupt_after(3))
    resumed = run_batch(loaded, BatchOptions(source, out, workers=1, chunk_size=100))
    assert resumed.rows == 500 and resumed.rows_this_run == 200
    assert json.loads(meta_path(out).read_text())["resumed_from_row"] == 300
    run_batch(loaded, BatchOptions(source, reference, workers=1, chunk_size=100))
    assert out.read_bytes() == reference.read_bytes()


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_sigkill_mid_run_then_rerun_gives_exactly_the_uninterrupted_rows(loaded, tmp_path):
    source = write_csv(tmp_path / "book.csv", varied_book(5_000))
    out = tmp_path / "out.csv"
    command = [sys.executable, "-m", "exportguard", "batch", str(source), "--out", str(out),
               "--workers", "2", "--chunk-size", "100"]
    process = subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    partial = PartialOutput(out)
    deadline = time.monotonic() + 90
    workers: list[int] = []
    while time.monotonic() < deadline and process.poll() is None:
        checkpoint = partial.load()
        if checkpoint is not None and checkpoint.parts_done >= 4:
            workers = descendants(process.pid)[1:]
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = partial.load().rows_done
    assert 400 <= done < 5_000 and not out.exists()
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers), "workers outlived the killed run"

    again = subprocess.run(command, env=dict(os.environ), capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{done:,} rows were done by an earlier run" in again.stdout
    reference = tmp_path / "reference.csv"
    run_batch(loaded, BatchOptions(source, reference, workers=2, chunk_size=100))
    assert out.read_bytes() == reference.read_bytes()
    rows = read_rows(out)
    assert [r["id"] for r in rows] == [f"R{n:05d}" for n in range(5_000)]
    assert not partial.directory.exists()


def test_spark_without_pyspark_is_refused_before_any_work(loaded, tmp_path, monkeypatch):
    """Refused before the partial folder exists, so the same command on the local engine then
    runs instead of being refused as a changed resume."""
    import importlib.util

    find_spec = importlib.util.find_spec
    book = write_csv(tmp_path / "book.csv", BOOK)
    out = tmp_path / "out.csv"
    # only this patch is undone after the refusal: monkeypatch.undo() would also undo the
    # fixture's EXPORTGUARD_HOME and send the local run to the user's own database
    with monkeypatch.context() as patch:
        patch.setattr(importlib.util, "find_spec",
                      lambda name, *args: None if name == "pyspark" else find_spec(name, *args))
        refused = invoke(str(book), "--out", str(out), "--engine", "spark")
    assert refused.exit_code == 2
    assert refused.stderr == "error: engine: spark needs PySpark: pip install -e '.[spark]' " \
                             "(and Java 17+)\n"
    assert not PartialOutput(out).directory.exists()
    local = invoke(str(book), "--out", str(out), "--workers", "1")
    assert local.exit_code == 0, local.output
    assert len(read_rows(out)) == len(BOOK)
