"""Faults: the production server rides out a lost database connection without a restart."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def production_server(tmp_path):
    """gunicorn with production settings on a database of its own."""
    params = connection.settings_dict
    name = f"briefs_fault_{os.getpid()}"
    admin = psycopg.connect(
        host=params["HOST"], port=params["PORT"], user=params["USER"], dbname="postgres", autocommit=True
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "CONN_MAX_AGE": "600",
    }
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "briefs_cms.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--threads",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield url, admin, name
    finally:
        server.terminate()
        server.wait(10)
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_requests_fail_cleanly_while_the_database_is_gone_and_recover_without_a_restart(production_server):
    url, admin, name = production_server
    assert get(url) == 200

    # The database goes away: connections refused and the app's open connection killed.
    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
    brief = url + "briefs/new-paper-argues-for-a-scientific-theory-of-deep-learning/"
    assert get(brief) == 503  # never cached: needs the database; an outage, not a bug
    assert get(url) == 200  # already in the page cache: readers still get it

    # It comes back: the very next request is served by the same process.
    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert get(brief) == 200
    assert get(url + "glossary/") == 200
