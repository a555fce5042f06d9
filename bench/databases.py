"""The benchmark's data, where its results go, and the environment of everything it starts.

One database per size (PostgreSQL `briefs_bench_<size>`, or a SQLite file with --sqlite), created
and filled with `generate_briefs` only when missing, and the settings every server, management
command and in-process round runs with: production-like (DEBUG off), without the per-client
limits of a public site.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "briefs_bench")
RESULTS = ROOT / "bench" / "results.json"
STATIC_ROOT = ROOT / "bench" / ".static"
SECRET = "bench-only-secret-key-" + "x" * 40  # noqa: S105 - local benchmark server, never deployed


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
