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

    python bench/run.py [--sizes 1000 100000] [--rounds 3] [--duration 10] [--no-load] [--sqlite]
"""

import argparse
import copy
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import (  # noqa: E402
    start_gunicorn,
    start_nginx,
    stop,
    wait_for,
    write_local_nginx,
)

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "briefs_bench")
RESULTS = ROOT / "bench" / "results.json"
STATIC_ROOT = ROOT / "bench" / ".static"
SECRET = "bench-only-secret-key-" + "x" * 40  # noqa: S105 - local benchmark server, never deployed
APP_PORT, APP_CACHED_PORT, NGINX_PORT, STATIC_PORT = 18431, 18432, 18433, 18434

# URL names tried for each page, first match wins (other branches add feed, tag and search pages).
PAGES = {
    "home": [("briefs:home", {})],
    "brief": [("briefs:detail", {"slug": "{brief}"})],
    "term": [("glossary:term", {"slug": "{term}"})],
    "tag": [
        ("briefs:tag", {"slug": "{tag}"}),
        ("tags:detail", {"slug": "{tag}"}),
        ("briefs:tag_detail", {"slug": "{tag}"}),
    ],
    "search": [("search:search", {}), ("search:index", {}), ("search:results", {}), ("briefs:search", {})],
    "feed": [("briefs:feed-rss", {}), ("briefs:feed", {}), ("briefs:latest_feed", {}), ("briefs:rss", {})],
}
SEARCH_QUERY = "?q=sparse+model"


def server_env(database_url, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "BEHIND_TLS_PROXY": "0",
        "STATIC_ROOT": str(STATIC_ROOT),
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_ACCESSLOG": "",
        "GUNICORN_LOGLEVEL": "warning",
        "LOG_LEVEL": "ERROR",
        # One local client makes every request: the per-client limits of a public site do not apply.
        "SEARCH_RATE_LIMIT": "100000/m",
        "API_RATE_LIMIT": "100000/m",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )


def ensure_database(name, size, sqlite):
    """A database holding exactly `size` generated briefs; generated only when missing."""
    if sqlite:
        url = f"sqlite:///{ROOT / 'bench' / f'.{name}.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{PG_URL}/{name}"
    env = server_env(url)
    manage(env, "migrate", "--no-input")
    if not sqlite:
        manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    count = int(
        manage(
            env, "shell", "-c", "from briefs.models import Brief; print(Brief.objects.count())"
        ).stdout.split()[-1]
    )
    generation = None
    if count not in (0, size):
        raise SystemExit(f"{name} holds {count} briefs, not {size}: drop it and run again.")
    if count == 0:
        started = time.monotonic()
        out = manage(
            env,
            "generate_briefs",
            "--briefs",
            str(size),
            "--terms",
            str(max(50, size // 10)),
            "--seed",
            "1",
            "-v",
            "0",
        )
        generation = {"seconds": round(time.monotonic() - started, 1), "output": out.stdout.strip()}
        index = re.search(r"search index refresh ([\d.]+) s", out.stdout)
        generation["index_seconds"] = float(index.group(1)) if index else None
        print(f"  generated {size:,} briefs in {generation['seconds']} s (command wall time)", flush=True)
    elif not sqlite:
        generation = ensure_search_index(env, count)
    return url, generation


def ensure_search_index(env, count):
    """A data set generated before search existed gets its search entries once (timed)."""
    indexed = int(
        manage(
            env,
            "shell",
            "-c",
            "from search.models import BriefSearchEntry; "
            "print(BriefSearchEntry.objects.filter(vector__isnull=False).count())",
        ).stdout.split()[-1]
    )
    if indexed >= count:
        return None
    started = time.monotonic()
    manage(env, "rebuild_search_index")
    seconds = round(time.monotonic() - started, 1)
    print(f"  search index built for {count:,} briefs in {seconds} s", flush=True)
    return {"index_seconds": seconds, "output": "search index built for an existing data set"}


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


# --- in-process measurements (run in a child process per database) -------------------------------


def page_urls():
    """{page: url} for the pages that exist on this branch, and {page: note} for those that do not."""
    from django.urls import NoReverseMatch, reverse
    from taggit.models import Tag

    from briefs.models import Brief, BriefTerm

    published = Brief.objects.published()
    brief = published.order_by("pk")[published.count() // 2]
    term = BriefTerm.objects.filter(brief=brief).select_related("term").first().term
    tag = Tag.objects.filter(taggit_taggeditem_items__object_id=brief.pk).order_by("pk").first()
    values = {"brief": brief.slug, "term": term.slug, "tag": tag.slug if tag else ""}
    urls, notes = {}, {}
    for page, candidates in PAGES.items():
        for name, kwargs in candidates:
            try:
                url = reverse(name, kwargs={k: v.format(**values) for k, v in kwargs.items()})
            except NoReverseMatch:
                continue
            urls[page] = url + (SEARCH_QUERY if page == "search" else "")
            break
        else:
            notes[page] = "no URL on this branch (tried " + ", ".join(n for n, _ in candidates) + ")"
    return urls, notes


def measure_in_process(iterations, cached_iterations):
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from briefs.models import Brief

    urls, notes = page_urls()
    total = Brief.objects.published().count()

    client = Client()
    without_cache = [m for m in settings.MIDDLEWARE if m != "pagecache.middleware.PublicPageCacheMiddleware"]
    # A test client builds its middleware chain on its first request: this one never has the page cache.
    uncached_client = Client()
    with override_settings(MIDDLEWARE=without_cache):
        uncached_client.get("/healthz")

    def sample(client, url, n):
        walls, cpus = [], []
        for _ in range(n):
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - w0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        return response, walls, cpus

    def summary(walls, cpus, queries, status):
        walls = sorted(walls)
        return {
            "median_ms": round(statistics.median(walls), 2),
            "p95_ms": round(walls[int(len(walls) * 0.95) - 1], 2),
            "cpu_ms": round(statistics.mean(cpus), 2),
            "queries": queries,
            "status": status,
        }

    pages, plans = {}, {}
    for page, url in urls.items():
        sample(uncached_client, url, 3)
        with CaptureQueriesContext(connection) as captured:
            response = uncached_client.get(url)
        # Read now: the log is reset by the next request.
        queries = [q["sql"] for q in captured.captured_queries]
        _, walls, cpus = sample(uncached_client, url, iterations)
        uncached = summary(walls, cpus, len(queries), response.status_code)
        plans[page] = explain(queries, connection)
        cache.clear()
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        cached_queries = len(captured)
        _, walls, cpus = sample(client, url, cached_iterations)
        cached = summary(walls, cpus, cached_queries, response.status_code)
        cached["served_from_cache"] = response.get("X-Page-Cache") == "hit"
        pages[page] = {"url": url, "uncached": uncached, "cached": cached}
    result = {"pages": pages, "notes": notes, "plans": plans, "published": total}
    if "search" in urls:
        from bench.search_bench import measure as measure_searches

        result["searches"] = measure_searches(repeat=5, quiet=True)
    return result


def explain(queries, connection):
    """Sequential scans in the PostgreSQL plans of a page's queries (tables over 1,000 rows)."""
    if connection.vendor != "postgresql":
        return {"checked": 0, "seq_scans": []}
    seq_scans = []
    with connection.cursor() as cursor:
        for sql in queries:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            stack = [plan[0]["Plan"]]
            while stack:
                node = stack.pop()
                stack.extend(node.get("Plans", []))
                if node["Node Type"] == "Seq Scan" and node.get("Plan Rows", 0) > 1000:
                    seq_scans.append(f"{node['Relation Name']} ({node['Plan Rows']} rows)")
    return {"checked": len(queries), "seq_scans": sorted(set(seq_scans))}


def measure_child(url, iterations):
    """One in-process round on one database, in a child process (settings come from the env)."""
    env = server_env(url, DJANGO_SETTINGS_MODULE="briefs_cms.settings")
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--in-process", "--iterations", str(iterations)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(out.stderr[-3000:])
        raise SystemExit("in-process measurement failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def combine_rounds(rounds):
    """The first round's result with every timing replaced by its median over the rounds."""

    def median_of(getter):
        return round(statistics.median(getter(r) for r in rounds), 2)

    result = copy.deepcopy(rounds[0])
    for page, data in result["pages"].items():
        for mode in ("uncached", "cached"):
            for key in ("median_ms", "p95_ms", "cpu_ms"):
                data[mode][key] = median_of(
                    lambda r, page=page, mode=mode, key=key: r["pages"][page][mode][key]
                )
            data[mode]["cpu_ms_rounds"] = [r["pages"][page][mode]["cpu_ms"] for r in rounds]
    if result.get("searches"):
        for key in ("page_median_ms", "page_p95_ms", "backend_median_ms", "page_cpu_ms"):
            result["searches"][key] = median_of(lambda r, key=key: r["searches"][key])
        result["searches"]["page_median_ms_rounds"] = [r["searches"]["page_median_ms"] for r in rounds]
    result["rounds"] = len(rounds)
    return result


# --- load tests --------------------------------------------------------------------------------


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


# --- reporting -----------------------------------------------------------------------------------


def print_table(results):
    for size, result in results["sizes"].items():
        print(f"\n== {int(size):,} briefs ({result['published']:,} published) — in-process, DEBUG off")
        print(f"{'page':8} {'':9} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8} {'queries':>8}  seq scans")
        for page, data in result["pages"].items():
            for mode in ("uncached", "cached"):
                row = data[mode]
                scans = ", ".join(result["plans"][page]["seq_scans"]) if mode == "uncached" else ""
                print(
                    f"{page:8} {mode:9} {row['median_ms']:>10} {row['p95_ms']:>8} {row['cpu_ms']:>8} "
                    f"{row['queries']:>8}  {scans}"
                )
        for page, note in result["notes"].items():
            print(f"{page:8} skipped: {note}")
        searches = result.get("searches")
        if searches:
            print(
                f"search, {len(searches['queries'])} typical queries ({searches['searches']} page views, "
                f"uncached): median {searches['page_median_ms']} ms, p95 {searches['page_p95_ms']} ms, "
                f"CPU {searches['page_cpu_ms']} ms (target: median <= 50 ms)"
            )
        print(f"load average at the start: {result.get('load_average')}")
        if result.get("generation"):
            gen = result["generation"]
            print(f"data set: {gen.get('output', '')} (wall {gen.get('seconds', '-')} s)")
        if result.get("load"):
            header = f"{'req/s':>8} {'median ms':>10} {'p99 ms':>8} {'server CPU ms/req':>18} {'non-2xx':>8}"
            print(f"\n{'brief page under wrk':28} {header}")
            for label, row in result["load"].items():
                if isinstance(row, dict):
                    print(
                        f"{label:28} {row['requests_per_s']:>8} {row['median_ms']!s:>10} "
                        f"{row['p99_ms']!s:>8} {row['server_cpu_ms_per_request']!s:>18} {row['non_2xx']:>8}"
                    )
                else:
                    print(f"{label}: {row}")
            nginx, static = (
                result["load"].get("nginx cache -> gunicorn"),
                result["load"].get("nginx static file"),
            )
            if isinstance(nginx, dict) and isinstance(static, dict) and static["requests_per_s"]:
                ratio = nginx["requests_per_s"] / static["requests_per_s"]
                print(f"nginx cache / static file requests/s: {ratio:.2f} (target >= 0.5)")
    sizes = sorted(results["sizes"], key=int)
    if len(sizes) > 1:
        small, large = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
        print(f"\nflatness {int(sizes[-1]):,} / {int(sizes[0]):,} briefs (uncached; target <= 1.2x)")
        for page in large["pages"]:
            if page in small["pages"]:
                a, b = small["pages"][page]["uncached"], large["pages"][page]["uncached"]
                ratio = b["cpu_ms"] / a["cpu_ms"] if a["cpu_ms"] else float("nan")
                print(
                    f"{page:8} CPU {a['cpu_ms']} -> {b['cpu_ms']} ms ({ratio:.2f}x), "
                    f"queries {a['queries']} -> {b['queries']}"
                )
        if small.get("searches") and large.get("searches"):
            a, b = small["searches"]["page_cpu_ms"], large["searches"]["page_cpu_ms"]
            print(f"searches CPU {a} -> {b} ms ({b / a:.2f}x) over the typical queries")
    matcher = results.get("matcher")
    if matcher:
        print(
            f"\nglossary matcher (10,000 terms, 1,000 words): median {matcher['scan_median_ms']} ms, "
            f"p95 {matcher['scan_p95_ms']} ms, CPU median {matcher['scan_cpu_median_ms']} ms (target <= 5 ms)"
        )


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
