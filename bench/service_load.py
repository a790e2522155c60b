"""Load test of the HTTP service: sustained requests per second and latency for /api/v1/screen
and /api/v1/check with the full reference CSL loaded, from a second process on loopback.

    .venv/bin/python bench/service_load.py [--workers 1 2] [--seconds 30] [--connections 8] \
        [--reference /tmp/eg-main]

`--reference DIR` runs every configuration a second time with `DIR/src` first on the path (e.g.
a `git archive` of main), in the same run, so the two are measured under the same load.

The server is `exportguard serve` (uvicorn) on a fresh SQLite store holding the compact CSL of
2026-07-31; every request is authenticated, rate-limited, audited (one hash-chained record per
decision, committed before the answer) and may open a case, as in production. The load comes
from wrk (Debian package `wrk`) with a Lua script cycling through 2,000 synthetic-but-realistic
counterparty names (bench/_common.synthetic_book: real company names, recombinations, 2 %
variants of listed names). Prints one table row per endpoint and worker count: requests/s,
p50/p90/p99/max latency, non-2xx responses and socket errors, the server's CPU per request (its
processes' user + system time over the run: steadier than requests/s on a busy machine) and, at
one worker, how many decisions' records each group commit held (from /metrics). The load
generator and the server share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from _common import CSL_COMPACT, REPO_ROOT, entries_cached, synthetic_book

EXPORTGUARD = Path(sys.executable).with_name("exportguard")

LUA = r"""
local bodies = {}
local n = 0
for line in io.lines("%(bodies)s") do n = n + 1; bodies[n] = line end
local i = 0
request = function()
  i = i %% n + 1
  return wrk.format("POST", "%(path)s", {["Content-Type"] = "application/json",
                    ["Authorization"] = "Bearer %(secret)s"}, bodies[i])
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout


def _wait(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the service did not start: {url}")


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _parse_wrk(output: str) -> dict[str, float]:
    row: dict[str, float] = {}
    for label in ("50%", "90%", "99%"):
        found = re.search(rf"^\s+{label}\s+(\S+)", output, re.M)
        row[label] = _ms(found.group(1)) if found else float("nan")
    found = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", output)
    row["max"] = _ms(found.group(1)) if found else float("nan")
    row["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    row["non2xx"] = float(non2xx.group(1)) if non2xx else 0.0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    row["socket_errors"] = float(sum(int(g) for g in errors.groups())) if errors else 0.0
    row["requests"] = float(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return row


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the server and its worker processes so far (Linux)."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)],
                                                   capture_output=True, text=True).stdout.split()]
    total = 0.0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _group_commits(base: str) -> tuple[float, float] | None:
    """The group commit's transactions and records so far (/metrics of the worker that answers;
    None for code without it)."""
    text = httpx.get(f"{base}/metrics", timeout=10).text
    found = {name: float(value) for name, value in re.findall(
        r"^(exportguard_audit_group_(?:commits|records)) (\S+)$", text, re.M)}
    if len(found) != 2:
        return None
    return found["exportguard_audit_group_commits"], found["exportguard_audit_group_records"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--endpoints", nargs="+", default=["screen", "check"])
    parser.add_argument("--reference", type=Path, help="a checkout (its src/) to run beside "
                        "this one")
    parser.add_argument("--start-seconds", type=float, default=120.0,
                        help="how long a server may take to answer /health (a loaded machine "
                        "builds the index slowly)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    entries = entries_cached()
    book = synthetic_book(2000, entries, seed=23)
    rows = []
    codes = {"this": REPO_ROOT / "src"}
    if args.reference:
        codes["reference"] = args.reference / "src"
    for code, src in codes.items():
        rows += _measure(args, book, code, src)
    print(f"\nService load test, {time.strftime('%Y-%m-%d')}, {platform.node()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.connections} connections for {args.seconds} s; CSL {CSL_COMPACT.name}; "
          f"1-minute load average at the end {os.getloadavg()[0]:.2f}\n")
    print("| code | endpoint | workers | requests/s | p50 ms | p90 ms | p99 ms | max ms | "
          "requests | non-2xx | socket errors | server CPU ms/request | records/commit |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['code']} | {r['endpoint']} | {r['workers']} | {r['rps']:,.0f} | "
              f"{r['50%']:.1f} | {r['90%']:.1f} | {r['99%']:.1f} | {r['max']:.1f} | "
              f"{r['requests']:,.0f} | {r['non2xx']:.0f} | {r['socket_errors']:.0f} | "
              f"{r['cpu_ms']:.2f} | {r['per_commit']:.1f} |")
    return 0


def _measure(args: argparse.Namespace, book: list, code: str, src: Path) -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "EXPORTGUARD_HOME": work, "EXPORTGUARD_RATE_PER_SECOND": "100000",
               "PYTHONPATH": str(src)}
        _run([str(EXPORTGUARD), "load", str(CSL_COMPACT)], env)
        secret = json.loads(_run([str(EXPORTGUARD), "keys", "create", "load", "--role",
                                  "screener", "--json"], env))["secret"]
        bodies = {
            "screen": [json.dumps({"name": name, "country": country or None,
                                   "customer_id": ref}) for ref, name, country in book],
            "check": [json.dumps({"destination": "CN", "item": "H20", "date": "2025-06-01",
                                  "parties": [{"name": name, "country": country or None}]})
                      for _ref, name, country in book],
        }
        for workers in args.workers:
            port = _free_port()
            server = subprocess.Popen(
                [str(EXPORTGUARD), "serve", "--port", str(port), "--workers", str(workers)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                base = f"http://127.0.0.1:{port}"
                _wait(f"{base}/api/v1/health", args.start_seconds)
                for endpoint in args.endpoints:
                    body_file = Path(work) / f"{endpoint}.txt"
                    body_file.write_text("\n".join(bodies[endpoint]) + "\n", encoding="utf-8")
                    script = Path(work) / f"{endpoint}.lua"
                    script.write_text(LUA % {"bodies": body_file, "path": f"/api/v1/{endpoint}",
                                             "secret": secret}, encoding="utf-8")
                    # Warm every worker's index and caches, then measure.
                    subprocess.run(["wrk", "-t2", f"-c{args.connections}", "-d20s",
                                    "--timeout", "60s", "-s", str(script), base],
                                   check=True, capture_output=True)
                    groups = _group_commits(base)
                    cpu = _tree_cpu(server.pid)
                    output = subprocess.run(
                        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s",
                         "--timeout", "10s", "--latency", "-s", str(script), base],
                        check=True, capture_output=True, text=True).stdout
                    cpu = _tree_cpu(server.pid) - cpu
                    row = _parse_wrk(output)
                    row["cpu_ms"] = cpu / max(row["requests"], 1) * 1000
                    after = _group_commits(base)
                    row["per_commit"] = (
                        (after[1] - groups[1]) / max(after[0] - groups[0], 1)
                        if after is not None and groups is not None and workers == 1
                        else float("nan"))
                    row.update(endpoint=endpoint, workers=workers, code=code)  # type: ignore[arg-type]
                    rows.append(row)
                    print(f"{code} {endpoint} x{workers}: {row['rps']:.0f}/s", file=sys.stderr)
                audit = _run([str(EXPORTGUARD), "audit", "verify", "--json"], env)
                verified = json.loads(audit)
                print(f"audit chain after x{workers}: {verified['records']:,} records, "
                      f"ok={verified['ok']}", file=sys.stderr)
            finally:
                server.terminate()
                server.wait(30)
    return rows


if __name__ == "__main__":
    os.chdir(REPO_ROOT)
    sys.exit(main())
