"""`make bench-links`: checking 1,000 links spread over 50 hosts against local servers with random delays.

A separate process runs 50 HTTP servers on 50 loopback ports (a host is host:port here: names
such as host-7.localhost do not resolve on every machine) that answer after a random delay
(20-200 ms by default) and count, per host, how many requests they were serving at once. Most
links answer 200; some are permanent redirects to a page on the same host and some are 404s
(HEAD, then GET), as in a real archive.

The checker runs in this process, end to end (`sources.services.check_urls`: the history and
states are written to the database), once for each configuration of workers and per-host
interval. It prints wall time, checks per second, requests per second, the largest number of
requests any one host saw at once (must be 1) and the shortest pause a host saw between two
requests, and writes bench/results-links.json. Benchmarks report; they do not fail, except
when the per-host concurrency rule is broken.

    python bench/linkcheck_bench.py [--links 1000] [--hosts 50] [--configs 16x1 16x0 50x0]
        [--min-delay 20] [--max-delay 200] [--seed 1] [--database-url URL]

`16x1` means 16 worker threads and 1 s between two requests to one host (the defaults). Without
--database-url (or DATABASE_URL) a temporary SQLite file is used.
"""

import argparse
import http.server
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results-links.json"


# --- the servers (run in their own process, so they do not share the checker's interpreter) ---


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.in_flight = defaultdict(int)
        self.max_in_flight = defaultdict(int)
        self.last_end = {}
        self.min_gap = {}
        self.requests = 0
        self.per_host = defaultdict(int)

    def begin(self, host):
        now = time.monotonic()
        with self.lock:
            self.requests += 1
            self.per_host[host] += 1
            self.in_flight[host] += 1
            self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
            if host in self.last_end:
                gap = now - self.last_end[host]
                self.min_gap[host] = min(self.min_gap.get(host, gap), gap)

    def end(self, host):
        with self.lock:
            self.in_flight[host] -= 1
            self.last_end[host] = time.monotonic()

    def snapshot(self, reset=False):
        with self.lock:
            data = {
                "requests": self.requests,
                "max_in_flight_per_host": max(self.max_in_flight.values(), default=0),
                "hosts_seen": len(self.max_in_flight),
                "busiest_host_requests": max(self.per_host.values(), default=0),
                "min_gap_ms": round(min(self.min_gap.values()) * 1000, 1) if self.min_gap else None,
            }
            if reset:
                self.__init__()
            return data


def serve(hosts, min_delay, max_delay, seed):
    stats = Stats()
    rng_lock = threading.Lock()
    rng = random.Random(seed)

    class LinkHandler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self):
            host = self.headers.get("Host", "")
            stats.begin(host)
            with rng_lock:
                delay = rng.uniform(min_delay, max_delay) / 1000
            time.sleep(delay)
            kind = self.path.split("/")[1]
            if kind == "moved":
                status, headers = 301, {"Location": self.path.replace("/moved/", "/ok/", 1)}
            elif kind == "gone":
                status, headers = 404, {}
            else:
                status, headers = 200, {"Content-Type": "text/html"}
            body = b"<!doctype html><title>story</title><p>" + b"x" * 2000 if status == 200 else b""
            headers["Content-Length"] = str(len(body))
            lines = [
                f"HTTP/1.0 {status} {self.responses[status][0]}",
                *(f"{k}: {v}" for k, v in headers.items()),
            ]
            raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body if self.command == "GET" else b"")
            # The request ends for the count before its last byte is sent: the checker cannot send the
            # next one before it has that byte, so any overlap counted is a real one.
            stats.end(host)
            self.wfile.write(raw)

        do_HEAD = do_GET = answer

    class ControlHandler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = json.dumps(stats.snapshot(reset=self.path == "/reset")).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), LinkHandler) for _ in range(hosts)]
    control = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ControlHandler)
    for server in [*servers, control]:
        server.daemon_threads = True
        server.request_queue_size = 64
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = [s.server_address[1] for s in servers]
    print(json.dumps({"ports": ports, "control": control.server_address[1]}), flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin


# --- the benchmark ---


def control(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return json.loads(response.read())


def make_links(ports, count, seed):
    rng = random.Random(seed)
    links = []
    for i in range(count):
        port = ports[i % len(ports)]
        kind = rng.choices(["ok", "moved", "gone"], weights=[90, 5, 5])[0]
        links.append(f"http://127.0.0.1:{port}/{kind}/{i}")
    rng.shuffle(links)
    return links


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # The servers are on this machine: the benchmark, like the tests, opens 127.0.0.1 to the checker.
    settings.SOURCES_ALLOW_LOOPBACK_FOR_TESTS = True
    settings.SOURCES_MIN_RECHECK_SECONDS = 0
    call_command("migrate", "sources", verbosity=0)


def run_config(links, workers, interval, control_port):
    from sources.models import LinkCheck, LinkState
    from sources.services import check_urls

    LinkCheck.objects.all().delete()
    LinkState.objects.all().delete()
    control(control_port, "/reset")
    started = time.monotonic()
    cpu_started = time.process_time()
    states = check_urls(links, workers=workers, interval=interval)
    wall = time.monotonic() - started
    cpu = time.process_time() - cpu_started
    served = control(control_port, "/stats")
    by_state = defaultdict(int)
    for state in states.values():
        by_state[state.state] += 1
    return {
        "workers": workers,
        "interval_s": interval,
        "links": len(links),
        "wall_s": round(wall, 2),
        "checks_per_s": round(len(links) / wall, 1),
        "requests": served["requests"],
        "requests_per_s": round(served["requests"] / wall, 1),
        "checker_cpu_s": round(cpu, 2),
        "busiest_host_requests": served["busiest_host_requests"],
        "max_in_flight_per_host": served["max_in_flight_per_host"],
        "min_gap_between_requests_to_a_host_ms": served["min_gap_ms"],
        "states": dict(by_state),
        "history_rows": LinkCheck.objects.count(),
    }


def lower_bound(row, mean_delay):
    """The fastest a polite schedule could go: the busiest host's requests one after the other with
    their pauses, or every request shared among the workers, whichever is longer (mean delays)."""
    busiest = row["busiest_host_requests"]
    serial = busiest * mean_delay + (busiest - 1) * row["interval_s"]
    return round(max(serial, row["requests"] * mean_delay / row["workers"]), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--configs", nargs="+", default=["16x1", "16x0", "50x0"], help="WORKERSxINTERVAL")
    parser.add_argument("--min-delay", type=float, default=20, help="ms")
    parser.add_argument("--max-delay", type=float, default=200, help="ms")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.hosts, args.min_delay, args.max_delay, args.seed)
        return

    tmp = None
    database_url = args.database_url
    if not database_url:
        tmp = tempfile.TemporaryDirectory()
        database_url = f"sqlite:///{tmp.name}/linkcheck-bench.sqlite3"
    setup_django(database_url)

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--hosts", str(args.hosts), "--seed", str(args.seed),
         "--min-delay", str(args.min_delay), "--max-delay", str(args.max_delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        info = json.loads(server.stdout.readline())
        links = make_links(info["ports"], args.links, args.seed)
        mean_delay = (args.min_delay + args.max_delay) / 2000
        print(
            f"{args.links:,} links over {args.hosts} hosts, answers after "
            f"{args.min_delay:g}-{args.max_delay:g} ms; database {database_url.split(':', 1)[0]}",
            flush=True,
        )
        print(
            f"{'workers':>7} {'interval':>8} {'wall s':>7} {'bound s':>7} {'checks/s':>8} {'req/s':>6} "
            f"{'cpu s':>6} {'max/host':>8} {'min gap ms':>10}",
            flush=True,
        )
        rows = []
        for config in args.configs:
            workers, interval = config.split("x")
            row = run_config(links, int(workers), float(interval), info["control"])
            row["lower_bound_s"] = lower_bound(row, mean_delay)
            rows.append(row)
            print(
                f"{row['workers']:>7} {row['interval_s']:>7g}s {row['wall_s']:>7} {row['lower_bound_s']:>7} "
                f"{row['checks_per_s']:>8} {row['requests_per_s']:>6} {row['checker_cpu_s']:>6} "
                f"{row['max_in_flight_per_host']:>8} {row['min_gap_between_requests_to_a_host_ms']!s:>10}",
                flush=True,
            )
    finally:
        server.stdin.close()
        server.wait(timeout=10)
        if tmp:
            tmp.cleanup()

    RESULTS.write_text(
        json.dumps(
            {
                "links": args.links,
                "hosts": args.hosts,
                "delay_ms": [args.min_delay, args.max_delay],
                "database": database_url.split(":", 1)[0],
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "runs": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written {RESULTS.relative_to(ROOT)}")
    if any(row["max_in_flight_per_host"] != 1 for row in rows):
        raise SystemExit("A host saw more than one request at a time.")


if __name__ == "__main__":
    main()
