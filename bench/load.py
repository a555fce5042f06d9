"""Load tests with wrk on 127.0.0.1: the brief page from gunicorn (page cache off, and from the app
cache), through the shipped nginx config in front of gunicorn, and as a static file from the same
nginx. Server CPU ms per request is user+system time of the server processes (from /proc)
divided by the requests served.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.databases import STATIC_ROOT, server_env
from bench.stack import start_gunicorn, start_nginx, stop, wait_for, write_local_nginx

APP_PORT, APP_CACHED_PORT, NGINX_PORT, STATIC_PORT = 18431, 18432, 18433, 18434


def ensure_wrk():
    wrk = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if wrk is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        wrk = shutil.which("wrk")
    return wrk


def process_tree(pid):
    """The pid and all its descendants."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, stack = [], [pid]
    while stack:
        current = stack.pop()
        tree.append(current)
        stack.extend(children.get(current, []))
    return tree


def cpu_seconds(pids):
    """user+system CPU seconds of the processes, including their reaped children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


def run_wrk(wrk, url, duration, connections, server_pids):
    before = cpu_seconds(server_pids)
    result = subprocess.run(
        ["timeout", str(duration + 15), wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
    )
    used = cpu_seconds(server_pids) - before
    out = result.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1)) if "requests in" in out else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) if "Requests/sec" in out else 0.0
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(p):
        match = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    return {
        "requests": requests,
        "requests_per_s": round(rate, 1),
        "median_ms": percentile(50),
        "p99_ms": percentile(99),
        "server_cpu_ms_per_request": round(used * 1000 / requests, 3) if requests else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def measure_load(database_url, brief_url, duration):
    wrk = ensure_wrk()
    if wrk is None:
        return {"note": "wrk is not installed and could not be installed"}
    results = {}
    work = Path(tempfile.mkdtemp(prefix="briefs-bench-"))
    processes = []
    try:
        uncached = start_gunicorn(
            port=APP_PORT, workers=2, env=server_env(database_url, PUBLIC_PAGE_CACHE="0")
        )
        cached = start_gunicorn(port=APP_CACHED_PORT, workers=2, env=server_env(database_url))
        processes += [uncached, cached]
        for port in (APP_PORT, APP_CACHED_PORT):
            wait_for(f"http://127.0.0.1:{port}/healthz")
        page = f"http://127.0.0.1:{APP_CACHED_PORT}{brief_url}"
        html_dir = work / "static-page"
        html_dir.mkdir()
        import urllib.request

        with urllib.request.urlopen(page) as response:
            (html_dir / "index.html").write_bytes(response.read())
        static_server = (
            f"server {{ listen 127.0.0.1:{STATIC_PORT}; root {html_dir}; "
            "location / { try_files /index.html =404; default_type text/html; } }"
        )
        config = write_local_nginx(
            work / "nginx",
            port=NGINX_PORT,
            upstream=f"127.0.0.1:{APP_CACHED_PORT}",
            static_root=STATIC_ROOT,
            media_root=work,
            extra_server=static_server,
        )
        nginx = start_nginx(config)
        processes.append(nginx)
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/nginx-health")
        statuses = []
        for _ in range(3):
            with urllib.request.urlopen(f"http://127.0.0.1:{NGINX_PORT}{brief_url}") as response:
                statuses.append(response.headers.get("X-Cache-Status"))
        results["nginx X-Cache-Status of 3 requests"] = statuses

        for label, url, pids, connections in (
            (
                "gunicorn, page cache off",
                f"http://127.0.0.1:{APP_PORT}{brief_url}",
                process_tree(uncached.pid),
                8,
            ),
            ("gunicorn, app page cache", page, process_tree(cached.pid), 8),
            (
                "nginx cache -> gunicorn",
                f"http://127.0.0.1:{NGINX_PORT}{brief_url}",
                process_tree(cached.pid) + process_tree(nginx.pid),
                32,
            ),
            ("nginx static file", f"http://127.0.0.1:{STATIC_PORT}/", process_tree(nginx.pid), 32),
        ):
            print(f"  wrk {duration}s: {label}", flush=True)
            results[label] = run_wrk(wrk, url, duration, connections, pids)
    finally:
        for process in processes:
            stop(process)
        shutil.rmtree(work, ignore_errors=True)
    return results
