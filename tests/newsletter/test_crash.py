"""The worker process is killed in the middle of a send; a new one finishes it: every
subscriber gets the digest exactly once, nobody is skipped.

Real processes (`manage.py db_worker`), a real SMTP server and a database of the test's own
(a SQLite file, or a PostgreSQL database, following the suite's database): the worker dies
with SIGKILL while the server holds its 38th mail, before answering it.
"""

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
PROCESS_TIMEOUT = 180


@pytest.fixture
def own_database(tmp_path):
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"briefs_crash_{uuid.uuid4().hex[:10]}"
    server = {
        "host": params["HOST"],
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "dbname": "postgres",
    }
    if params["PASSWORD"]:
        server["password"] = params["PASSWORD"]
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    yield f"postgresql://{params['USER']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(database_url, smtp_port):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.newsletter.crash_settings",
        TASKS_BACKEND="database",
        DATABASE_URL=database_url,
        DEBUG="1",
        SECRET_KEY="crash-test-only-not-a-secret",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        SITE_URL="https://briefs.example",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(env, *args):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=PROCESS_TIMEOUT
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def scenario(env, *args):
    return json.loads(run(env, "-m", "tests.newsletter.crash_scenario", *args).strip().splitlines()[-1])


@pytest.mark.django_db
def test_a_worker_killed_mid_send_leaves_no_duplicate_and_skips_nobody(own_database):
    with SMTPServer() as server:
        sink = server.sink
        env = environment(own_database, server.port)
        run(env, "manage.py", "migrate", "--no-input", "-v", "0")
        assert scenario(env, "seed", "100")["status"] == "sending"

        sink.block_after = 37
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--no-reload",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            assert sink.blocked.wait(120), "the worker never reached the 38th mail"
            worker.send_signal(signal.SIGKILL)
            worker.wait(30)
        finally:
            if worker.poll() is None:
                worker.kill()
        sink.block_after = None
        sink.release.set()  # the server now answers the dead worker's mail with 451: not accepted

        after_crash = scenario(env, "report")["deliveries"]
        assert after_crash["sent"] == 37
        assert after_crash["sending"] == 1  # the mail in flight when the worker died
        assert after_crash.get("claimed", 0) + after_crash.get("queued", 0) == 62
        assert len(sink.messages) == 37

        restarted = scenario(env, "recover")["restarted"]
        assert len(restarted) == 1
        run(env, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload")

        final = scenario(env, "report")
        assert final["deliveries"] == {"sent": 100}
        assert ["weekly", "sent"] in final["issues"]
        recipients = sink.recipients()
        assert sorted(recipients) == sorted(f"reader{i}@example.org" for i in range(100))
        assert len({m.message["Message-ID"] for m in sink.messages}) == 100
