"""Search benchmark: median and p95 of typical reader searches on the 100,000-brief archive.

    python bench/search_bench.py                  # the archive `make bench` uses (generated if missing)
    python bench/search_bench.py --size 1000      # the 1,000-brief one
    python bench/search_bench.py --repeat 20

The archive is `make bench`'s own database (`briefs_bench_<size>` on PostgreSQL, filled by
`manage.py generate_briefs --seed 1` when missing), so the figures compare with its table.
The queries are what readers type about that content: subjects, findings, glossary terms,
a quoted phrase, `or`, `-exclude`, and two very common words that match most briefs.

Two figures per query: "backend" is what `search_briefs`/`search_terms`/`attach_snippets` cost for
the first result page (count, page, snippets, terms); "page" is the whole /search/ response through
Django's test client with DEBUG off and no page cache, templates included. Then EXPLAIN ANALYZE
shows which index finds the newest matches for a common and for a rarer query.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DB_PREFIX, STATIC_ROOT, ensure_database  # noqa: E402

QUERIES = [
    "sparse autoencoders",
    "reward hacking",
    '"feature superposition"',
    "grokking",
    "linear probe",
    "hallucination or sycophancy",
    "tool use -agents",
    "mechanistic interpretability circuit",
    "benchmark",
    "sparse model",
]


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    # The ten searches are repeated from one address: far more than a reader's limit allows.
    os.environ["SEARCH_RATE_LIMIT"] = "100000/m"
    os.environ["STATIC_ROOT"] = str(STATIC_ROOT)  # DEBUG off: pages link the collected, hashed files
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(repeat, quiet=False):
    """Backend and whole-page timings of every query; also used by `make bench` (bench/run.py)."""
    from django.core.paginator import Paginator
    from django.test import Client

    from search.backends import attach_snippets, search_briefs, search_terms

    def backend(query):
        page = Paginator(search_briefs(query), 20).get_page(1)
        attach_snippets(page.object_list, query)
        list(search_terms(query))
        return page.paginator.count

    from django.conf import settings
    from django.test.utils import override_settings

    results = {}
    # The page figure is a real render: a test client builds its middleware chain on its first
    # request, and this one is built without the public page cache.
    client = Client()
    without_cache = [m for m in settings.MIDDLEWARE if m != "pagecache.middleware.PublicPageCacheMiddleware"]
    with override_settings(MIDDLEWARE=without_cache):
        client.get("/healthz")
    backend_times, page_times, page_cpu = [], [], []
    say = (lambda *a: None) if quiet else print
    say(f"{'query':34} {'matches':>8} {'backend median':>15} {'page median':>12}")
    for query in QUERIES:
        count = backend(query)  # warm-up
        client.get("/search/", {"q": query})
        mine, pages = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            backend(query)
            t1, c1 = time.perf_counter(), time.process_time()
            response = client.get("/search/", {"q": query})
            t2, c2 = time.perf_counter(), time.process_time()
            assert response.status_code == 200
            mine.append((t1 - t0) * 1000)
            pages.append((t2 - t1) * 1000)
            page_cpu.append((c2 - c1) * 1000)
        backend_times += mine
        page_times += pages
        results[query] = {"matches": count, "page_median_ms": round(statistics.median(pages), 1)}
        say(f"{query:34} {count:>8,} {statistics.median(mine):>12.1f} ms {statistics.median(pages):>9.1f} ms")
    for label, values in [("backend", backend_times), ("page", page_times)]:
        say(
            f"ALL {label:8} median {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms over {len(values)} searches"
        )
    return {
        "queries": results,
        "page_median_ms": round(statistics.median(page_times), 1),
        "page_p95_ms": round(percentile(page_times, 0.95), 1),
        "backend_median_ms": round(statistics.median(backend_times), 1),
        "page_cpu_ms": round(statistics.mean(page_cpu), 2),
        "searches": len(page_times),
    }


def explain(queries=("sparse model", '"feature superposition"')):
    """The plan of the step that finds the newest matches (the one that reads the archive)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.backends import search_briefs

    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            search_briefs(query)
        sql = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT newest"))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\nEXPLAIN ANALYZE: newest matches of {query!r}")
        print("\n".join(plan))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000, help="briefs in the archive")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()

    url, _ = ensure_database(f"{DB_PREFIX}_{args.size}", args.size, sqlite=False)
    setup_django(url)
    from briefs.models import Brief

    print(f"Archive: {Brief.objects.published().count():,} published briefs.")
    print("Load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    measure(args.repeat)
    if not args.no_explain:
        explain()


if __name__ == "__main__":
    main()
