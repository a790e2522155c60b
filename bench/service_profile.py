"""The service's request path in one process, without HTTP: /api/v1/screen or /check called as
ASGI on the app `exportguard serve` runs (every middleware, the key, the rate, the case and the
audit record), one request after another (or `--concurrency` at a time), with the full compact
CSL loaded. Prints the process's CPU per request (every thread: the screens and the audit writer)
and, with `--profile`, cProfile's top lines of the event loop's thread (cumulative and own CPU
time).

    .venv/bin/python bench/service_profile.py [--endpoint screen] [--requests 2000] \
        [--warmup 300] [--concurrency 8] [--home DIR] [--profile] [--top 30] [--dump FILE]

`--home DIR` keeps the data directory (the loaded CSL and its index) between runs; run the script
with another tree's `src` first on PYTHONPATH to compare code in the same home (a home made by
one tree is read by the other when their migrations agree).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import CSL_COMPACT, entries_cached, synthetic_book

EXPORTGUARD = Path(sys.executable).with_name("exportguard")


def _prepare(home: Path) -> str:
    """The data directory with the CSL loaded and a screener key; the key's secret."""
    env = {**os.environ, "EXPORTGUARD_HOME": str(home)}
    secret_file = home / "bench-key.txt"
    if not secret_file.exists():
        subprocess.run([str(EXPORTGUARD), "load", str(CSL_COMPACT)], env=env, check=True,
                       capture_output=True)
        made = subprocess.run([str(EXPORTGUARD), "keys", "create", "bench", "--role",
                               "screener", "--json"], env=env, check=True, capture_output=True,
                              text=True).stdout
        secret_file.write_text(json.loads(made)["secret"], encoding="utf-8")
    return secret_file.read_text(encoding="utf-8").strip()


def _bodies(endpoint: str, n: int) -> list[bytes]:
    book = synthetic_book(max(n, 2000), entries_cached(), seed=23)
    if endpoint == "screen":
        return [json.dumps({"name": name, "country": country or None,
                            "customer_id": ref}).encode() for ref, name, country in book]
    return [json.dumps({"destination": "CN", "item": "H20", "date": "2025-06-01",
                        "parties": [{"name": name, "country": country or None}]}).encode()
            for _ref, name, country in book]


async def _call(app, path: str, secret: str, body: bytes) -> int:  # type: ignore[no-untyped-def]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "server": ("127.0.0.1", 8000),
             "client": ("127.0.0.1", 50000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"),
                         (b"authorization", f"Bearer {secret}".encode()),
                         (b"content-length", str(len(body)).encode())]}
    sent = False
    status = [0]

    async def receive():  # type: ignore[no-untyped-def]
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message):  # type: ignore[no-untyped-def]
        if message["type"] == "http.response.start":
            status[0] = message["status"]

    await app(scope, receive, send)
    return status[0]


def _watch_full_collections() -> list[float]:
    """CPU ms (this thread) of each full garbage collection from now on."""
    import gc

    started: list[float] = []
    spent: list[float] = []

    def on_gc(phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.thread_time()]
        elif started:
            spent.append((time.thread_time() - started[0]) * 1000)

    gc.callbacks.append(on_gc)
    return spent


async def _run(args: argparse.Namespace, secret: str) -> None:
    from exportguard.service.main import app  # the app `exportguard serve` runs

    path = f"/api/v1/{args.endpoint}"
    bodies = _bodies(args.endpoint, args.requests + args.warmup)
    async with app.router.lifespan_context(app):
        for body in bodies[:args.warmup]:
            assert await _call(app, path, secret, body) == 200
        measured = bodies[args.warmup:args.warmup + args.requests]
        clock = time.perf_counter if args.wall else time.process_time
        profile = cProfile.Profile(clock) if args.profile else None

        async def client(share: list[bytes]) -> None:
            for body in share:
                status = await _call(app, path, secret, body)
                assert status == 200, status

        shares = [measured[k::args.concurrency] for k in range(args.concurrency)]
        full = _watch_full_collections()
        cpu, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        await asyncio.gather(*(client(share) for share in shares))
        if profile:
            profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        writer = getattr(app.state.service, "groups", None)
        if writer is not None:
            print(f"group commit: {writer.records:,} records in {writer.groups:,} "
                  "transactions (warm-up included)")
    n = len(measured)
    print(f"full garbage collections during the run: {len(full)}, CPU ms each: "
          f"{[round(ms, 1) for ms in full]}")
    print(f"{args.endpoint}: {n} requests, {args.concurrency} at a time, CPU (all threads) "
          f"{cpu / n * 1000:.3f} ms/request, wall "
          f"{wall / n * 1000:.3f} ms/request ({n / wall:,.0f}/s)")
    if profile and args.dump:
        profile.dump_stats(args.dump)
    if profile:
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(key).print_stats(args.top)
            print(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", choices=("screen", "check"), default="screen")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1,
                        help="requests in flight at once (wrk's connections)")
    parser.add_argument("--home", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--wall", action="store_true", help="profile wall time, not CPU")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--dump", type=Path, help="with --profile: also write the pstats file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch)
        home.mkdir(parents=True, exist_ok=True)
        secret = _prepare(home)
        os.environ["EXPORTGUARD_HOME"] = str(home)
        os.environ["EXPORTGUARD_RATE_PER_SECOND"] = "100000"
        os.environ.setdefault("EXPORTGUARD_SERVICE", "1")
        asyncio.run(_run(args, secret))
    return 0


if __name__ == "__main__":
    sys.exit(main())
