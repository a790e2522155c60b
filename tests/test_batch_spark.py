"""The Spark engine in local mode (`local[2]`, one session for the module) gives the local
engine's and the single-name call's answers, row for row, in input order."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from exportguard.batch import BatchOptions, meta_path, run_batch
from exportguard.batch.checkpoint import PartialOutput
from exportguard.batch.rows import RESULT_COLUMNS, RowOptions, screen_one
from exportguard.batch.spark import spark_session
from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.screening.loaded import screener_for
from tests.test_batch import read_rows, varied_book, write_csv


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    session, _ = spark_session(2, tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


def test_spark_equals_local_engine_and_single_name_screening(spark, loaded, tmp_path):
    rows = varied_book(300)
    rows[5] = ("R00005", "Gulf Gate Shipping Co LLC", "ZZ")  # unknown country
    source = write_csv(tmp_path / "book.csv", rows)
    by_spark, by_local = tmp_path / "spark.parquet", tmp_path / "local.parquet"
    summary = run_batch(loaded, BatchOptions(source, by_spark, engine="spark", workers=2,
                                             chunk_size=64))
    run_batch(loaded, BatchOptions(source, by_local, workers=1, chunk_size=64))
    assert pq.read_table(by_spark).equals(pq.read_table(by_local))
    table = pq.read_table(by_spark).to_pylist()
    assert [(r["id"], r["name"], r["country"]) for r in table] == rows
    decisions = summary.decisions  # every decision occurs: 6 empty names and the bad country
    assert decisions["match"] >= 15 and decisions["review"] >= 30 and decisions["error"] == 7
    assert table[5]["error"] == "country: 'ZZ' is not an ISO 3166-1 country code"
    screener = screener_for(loaded, None)
    options = RowOptions("name", "country", None, None, "")
    for row in table:
        if row["decision"] == "error":
            with pytest.raises(InputError):
                screen_one(screener, row["name"], row["country"], options)
            continue
        result = screen_one(screener, row["name"], row["country"], options)
        best = result.matches[0] if result.matches else None
        assert (row["match_count"], row["decision"]) == (len(result.matches), result.decision)
        assert (row["best_match_name"], row["best_match_list"], row["best_match_id"],
                row["best_score"]) == ((best.entry.name, best.entry.list_code, best.entry.key,
                                        round(best.score, 4)) if best else (None,) * 4)
    meta = json.loads(meta_path(by_spark).read_text())
    assert meta["engine"] == "spark" and meta["rows"] == 300
    assert not PartialOutput(by_spark).directory.exists()


def test_spark_through_the_cli_with_options_and_bad_rows(spark, loaded, tmp_path):
    source = tmp_path / "book.jsonl"
    records = [{"id": 1, "name": "Gulf Gate Shipping Co LLC", "country": "AE"},
               {"id": 2, "name": "GAZPROMBANK OAO", "country": "RU"},
               {"id": 3, "name": ""},
               {"id": 4, "name": "ABU REIHAN GROUP", "country": "IR"}]
    source.write_bytes(b"\n".join([*(json.dumps(r).encode() for r in records),
                                   b'{"id": 5, "name": "bad \xff bytes"}']) + b"\n")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["batch", str(source), "--out", str(out), "--engine",
                                      "spark", "--lists", "EL,SSI", "--id-column", "id"])
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", ""]
    assert [r["decision"] for r in rows] == ["match", "match", "error", "clear", "error"]
    assert rows[0]["best_match_id"] == "EL:n57b81aae9062b899"
    assert rows[2]["error"] == "name: is empty"
    assert rows[4]["error"] == "line 5: invalid UTF-8 byte 0xff at byte 23"
    assert "spark engine" in result.stdout


def test_spark_resume_skips_the_stages_already_done(spark, loaded, tmp_path):
    source = write_csv(tmp_path / "book.csv", varied_book(200))
    out, reference = tmp_path / "out.csv", tmp_path / "reference.csv"

    def stop_while_writing(phase: str, done: int, total) -> None:
        if phase == "writing":
            raise KeyboardInterrupt

    options = BatchOptions(source, out, engine="spark", workers=2, chunk_size=50)
    with pytest.raises(KeyboardInterrupt):
        run_batch(loaded, options, stop_while_writing)
    assert PartialOutput(out).load().extra["spark"] == "screened" and not out.exists()
    phases: list[str] = []
    run_batch(loaded, options, lambda phase, done, total: phases.append(phase))
    assert "screening" not in phases and "staging" not in phases  # Spark did not run again
    run_batch(loaded, BatchOptions(source, reference, workers=1, chunk_size=50))
    assert out.read_bytes() == reference.read_bytes()
    assert list(read_rows(out)[0])[-len(RESULT_COLUMNS):] == list(RESULT_COLUMNS)
