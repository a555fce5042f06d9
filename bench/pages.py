"""In-process page timings: median and p95 latency, CPU ms per request and SQL queries of each page,
uncached and from the app's page cache, with the sequential scans in their PostgreSQL plans.

Each round runs in a child process on one database (`measure_child` starts `bench/run.py
--in-process`); `combine_rounds` keeps the median of every figure over the rounds.
"""

import copy
import json
import statistics
import subprocess
import sys
import time

from bench.databases import ROOT, server_env

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
# The driver, run again as a child with --in-process for each round.
RUN = ROOT / "bench" / "run.py"


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
        [sys.executable, str(RUN), "--in-process", "--iterations", str(iterations)],
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
