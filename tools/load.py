"""Load figures for the two ways the handbook is served: the local server (tools/serve.py) and
nginx with the shipped configuration, in the same run, on the same built site.

    python tools/load.py site/            # `make load`: builds the site first
    python tools/load.py site/ --quick    # a short run (the test of this script)

For 50 and 200 concurrent clients, each fetching pages (nine in ten requests) and the Python
runtime (one in ten, accepting gzip and brotli) over new connections for a fixed time: requests
per second, p50/p95/p99 latency for pages and for the runtime, errors and time-outs (30 s), and
the server's peak memory (resident, all its processes). Then 150 clients that ask for the
runtime and never read: how much the server grows, and whether another client is still served.

Goals (issue 13): 200 clients with no error and no time-out; page p99 under 1 s; memory bounded
(150 silent clients cost the server well under 100 MB). Prints a table; writes build/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from nginx_conf import standalone  # noqa: E402

PAGES = ["", "police/", "causes/", "channels/", "aid/", "search/search_index.json", "contact-strategy/", "glossary/"]
RUNTIME = "aid/pyodide/pyodide.asm.wasm"
TIMEOUT_S = 30.0
PREFIX = "/handbook/"
GOALS = {"errors_200": 0, "page_p99_ms_200": 1000.0, "silent_growth_mb": 100.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit(f"load: the server exited ({proc.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("load: the server never accepted a connection")


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (nginx's workers), in KB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class Sampler:
    """The server's peak resident memory while a run goes on (sampled every 50 ms)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, rss_kb(pid), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_kb(self.pid))

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


async def fetch(port: int, path: str, accept: str) -> tuple[bool, float, str]:
    """One GET on a new connection, the whole body read. (ok, seconds, what went wrong)."""
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(TIMEOUT_S):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: {accept}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            status = await reader.readline()
            while await reader.read(65536):
                pass
        ok = status.split(b" ")[1:2] == [b"200"]
        return ok, time.perf_counter() - started, "" if ok else f"status {status[:40]!r}"
    except TimeoutError:
        return False, time.perf_counter() - started, "time-out"
    except OSError as error:
        return False, time.perf_counter() - started, f"{type(error).__name__}"
    finally:
        if writer is not None:
            writer.close()


async def clients(port: int, base: str, count: int, seconds: float) -> dict:
    pages: list[float] = []
    runtime: list[float] = []
    problems: dict[str, int] = {}
    deadline = time.perf_counter() + seconds
    rng = random.Random(count)

    async def client() -> None:
        while time.perf_counter() < deadline:
            is_runtime = rng.random() < 0.1
            path = base + (RUNTIME if is_runtime else rng.choice(PAGES))
            ok, took, what = await fetch(port, path, "br, gzip" if is_runtime else "gzip")
            if ok:
                (runtime if is_runtime else pages).append(took)
            else:
                problems[what] = problems.get(what, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(count)))
    elapsed = time.perf_counter() - started
    return {"requests_per_s": round((len(pages) + len(runtime)) / elapsed, 1), "requests": len(pages) + len(runtime),
            "errors": sum(problems.values()), "timeouts": problems.get("time-out", 0), "problems": problems,
            "page_ms": percentiles(pages), "runtime_ms": percentiles(runtime)}


def percentiles(values: list[float]) -> dict[str, float | None]:
    if len(values) < 2:
        return {"p50": None, "p95": None, "p99": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49] * 1000, 1), "p95": round(cuts[94] * 1000, 1), "p99": round(cuts[98] * 1000, 1)}


def silent(port: int, base: str, pid: int, count: int) -> dict:
    """COUNT clients ask for the runtime and never read; does the server grow, and serve others?"""
    before = rss_kb(pid)
    sockets = []
    try:
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(f"GET {base}{RUNTIME} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sockets.append(s)
        ok, took, what = asyncio.run(fetch(port, base, "gzip"))
        time.sleep(1.0)  # let the server fill what buffers it will
        grown = (rss_kb(pid) - before) / 1024
    finally:
        for s in sockets:
            s.close()
    return {"clients": count, "growth_mb": round(grown, 1), "other_client_served": ok, "other_client_ms": round(took * 1000, 1)}


def measure(name: str, port: int, base: str, pid: int, levels: list[int], seconds: float, silent_count: int) -> dict:
    out: dict = {"server": name}
    for level in levels:
        with Sampler(pid) as sampler:
            result = asyncio.run(clients(port, base, level, seconds))
        result["peak_rss_mb"] = round(sampler.peak / 1024, 1)
        out[str(level)] = result
    out["silent"] = silent(port, base, pid, silent_count)
    return out


def run(site: Path, levels: list[int], seconds: float, silent_count: int) -> list[dict]:
    results = []
    port = free_port()
    local = subprocess.Popen([sys.executable, str(ROOT / "tools" / "serve.py"), "--port", str(port), str(site)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port, local)
        results.append(measure("tools/serve.py (waitress + WhiteNoise)", port, "/", local.pid, levels, seconds, silent_count))
    finally:
        local.terminate()
        local.wait(timeout=10)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("load: nginx is missing: `make load` installs it")
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        served = Path(work) / "handbook"
        shutil.copytree(site, served, symlinks=True)  # readable by nginx's workers wherever the site lives
        command = standalone(served, PREFIX, port, Path(work), nginx)
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port, proc)
            results.append(measure("nginx (deploy/nginx-handbook.conf.in)", port, PREFIX, proc.pid, levels, seconds, silent_count))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return results


def verdicts(results: list[dict], top: int) -> dict[str, bool]:
    out = {}
    for r in results:
        busiest = r[str(top)]
        out[f"{r['server']}: {top} clients, no error or time-out"] = busiest["errors"] == GOALS["errors_200"]
        p99 = busiest["page_ms"]["p99"]
        out[f"{r['server']}: page p99 under 1 s at {top} clients"] = p99 is not None and p99 < GOALS["page_p99_ms_200"]
        out[f"{r['server']}: {r['silent']['clients']} silent clients cost under 100 MB, others served"] = (
            r["silent"]["growth_mb"] < GOALS["silent_growth_mb"] and r["silent"]["other_client_served"])
    return out


def table(results: list[dict], levels: list[int]) -> str:
    lines = [f"{'server':42} {'clients':>7} {'req/s':>8} {'errors':>6} {'page p50/p95/p99 ms':>22} {'runtime p50/p99 ms':>19} {'peak MB':>8}"]
    for r in results:
        for level in levels:
            x = r[str(level)]
            pg, rt = x["page_ms"], x["runtime_ms"]
            page = "/".join(str(pg[k]) for k in ("p50", "p95", "p99"))
            runtime = "/".join(str(rt[k]) for k in ("p50", "p99"))
            lines.append(f"{r['server']:42} {level:>7} {x['requests_per_s']:>8} {x['errors']:>6} "
                         f"{page:>22} {runtime:>19} {x['peak_rss_mb']:>8}")
        s = r["silent"]
        lines.append(f"{r['server']:42} {s['clients']:>7} silent clients: server grew {s['growth_mb']} MB; "
                     f"another client {'served in ' + str(s['other_client_ms']) + ' ms' if s['other_client_served'] else 'NOT served'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (make build), with its compressed copies")
    parser.add_argument("--quick", action="store_true", help="5 and 20 clients for 2 s, 20 silent: checks the script works")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "load.json")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site} is not a built site: run `make build` first", file=sys.stderr)
        return 2
    levels, seconds, silent_count = ([5, 20], 2.0, 20) if args.quick else ([50, 200], 15.0, 150)
    results = run(args.site, levels, seconds, silent_count)
    checks = verdicts(results, levels[-1])
    print(table(results, levels))
    for what, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {what}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"levels": levels, "seconds": seconds, "results": results, "goals": checks}, indent=2), encoding="utf-8")
    print(f"written: {args.out}")
    return 0 if all(checks.values()) else 1  # a gate: a missed goal fails `make load`


if __name__ == "__main__":
    raise SystemExit(main())
