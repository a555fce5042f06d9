"""`make explain`: the PostgreSQL plans of every query the public pages run, on a bench database.

    python bench/explain.py [--size 100000]

Runs each page once in-process (page cache off), then prints `EXPLAIN ANALYZE`
for each SELECT it made, so one can check that filters, orderings and joins use
indexes (`published_at`, status, slug, term and tag joins) on a large table.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def print_plans():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.run import page_urls

    client = Client()
    with override_settings(
        MIDDLEWARE=[m for m in settings.MIDDLEWARE if not m.endswith("PublicPageCacheMiddleware")]
    ):
        client.get("/healthz")
    urls, notes = page_urls()
    for page, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = [q["sql"] for q in captured.captured_queries]
        print(f"\n######## {page}: {url} — {len(queries)} queries")
        with connection.cursor() as cursor:
            for sql in queries:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                print(f"\n-- {sql[:300]}{'…' if len(sql) > 300 else ''}")
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
                for (line,) in cursor.fetchall():
                    print("   ", line)
    for page, note in notes.items():
        print(f"\n######## {page}: skipped, {note}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        print_plans()
        return
    from bench.run import ensure_database, server_env

    url, _ = ensure_database(f"briefs_bench_{args.size}", args.size, sqlite=False)
    env = server_env(url, DJANGO_SETTINGS_MODULE="briefs_cms.settings")
    subprocess.run([sys.executable, __file__, "--in-process"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
    main()
