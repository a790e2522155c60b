"""Where a slow request of the service spends its time: the service (`exportguard serve`'s app,
one uvicorn worker) run with a per-request trace, under wrk load as in bench/service_load.py.

    .venv/bin/python bench/service_trace.py [--endpoint check] [--runs 3] [--seconds 30] \
        [--slow-ms 100] [--home DIR]

The server process wraps, without changing them, the stages of a request: the key lookup
(`ServiceState.principal`), the rate limit (`RateLimiter.take`), the decision (`prepare_check` /
`prepare_screen`, on the loop or in a thread), the wait for the group commit and the JSON
rendering; and it records events of the whole process with their start and end: each group
commit (records, seconds, the WAL file's size before and after: a shrink is a checkpoint),
garbage collections, screener builds, generation checks (`_refresh`) and the event loop's lag
(a 5 ms ticker that wakes late). For every request slower than `--slow-ms`, it writes the
stages' timestamps, the process CPU and the loop thread's run-queue wait (from
/proc/self/task/TID/schedstat: time the thread was runnable but the machine gave it no core)
during the request, and the events that overlap it. The driver prints per run wrk's
percentiles and a summary of the slow requests: which stage and which overlapping events
account for their time.

Run the script with another tree's `src` first on PYTHONPATH to trace that tree.
"""

from __future__ import annotations

import argparse
import contextvars
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import CSL_COMPACT, REPO_ROOT, entries_cached, synthetic_book

EXPORTGUARD = Path(sys.executable).with_name("exportguard")
_TRACE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("trace", default=None)


# --- the server side ------------------------------------------------------------------------

def _schedstat() -> tuple[float, float]:
    """(seconds on a core, seconds runnable but waiting for one) of the calling thread."""
    try:
        text = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat").read_text()
        on_cpu, waiting, _slices = text.split()
        return int(on_cpu) / 1e9, int(waiting) / 1e9
    except OSError:
        return float("nan"), float("nan")


class Recorder:
    def __init__(self, out: Path, slow: float) -> None:
        self.out = out
        self.slow = slow
        self.events: list[tuple[str, float, float, dict]] = []  # (kind, start, end, detail)
        self.lock = threading.Lock()
        self.count = 0
        self.slow_count = 0
        self.full_gcs: list[float] = []  # ms of each full collection

    def event(self, kind: str, start: float, end: float, **detail: object) -> None:
        with self.lock:
            self.events.append((kind, start, end, detail))
            if len(self.events) > 200_000:
                del self.events[:100_000]

    def overlapping(self, start: float, end: float) -> list[dict]:
        with self.lock:
            found = [e for e in self.events if e[2] >= start and e[1] <= end]
        return [{"kind": k, "start_ms": round((s - start) * 1000, 2),
                 "ms": round((e - s) * 1000, 2), **d} for k, s, e, d in found]

    def finish(self, trace: dict) -> None:
        self.count += 1
        total = trace["end"] - trace["start"]
        if total < self.slow:
            return
        self.slow_count += 1
        start = trace["start"]
        record = {
            "path": trace["path"], "total_ms": round(total * 1000, 2),
            "stages_ms": {k: round((v - start) * 1000, 2) for k, v in trace["marks"]},
            "cpu_ms": round((trace["cpu_end"] - trace["cpu"]) * 1000, 2),
            "loop_runqueue_wait_ms": round((trace["wait_end"] - trace["wait"]) * 1000, 2),
            "events": [e for e in self.overlapping(start, trace["end"])
                       if e["kind"] != "lag" or e["ms"] >= 5],
        }
        with self.out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")

    def totals(self) -> None:
        """The process's full collections and checkpoints so far, to `out`.totals.json."""
        with self.lock:
            checkpoints = [round((e - s) * 1000, 1) for k, s, e, _ in self.events
                           if k == "checkpoint"]
        Path(f"{self.out}.totals.json").write_text(json.dumps(
            {"requests": self.count, "full_gc_ms": self.full_gcs,
             "checkpoint_commit_ms": checkpoints}))


def _mark(name: str) -> None:
    trace = _TRACE.get()
    if trace is not None:
        trace["marks"].append((name, time.perf_counter()))


def _install(recorder: Recorder) -> None:
    """Wrap the request's stages (the code itself is unchanged)."""
    import asyncio

    from exportguard import audit_group
    from exportguard.service import api, app, operations, state

    guard_call = app.RequestGuard.__call__

    async def traced_call(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await guard_call(self, scope, receive, send)
        _cpu, wait = _schedstat()
        trace = {"path": scope["path"], "start": time.perf_counter(), "marks": [],
                 "cpu": time.process_time(), "wait": wait}
        token = _TRACE.set(trace)

        async def send_traced(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                _mark("response_start")
            await send(message)

        try:
            await guard_call(self, scope, receive, send_traced)
        finally:
            trace["end"] = time.perf_counter()
            trace["cpu_end"] = time.process_time()
            trace["wait_end"] = _schedstat()[1]
            _TRACE.reset(token)
            recorder.finish(trace)

    app.RequestGuard.__call__ = traced_call  # type: ignore[method-assign]

    def staged(owner, name, before, after=None):  # type: ignore[no-untyped-def]
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            _mark(before)
            try:
                return original(*args, **kwargs)
            finally:
                _mark(after or f"{before}_done")

        setattr(owner, name, wrapper)

    staged(state.ServiceState, "principal", "auth")
    staged(state.RateLimiter, "take", "rate")
    staged(operations, "prepare_check", "decide")
    staged(operations, "prepare_screen", "decide")
    render = app.Json.render

    def traced_render(self, content):  # type: ignore[no-untyped-def]
        _mark("json")
        try:
            return render(self, content)
        finally:
            _mark("json_done")

    app.Json.render = traced_render  # type: ignore[method-assign]
    commit_async = operations.Decided.commit_async

    async def traced_commit(self, state_):  # type: ignore[no-untyped-def]
        _mark("commit_queued")
        try:
            return await commit_async(self, state_)
        finally:
            _mark("committed")

    operations.Decided.commit_async = traced_commit  # type: ignore[method-assign]
    threadpool = api.run_in_threadpool

    async def traced_threadpool(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        _mark("thread")
        try:
            return await threadpool(func, *args, **kwargs)
        finally:
            _mark("thread_done")

    api.run_in_threadpool = traced_threadpool

    shm = next(Path(os.environ["EXPORTGUARD_HOME"]).glob("**/exportguard.db-shm"), None)

    def backfilled() -> int:
        """Frames of the WAL copied into the database so far (the wal-index's nBackfill): it
        moves when a commit ran a checkpoint."""
        if shm is None:
            return -1
        with shm.open("rb") as handle:
            handle.seek(96)
            return int.from_bytes(handle.read(4), "little")

    run_group = audit_group.run_group

    def traced_group(store, works, stats):  # type: ignore[no-untyped-def]
        before, start = backfilled(), time.perf_counter()
        try:
            return run_group(store, works, stats)
        finally:
            after = backfilled()
            end = time.perf_counter()
            recorder.event("group_commit", start, end, records=len(works))
            if after != before:
                recorder.event("checkpoint", start, end, frames=after)

    audit_group.run_group = traced_group

    refresh = state.ServiceState._refresh

    def traced_refresh(self):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        checked = self._checked
        try:
            return refresh(self)
        finally:
            if self._checked != checked:
                recorder.event("generation_check", start, time.perf_counter())

    state.ServiceState._refresh = traced_refresh  # type: ignore[method-assign]
    screener_for = state.screener_for

    def traced_screener_for(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return screener_for(*args, **kwargs)
        finally:
            recorder.event("screener_build", start, time.perf_counter(),
                           thread=threading.current_thread().name)

    state.screener_for = traced_screener_for

    gc_started: dict[int, float] = {}

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[info["generation"]] = time.perf_counter()
        else:
            begun = gc_started.pop(info["generation"], None)
            if begun is not None:
                end = time.perf_counter()
                recorder.event("gc", begun, end, generation=info["generation"],
                               collected=info["collected"])
                if info["generation"] == 2:
                    recorder.full_gcs.append(round((end - begun) * 1000, 1))

    gc.callbacks.append(on_gc)

    async def ticker() -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            late = time.perf_counter() - start - 0.005
            if late > 0.002:
                recorder.event("lag", start + 0.005, start + 0.005 + late)

    lifespan = app.FastAPI  # noqa: F841 - the ticker starts with the first request below
    started = []

    async def start_ticker(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if not started:
            started.append(asyncio.get_running_loop().create_task(ticker()))
        return await traced_call(self, scope, receive, send)

    app.RequestGuard.__call__ = start_ticker  # type: ignore[method-assign]


def serve(port: int, out: Path, slow_ms: float) -> None:
    import uvicorn

    recorder = Recorder(out, slow_ms / 1000)
    _install(recorder)
    from exportguard.service.main import app  # the app `exportguard serve` runs

    @app.get("/trace-totals", include_in_schema=False)
    def totals(reset: bool = False) -> dict:
        recorder.totals()
        if reset:
            with recorder.lock:
                recorder.full_gcs.clear()
                recorder.events = [e for e in recorder.events if e[0] != "checkpoint"]
        return {}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                proxy_headers=False)


# --- the driver ---------------------------------------------------------------------------


def _summary(path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    if not rows:
        return {"slow": 0}
    stages: dict[str, list[float]] = {}
    for row in rows:
        marks = sorted(row["stages_ms"].items(), key=lambda kv: kv[1])
        previous = ("start", 0.0)
        for name, at in marks:
            stages.setdefault(f"{previous[0]}->{name}", []).append(at - previous[1])
            previous = (name, at)
        stages.setdefault(f"{previous[0]}->end", []).append(row["total_ms"] - previous[1])
    kinds: dict[str, list[float]] = {}
    for row in rows:
        for event in row["events"]:
            kinds.setdefault(event["kind"], []).append(event["ms"])
    return {
        "slow": len(rows),
        "total_ms_median": statistics.median(r["total_ms"] for r in rows),
        "total_ms_max": max(r["total_ms"] for r in rows),
        "cpu_ms_median": statistics.median(r["cpu_ms"] for r in rows),
        "runqueue_wait_ms_median": statistics.median(r["loop_runqueue_wait_ms"] for r in rows),
        "stage_gap_ms_median": {k: round(statistics.median(v), 2) for k, v in stages.items()},
        "stage_gap_ms_max": {k: round(max(v), 2) for k, v in stages.items()},
        "events_overlapping (count, median ms, max ms)": {
            k: (len(v), round(statistics.median(v), 2), round(max(v), 2))
            for k, v in kinds.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", choices=("screen", "check"), default="check")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--slow-ms", type=float, default=100.0)
    parser.add_argument("--home", type=Path, help="a data directory with the CSL loaded and "
                        "bench-key.txt (bench/service_profile.py --home makes one); copied")
    parser.add_argument("--keep", type=Path, help="where to keep the slow requests' traces")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.out, args.slow_ms)
        return 0
    from service_load import LUA, _free_port, _parse_wrk, _tree_cpu, _wait

    book = synthetic_book(2000, entries_cached(), seed=23)
    bodies = {
        "screen": [json.dumps({"name": name, "country": country or None, "customer_id": ref})
                   for ref, name, country in book],
        "check": [json.dumps({"destination": "CN", "item": "H20", "date": "2025-06-01",
                              "parties": [{"name": name, "country": country or None}]})
                  for _ref, name, country in book],
    }[args.endpoint]
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as work:
            home = Path(work) / "home"
            env = {**os.environ, "EXPORTGUARD_HOME": str(home),
                   "EXPORTGUARD_RATE_PER_SECOND": "100000", "EXPORTGUARD_SERVICE": "1"}
            if args.home:
                shutil.copytree(args.home, home)
                secret = (home / "bench-key.txt").read_text().strip()
            else:
                subprocess.run([str(EXPORTGUARD), "load", str(CSL_COMPACT)], env=env,
                               check=True, capture_output=True)
                secret = json.loads(subprocess.run(
                    [str(EXPORTGUARD), "keys", "create", "load", "--role", "screener",
                     "--json"], env=env, check=True, capture_output=True,
                    text=True).stdout)["secret"]
            out = Path(work) / "slow.jsonl"
            port = _free_port()
            server = subprocess.Popen(
                [sys.executable, __file__, "--serve", str(port), "--out", str(out),
                 "--slow-ms", str(args.slow_ms)], env=env)
            try:
                base = f"http://127.0.0.1:{port}"
                _wait(f"{base}/api/v1/health")
                body_file = Path(work) / "bodies.txt"
                body_file.write_text("\n".join(bodies) + "\n", encoding="utf-8")
                script = Path(work) / "load.lua"
                script.write_text(LUA % {"bodies": body_file, "path": f"/api/v1/{args.endpoint}",
                                         "secret": secret}, encoding="utf-8")
                subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.warmup}s",
                                "--timeout", "60s", "-s", str(script), base], check=True,
                               capture_output=True)
                out.unlink(missing_ok=True)
                import httpx

                httpx.get(f"{base}/trace-totals?reset=1", timeout=30)
                cpu = _tree_cpu(server.pid)
                output = subprocess.run(
                    ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout",
                     "10s", "--latency", "-s", str(script), base], check=True,
                    capture_output=True, text=True).stdout
                cpu = _tree_cpu(server.pid) - cpu
                row = _parse_wrk(output)
                httpx.get(f"{base}/trace-totals", timeout=30)
                totals = json.loads(Path(f"{out}.totals.json").read_text())
            finally:
                server.terminate()
                server.wait(30)
            print(f"run {run} ({args.endpoint}, load {os.getloadavg()[0]:.2f}): "
                  f"{row['rps']:.0f}/s p50 {row['50%']:.1f} p90 {row['90%']:.1f} "
                  f"p99 {row['99%']:.1f} max {row['max']:.1f} ms, "
                  f"CPU {cpu / max(row['requests'], 1) * 1000:.2f} ms/request")
            gcs = totals["full_gc_ms"]
            print(f"  whole run: {len(gcs)} full collections (ms: {gcs}), "
                  f"{len(totals['checkpoint_commit_ms'])} group commits that checkpointed "
                  f"(ms: {totals['checkpoint_commit_ms']})")
            print(json.dumps(_summary(out), indent=1))
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                if out.exists():
                    shutil.copy(out, args.keep / f"{args.endpoint}-run{run}.jsonl")
    return 0


if __name__ == "__main__":
    os.chdir(REPO_ROOT)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
