"""`make bench`: page latency, queries, server CPU per request and throughput at 1,000 and 100,000 briefs.

For each size it uses (or creates and fills with `generate_briefs`) its own
PostgreSQL database, `briefs_bench_<size>`, then:

1. in-process, with Django's test client and DEBUG off: median and p95 latency,
   CPU ms per request and SQL queries of the home, brief, term, tag, search and
   feed pages, uncached (page cache off) and cached (served by the app's cache),
   ten typical searches (bench/search_bench.py), plus the PostgreSQL plans of
   every query those pages run (sequential scans on big tables are reported).
   Three rounds alternate between the sizes; each figure is the median of its
   rounds, so the drift of a shared machine does not pass for a size effect;
2. under load with wrk on 127.0.0.1: the brief page from gunicorn (2 workers,
   production settings) uncached and from the app cache, through the shipped
   nginx config in front of gunicorn, and the same page as a static file from
   the same nginx. Server CPU ms per request is user+system time of the server
   processes (from /proc) divided by the requests served.

It prints a table and writes bench/results.json. Pages whose URL does not exist
on this branch are skipped with a note. Benchmarks report; they never fail.

The parts: bench/databases.py (the data sets and the servers' environment),
bench/pages.py (the in-process rounds), bench/load.py (the load tests) and
bench/report.py (the table); this driver runs them in order.

    python bench/run.py [--sizes 1000 100000] [--rounds 3] [--duration 10] [--no-load] [--sqlite]
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The driver's parts, also imported from here by the other benchmarks (search_bench, explain).
from bench.databases import (  # noqa: E402
    DB_PREFIX,
    PG_URL,
    RESULTS,
    SECRET,
    STATIC_ROOT,
    ensure_database,
    ensure_search_index,
    manage,
    server_env,
)
from bench.load import (  # noqa: E402
    APP_CACHED_PORT,
    APP_PORT,
    NGINX_PORT,
    STATIC_PORT,
    cpu_seconds,
    ensure_wrk,
    measure_load,
    process_tree,
    run_wrk,
)
from bench.pages import (  # noqa: E402
    PAGES,
    SEARCH_QUERY,
    combine_rounds,
    explain,
    measure_child,
    measure_in_process,
    page_urls,
)
from bench.report import print_table  # noqa: E402

__all__ = [
    "APP_CACHED_PORT",
    "APP_PORT",
    "DB_PREFIX",
    "NGINX_PORT",
    "PAGES",
    "PG_URL",
    "RESULTS",
    "SEARCH_QUERY",
    "SECRET",
    "STATIC_PORT",
    "STATIC_ROOT",
    "combine_rounds",
    "cpu_seconds",
    "ensure_database",
    "ensure_search_index",
    "ensure_wrk",
    "explain",
    "manage",
    "measure_child",
    "measure_in_process",
    "measure_load",
    "measure_matcher",
    "page_urls",
    "print_table",
    "process_tree",
    "run_wrk",
    "server_env",
]


def measure_matcher():
    """The glossary matcher figure (bench/matcher_bench.py): median scan of a 1,000-word text."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "matcher_bench.py"), "--runs", "200"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"},
    )
    result = {"output": out.stdout.strip()[-600:]}
    for key, pattern in (
        ("scan_median_ms", r"scan: median ([\d.]+) ms"),
        ("scan_p95_ms", r"scan: median [\d.]+ ms, p95 ([\d.]+) ms"),
        ("scan_cpu_median_ms", r"scan CPU time: median ([\d.]+) ms"),
        ("index_build_ms", r"index build: ([\d.]+) ms"),
    ):
        match = re.search(pattern, out.stdout)
        result[key] = float(match.group(1)) if match else None
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run (at most 15).")
    parser.add_argument("--iterations", type=int, default=30, help="Uncached requests per page and round.")
    parser.add_argument("--rounds", type=int, default=3, help="In-process rounds, alternating sizes.")
    parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn/nginx load tests.")
    parser.add_argument("--sqlite", action="store_true", help="Use SQLite files instead of PostgreSQL.")
    parser.add_argument(
        "--output", type=Path, help="JSON file (default bench/results.json, -sqlite with --sqlite)"
    )
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.in_process:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
        print(json.dumps(measure_in_process(args.iterations, args.iterations * 4)))
        return

    duration = min(args.duration, 15)
    output = args.output or (RESULTS.with_name("results-sqlite.json") if args.sqlite else RESULTS)
    manage(server_env("sqlite:///:memory:", STATIC_ROOT=str(STATIC_ROOT)), "collectstatic", "--no-input")
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": "sqlite" if args.sqlite else "postgresql",
        "sizes": {},
    }
    databases = {}
    for size in args.sizes:
        print(f"== {size:,} briefs: data set", flush=True)
        databases[size] = ensure_database(f"{DB_PREFIX}_{size}", size, args.sqlite)
    # The in-process rounds alternate between the sizes, so that the drift of a shared machine
    # falls on every size alike; each figure is the median of its rounds.
    rounds = {size: [] for size in args.sizes}
    for number in range(1, args.rounds + 1):
        for size in args.sizes:
            print(f"== in-process, round {number} of {args.rounds}: {size:,} briefs", flush=True)
            rounds[size].append(measure_child(databases[size][0], args.iterations))
    for size in args.sizes:
        url, generation = databases[size]
        result = combine_rounds(rounds[size])
        result["generation"] = generation
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        if not args.no_load:
            print(f"== load tests: {size:,} briefs", flush=True)
            result["load"] = measure_load(url, result["pages"]["brief"]["url"], duration)
        results["sizes"][str(size)] = result
        output.write_text(json.dumps(results, indent=2) + "\n")
    print("== glossary matcher", flush=True)
    results["matcher"] = measure_matcher()
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    output.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"\nWritten to {output}")


if __name__ == "__main__":
    main()
