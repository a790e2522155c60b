"""Batch screening on a Spark standalone cluster on this machine, beside the local engine and
Spark `local[2]` (`--runs local2,spark2`) on the same book in the same run.

A master and two workers (one core and 1 GiB each) are started from the PySpark install on
loopback, the batch is submitted with `spark-submit --master spark://127.0.0.1:PORT` as the
README tells a user (client mode, the driver reads the store and writes the output), and the
cluster is stopped at the end whatever happens. Every run is a fresh process on a synthetic
book (bench/batch.py's books) against the full reference CSL; the decisions of the three runs
must be equal.

    .venv/bin/python bench/spark_cluster.py --rows 100000 [--book mixed] [--port 7077] \
        [--runs local2,spark2]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import pyspark

from _common import CSL_COMPACT, REPO_ROOT, matcher_fingerprint
from batch import BOOKS, OUT, prepare_store, run, write_book

SPARK_HOME = Path(pyspark.__file__).parent
STARTED = 120.0


def _environment(env: dict[str, str], logs: Path) -> dict[str, str]:
    return {**env, "SPARK_HOME": str(SPARK_HOME), "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_DAEMON_MEMORY": "256m", "SPARK_LOG_DIR": str(logs),
            "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}


def _daemon(env: dict[str, str], log: Path, arguments: list[str]) -> subprocess.Popen:
    return subprocess.Popen([str(SPARK_HOME / "bin" / "spark-class"), *arguments], env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def _wait_for(log: Path, text: str, count: int) -> None:
    deadline = time.monotonic() + STARTED
    while time.monotonic() < deadline:
        if log.exists() and log.read_text(errors="replace").count(text) >= count:
            return
        time.sleep(0.5)
    raise SystemExit(f"the Spark cluster did not start; see {log}")


def _stop(process: subprocess.Popen) -> None:
    for sent, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


def submit(url: str, source: Path, env: dict[str, str], chunk_size: int) -> dict:
    output = OUT / f"batch-cluster-{source.stem}.parquet"
    main = REPO_ROOT / "src" / "exportguard" / "__main__.py"
    command = [str(SPARK_HOME / "bin" / "spark-submit"), "--master", url, "--deploy-mode",
               "client", "--conf", "spark.executor.memory=1g", "--conf",
               "spark.ui.enabled=false", str(main), "batch", str(source), "--out", str(output),
               "--engine", "spark", "--restart", "--json", "--chunk-size", str(chunk_size)]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    meta = json.loads(done.stdout[done.stdout.index("{"):])
    return {"run": "spark-cluster", "rows": meta["rows"], "wall_seconds": round(wall, 1),
            "rows_per_second": round(meta["rows"] / wall, 1), "decisions": meta["decisions"],
            "output": str(output)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--book", default="mixed", choices=BOOKS)
    parser.add_argument("--port", type=int, default=7077)
    parser.add_argument("--chunk-size", type=int, default=2_000)
    parser.add_argument("--runs", default="local2",
                        help="the runs beside the cluster's, of bench/batch.py's")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"book-{args.rows}-{args.book}.csv"
    write_book(args.rows, source, args.book)
    results = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="eg-bench-cluster-") as home:
        env = prepare_store(Path(home), REPO_ROOT / "src")
        for name in args.runs.split(","):
            results.append(run(name, source, env, args.chunk_size))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        spark_env = _environment(env, Path(home) / "logs")
        url = f"spark://127.0.0.1:{args.port}"
        daemons: list[subprocess.Popen] = []
        try:
            daemons.append(_daemon(spark_env, Path(home) / "master.log", [
                "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                str(args.port), "--webui-port", str(args.port + 1000)]))
            _wait_for(Path(home) / "master.log", "Starting Spark master", 1)
            for number in (1, 2):
                daemons.append(_daemon(spark_env, Path(home) / f"worker{number}.log", [
                    "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    "1", "--memory", "1500m", "--webui-port", str(args.port + 1000 + number),
                    "--work-dir", str(Path(home) / f"work{number}"), url]))
            _wait_for(Path(home) / "master.log", "Registering worker", 2)
            results.append(submit(url, source, spark_env, args.chunk_size))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        finally:
            for daemon in reversed(daemons):
                _stop(daemon)
    local = pq.read_table(OUT / f"batch-local2-this-{source.stem}.parquet")
    same = pq.read_table(results[-1]["output"]).equals(local)
    print(f"{args.rows:,} names ({args.book} book) against {CSL_COMPACT.name}; matcher "
          f"{matcher_fingerprint()}; load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after")
    print("| run | rows/s | wall s |")
    print("|---|---|---|")
    for r in results:
        print(f"| {r['run']} | {r['rows_per_second']:,.0f} | {r['wall_seconds']:,.1f} |")
    print(f"cluster output equal to the local engine's: {same}; decisions "
          f"{[r['decisions'] for r in results]}")


if __name__ == "__main__":
    main()
