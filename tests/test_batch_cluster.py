"""The Spark engine on a real standalone cluster: a master and two workers started from the
PySpark install on loopback, and the batch submitted with `spark-submit --master spark://...` as
the README tells a user. Same answers as the local engine, row for row. Skipped only when Java
(or PySpark) is absent; the cluster is stopped whatever the test's outcome."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from exportguard.batch import BatchOptions, meta_path, run_batch
from tests.test_batch import varied_book, write_csv

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (pip install '.[spark]')")
if shutil.which("java") is None:
    pytest.skip("Java is not installed: a Spark cluster needs a JVM (.ci/run installs "
                "default-jre-headless)", allow_module_level=True)

SPARK_HOME = Path(pyspark.__file__).parent
SRC = Path(__file__).resolve().parents[1] / "src"
STARTED = 90.0  # seconds for the master to listen and both workers to register


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(scratch: Path) -> dict[str, str]:
    """Loopback only, small daemons, this checkout's code for the executors' Python."""
    return {**os.environ, "SPARK_HOME": str(SPARK_HOME), "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_DAEMON_MEMORY": "256m", "SPARK_LOG_DIR": str(scratch / "logs"),
            "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC),
                                                        os.environ.get("PYTHONPATH")]))}


def _daemon(scratch: Path, name: str, arguments: list[str]) -> subprocess.Popen:
    """A master or worker JVM in its own process group (its executors and their Python workers
    join it), logging to SCRATCH/NAME.log."""
    log = (scratch / f"{name}.log").open("wb")
    return subprocess.Popen([str(SPARK_HOME / "bin" / "spark-class"), *arguments],
                            env=_environment(scratch), stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    """TERM, then KILL for whatever of its group (executors, Python workers) is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _wait_for(log: Path, text: str, count: int, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + STARTED
    while time.monotonic() < deadline:
        if log.exists() and log.read_text(errors="replace").count(text) >= count:
            return
        dead = [p for p in processes if p.poll() is not None]
        if dead:
            break
        time.sleep(0.5)
    raise AssertionError(f"the Spark cluster did not start: {log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """spark://127.0.0.1:PORT of a running master with two registered workers (1 core, 1 GiB
    each), and its scratch folder."""
    scratch = tmp_path_factory.mktemp("spark-cluster")
    port = _free_port()
    url = f"spark://127.0.0.1:{port}"
    processes: list[subprocess.Popen] = []
    try:
        processes.append(_daemon(scratch, "master", [
            "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
            "--webui-port", str(_free_port())]))
        _wait_for(scratch / "master.log", "Starting Spark master", 1, processes)
        for number in (1, 2):
            processes.append(_daemon(scratch, f"worker{number}", [
                "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                "--memory", "1g", "--webui-port", str(_free_port()),
                "--work-dir", str(scratch / f"work{number}"), url]))
        _wait_for(scratch / "master.log", "Registering worker", 2, processes)
        yield url, scratch
    finally:
        for process in reversed(processes):
            _stop(process)


def test_spark_submit_to_a_standalone_cluster_gives_the_local_engine_answers(
        cluster, loaded, tmp_path):
    url, scratch = cluster
    rows = varied_book(120)
    source = write_csv(tmp_path / "book.csv", rows)
    by_cluster, by_local = tmp_path / "cluster.parquet", tmp_path / "local.parquet"
    main = subprocess.run([sys.executable, "-c", "import exportguard, pathlib; print(pathlib.Path("
                           "exportguard.__file__).parent / '__main__.py')"],
                          env=_environment(scratch), capture_output=True, text=True,
                          check=True).stdout.strip()
    # The README's recipe: client mode, the executors' Python named by PYSPARK_PYTHON.
    done = subprocess.run(
        [str(SPARK_HOME / "bin" / "spark-submit"), "--master", url, "--deploy-mode", "client",
         "--conf", "spark.executor.memory=512m", "--conf", "spark.ui.enabled=false",
         main, "batch", str(source), "--out", str(by_cluster), "--engine", "spark"],
        env=_environment(scratch), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = run_batch(loaded, BatchOptions(source, by_local, workers=1))
    assert pq.read_table(by_cluster).equals(pq.read_table(by_local))
    assert summary.decisions["match"] >= 5 and summary.decisions["error"] >= 1
    assert '"engine": "spark"' in meta_path(by_cluster).read_text()
    # The rows were screened by executors of both workers, not in the driver.
    apps = [list((scratch / f"work{n}").glob("app-*/*/stderr")) for n in (1, 2)]
    assert all(apps), apps
