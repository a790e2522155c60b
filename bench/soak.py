"""Soak test: screens at a fixed rate for a long time, then the audit chain checked.

    .venv/bin/python bench/soak.py --rate 300 --seconds 600 [--connections 16]

The server is `exportguard serve` (one worker) on a fresh SQLite store holding the
compact CSL of 2026-07-31; every screen is authenticated, rate-limited, audited and may open a
case. The client is open-loop: request k is due at start + k / rate whatever the answers before
it did (wrk 2's idea; wrk itself has no fixed rate), sent on one of `--connections` keep-alive
connections (raw HTTP/1.1 on asyncio, so the client costs little CPU); a request waiting for a
free connection counts its wait in its latency. Names cycle through 2,000 counterparties of
bench/_common.synthetic_book (seed 31). Every 10 s it samples the server's resident memory
(/proc/PID/status VmRSS). At the end: achieved rate, latency p50/p99/max, answers by status,
socket errors, RSS at start/end/max, and `exportguard audit verify` over the whole chain.
Exit 1 when any request failed or the chain does not verify.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import CSL_COMPACT, REPO_ROOT, entries_cached, synthetic_book
from service_load import EXPORTGUARD, _free_port, _run, _wait


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Client:
    """`connections` keep-alive HTTP/1.1 connections; a request takes a free one."""

    def __init__(self, port: int, secret: str, connections: int) -> None:
        self.port, self.secret = port, secret
        self.free: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = \
            asyncio.Queue()
        for _ in range(connections):
            self.free.put_nowait(None)  # opened at first use
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.socket_errors = 0

    async def post(self, path: str, body: bytes, due: float) -> None:
        conn = await self.free.get()
        try:
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = conn
            writer.write(
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Authorization: Bearer {self.secret}\r\nContent-Length: {len(body)}\r\n\r\n"
                .encode() + body)
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), 30)
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            self.statuses[int(status_line.split()[1])] += 1
            self.latencies.append(time.monotonic() - due)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, IndexError, ValueError):
            self.socket_errors += 1
            if conn is not None:
                conn[1].close()
            conn = None
        finally:
            self.free.put_nowait(conn)


async def _drive(client: Client, bodies: list[bytes], rate: float, seconds: float,
                 pid: int, rss: list[tuple[float, float]]) -> float:
    start = time.monotonic()
    tasks: set[asyncio.Task[None]] = set()
    total = int(rate * seconds)
    next_sample = start
    for k in range(total):
        due = start + k / rate
        now = time.monotonic()
        if now < due:
            await asyncio.sleep(due - now)
        if time.monotonic() >= next_sample:
            rss.append((time.monotonic() - start, _rss_mb(pid)))
            next_sample += 10
            print(f"{time.monotonic() - start:.0f} s: sent {k:,}, answered "
                  f"{len(client.latencies):,}, in flight {len(tasks):,}, errors "
                  f"{client.socket_errors}, RSS {rss[-1][1]:.0f} MB", file=sys.stderr)
        task = asyncio.create_task(client.post("/api/v1/screen", bodies[k % len(bodies)], due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    rss.append((time.monotonic() - start, _rss_mb(pid)))
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=300.0, help="screens per second")
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds at the rate first")
    args = parser.parse_args()
    book = synthetic_book(2000, entries_cached(), seed=31)
    bodies = [json.dumps({"name": name, "country": country or None, "customer_id": ref})
              .encode() for ref, name, country in book]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "EXPORTGUARD_HOME": work, "EXPORTGUARD_RATE_PER_SECOND": "100000"}
        print("loading the CSL...", file=sys.stderr)
        _run([str(EXPORTGUARD), "load", str(CSL_COMPACT), "--no-audit"], env)
        secret = json.loads(_run([str(EXPORTGUARD), "keys", "create", "soak", "--role",
                                  "screener", "--json"], env))["secret"]
        port = _free_port()
        server = subprocess.Popen(
            [str(EXPORTGUARD), "serve", "--port", str(port), "--workers", "1"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(f"http://127.0.0.1:{port}/api/v1/health")
            print("serving; warming up", file=sys.stderr)
            warm = Client(port, secret, args.connections)
            asyncio.run(_drive(warm, bodies, args.rate, args.warmup, server.pid, []))
            client = Client(port, secret, args.connections)
            rss: list[tuple[float, float]] = []
            elapsed = asyncio.run(_drive(client, bodies, args.rate, args.seconds, server.pid,
                                         rss))
            alive = server.poll() is None
        finally:
            server.terminate()
            server.wait(30)
        verified = json.loads(subprocess.run(
            [str(EXPORTGUARD), "audit", "verify", "--json"], env=env, capture_output=True,
            text=True).stdout)
    ordered = sorted(client.latencies)
    done = len(ordered)
    bad = sum(n for status, n in client.statuses.items() if not 200 <= status < 300)
    print(f"\nSoak, {time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; SQLite; one "
          f"worker; CSL {CSL_COMPACT.name}; {args.connections} connections; load average "
          f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after\n")
    print(f"- target {args.rate:g} screens/s for {args.seconds:g} s (after {args.warmup:g} s of "
          f"warm-up): {done:,} answered in {elapsed:.1f} s = {done / elapsed:.1f}/s")
    if ordered:
        print(f"- latency from the due time: p50 {statistics.median(ordered) * 1000:.1f} ms, "
              f"p99 {ordered[int(done * 0.99) - 1] * 1000:.1f} ms, "
              f"p99.9 {ordered[max(0, int(done * 0.999) - 1)] * 1000:.1f} ms, "
              f"max {ordered[-1] * 1000:.1f} ms")
    print(f"- answers by status: {dict(sorted(client.statuses.items()))}; non-2xx {bad}; "
          f"socket errors {client.socket_errors}; server alive at the end: {alive}")
    print(f"- server RSS: {rss[0][1]:.0f} MB at the start, {rss[-1][1]:.0f} MB at the end, "
          f"max {max(r for _t, r in rss):.0f} MB (sampled every 10 s)")
    print(f"- audit chain after: {verified.get('records', 0):,} records, ok={verified.get('ok')}")
    print("- RSS samples (s, MB): " + ", ".join(f"{t:.0f}:{r:.0f}" for t, r in rss[::6]))
    failed = bad or client.socket_errors or not verified.get("ok") or not alive
    return 1 if failed else 0


if __name__ == "__main__":
    os.chdir(REPO_ROOT)
    sys.exit(main())
