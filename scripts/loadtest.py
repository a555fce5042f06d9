"""Load test: gunicorn with production settings on PostgreSQL, wrk over the main public pages.

Creates (once) the PostgreSQL database `briefs_loadtest` filled with the demo content and
2,000 generated briefs, starts gunicorn with DEBUG off, then runs wrk from 127.0.0.1 for
LOADTEST_SECONDS (default 60) at LOADTEST_CONNECTIONS (default 50) connections, rotating
home, a brief, a term, a tag, the glossary, a search and the RSS feed.

Exits non-zero when any response is a 5xx (or not 2xx/3xx), wrk reports socket errors, or
the gunicorn error log holds an error.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import start_gunicorn, stop, wait_for  # noqa: E402

PG_URL = os.environ.get("LOADTEST_PG_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("LOADTEST_DATABASE", "briefs_loadtest")
BRIEFS = int(os.environ.get("LOADTEST_BRIEFS", "2000"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "50"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "3"))
PORT = int(os.environ.get("LOADTEST_PORT", "18531"))
# What counts as an error in the server's log: tracebacks, logged errors, killed workers.
LOG_ERROR = re.compile(r"Traceback|\bERROR\b|\bCRITICAL\b|WORKER TIMEOUT|Worker \(pid:\d+\) was sent", re.I)

URLS_SCRIPT = """
import json
from django.urls import reverse
from taggit.models import Tag
from briefs.models import Brief, BriefTerm
with_terms = Brief.objects.published().filter(terms__status="approved").distinct().order_by("pk")
brief = with_terms[with_terms.count() // 2]
term = BriefTerm.objects.filter(brief=brief, term__status="approved").select_related("term").first().term
tag = Tag.objects.filter(taggit_taggeditem_items__object_id=brief.pk).order_by("pk").first()
print(json.dumps([
    reverse("briefs:home"),
    reverse("briefs:detail", kwargs={"slug": brief.slug}),
    reverse("glossary:term", kwargs={"slug": term.slug}),
    reverse("briefs:tag", kwargs={"slug": tag.slug}) if tag else reverse("briefs:tags"),
    reverse("glossary:index"),
    reverse("search:results") + "?q=sparse+model",
    reverse("briefs:feed-rss"),
]))
"""

LUA = """
local paths = {%s}
local counter = 0
request = function()
    counter = counter + 1
    return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def server_env(static_root):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    }
    env.update(
        {
            "DATABASE_URL": f"{PG_URL}/{DATABASE}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "BEHIND_TLS_PROXY": "0",
            "STATIC_ROOT": str(static_root),
            "GUNICORN_ACCESSLOG": "",
            "GUNICORN_LOGLEVEL": "warning",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def ensure_database(env):
    """Create and fill the database on first use; later runs reuse it when it holds the same data."""
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    manage(env, "migrate", "--no-input")
    count = int(
        manage(env, "shell", "-c", "from briefs.models import Brief; print(Brief.objects.count())").split()[
            -1
        ]
    )
    if count < BRIEFS:
        print(f"Filling {DATABASE}: demo content and {BRIEFS:,} generated briefs…", flush=True)
        manage(env, "load_demo")
        manage(env, "generate_briefs", "--briefs", str(BRIEFS), "--seed", "1", "-v", "0")
        manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")


def ensure_wrk():
    wrk = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if wrk is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    return wrk


def parse_wrk(output):
    def number(pattern):
        match = re.search(pattern, output)
        return int(match.group(1)) if match else 0

    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return {
        "requests": number(r"(\d+) requests in"),
        "requests_per_s": float(rate.group(1)) if rate else 0.0,
        "non_2xx_3xx": number(r"Non-2xx or 3xx responses: (\d+)"),
        "socket_errors": dict(
            zip(("connect", "read", "write", "timeout"), map(int, socket.groups()), strict=True)
        )
        if socket
        else {},
    }


def main():
    wrk = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="briefs-loadtest-"))
    env = server_env(work / "static")
    server = None
    try:
        manage(env, "collectstatic", "--no-input")
        ensure_database(env)
        paths = json.loads(manage(env, "shell", "-c", URLS_SCRIPT).strip().splitlines()[-1])
        script = work / "rotate.lua"
        script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
        log_path = work / "gunicorn.log"
        with open(log_path, "wb") as log:
            server = start_gunicorn(port=PORT, workers=WORKERS, env=env, log=log)
            base = f"http://127.0.0.1:{PORT}"
            wait_for(base + "/healthz")
            print(f"wrk {SECONDS} s, {CONNECTIONS} connections, {WORKERS} gunicorn workers over:", flush=True)
            for path in paths:
                print(f"  {path}")
            result = subprocess.run(
                [
                    "timeout",
                    str(SECONDS + 30),
                    wrk,
                    "-t2",
                    f"-c{CONNECTIONS}",
                    f"-d{SECONDS}s",
                    # A request still unanswered after gunicorn's own 30 s timeout is a failure.
                    "--timeout",
                    "30s",
                    "-s",
                    str(script),
                    base + "/",
                ],
                capture_output=True,
                text=True,
            )
            stop(server)
            server = None
        figures = parse_wrk(result.stdout)
        log_errors = [
            line for line in log_path.read_text(errors="replace").splitlines() if LOG_ERROR.search(line)
        ]
        figures["log_errors"] = len(log_errors)
        print(result.stdout)
        print(json.dumps(figures, indent=2))
        for line in log_errors[:20]:
            print("log:", line)
        failed = (
            result.returncode != 0
            or figures["requests"] == 0
            or figures["non_2xx_3xx"]
            or any(figures["socket_errors"].values())
            or log_errors
        )
        print("FAIL: server errors under load" if failed else "OK: no server errors under load")
        return 1 if failed else 0
    finally:
        stop(server)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
