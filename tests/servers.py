"""Real processes for tests: the site under gunicorn on its own database, and management commands.

Each site gets a database of its own (a SQLite file, or a PostgreSQL database when the suite
runs on PostgreSQL), migrated and loaded with the demo content, and production settings
(DEBUG off). Everything it starts is stopped at the end, by process group.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(url, *, data=None, headers=None, timeout=30):
    """(status, headers, body text) of one request, redirects not followed; an HTTP error status is
    an answer too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


@dataclass
class Site:
    url: str
    env: dict
    database: str
    processes: list = field(default_factory=list)

    def manage(self, *args, check=True, timeout=120):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def python(self, code, timeout=120):
        """Run Django code in a process of its own, as a third process on the same site."""
        return self.manage("shell", "-c", code, timeout=timeout)

    def start(self, *command, name="process"):
        """Start a process of the site; its output goes to a log file (a pipe nobody reads would fill
        up and stop it), read back with `log(process)`."""
        log = open(self.logs / f"{name}-{len(self.processes)}.log", "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            text=True,
        )
        process.log_file = log
        self.processes.append(process)
        return process

    @staticmethod
    def log(process):
        process.log_file.flush()
        return Path(process.log_file.name).read_text()


def stop(process, sig=signal.SIGTERM, timeout=15):
    if process.poll() is not None:
        return
    _stop(process, sig, timeout)
    log = getattr(process, "log_file", None)
    if log is not None:
        log.flush()


def _stop(process, sig, timeout):
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def _postgres_database(name):
    import psycopg

    params = connection.settings_dict
    admin = psycopg.connect(
        host=params["HOST"], port=params["PORT"], user=params["USER"], dbname="postgres", autocommit=True
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


@contextmanager
def site_database(tmp_path, *, extra_env=None, demo=True, database_url=None):
    """A database of the test's own, migrated (and loaded with the demo), and the environment of
    production settings pointing at it; yields a `Site` whose processes are stopped at the end."""
    drop = None
    if database_url:
        url = database_url
    elif connection.vendor == "postgresql":
        url, drop = _postgres_database(f"briefs_site_{os.getpid()}_{secrets.token_hex(3)}")
    else:
        url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "BEHIND_TLS_PROXY": "0",
        "DATABASE_URL": url,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SHARED_COUNTERS_DIR": str(tmp_path / "counters"),
        "EMAIL_HOST": "",
        "CONN_MAX_AGE": "0",
        "TASKS_BACKEND": "immediate",
        **(extra_env or {}),
    }
    if "REDIS_URL" not in (extra_env or {}):
        env.pop("REDIS_URL", None)  # the embedded default: a per-process cache
    site = Site(url=f"http://127.0.0.1:{port}/", env=env, database=url)
    site.port = port
    site.logs = tmp_path / "logs"
    site.logs.mkdir(exist_ok=True)
    try:
        site.manage("migrate", "--no-input", "-v0", timeout=300)
        if demo:
            site.manage("load_demo")
        yield site
    finally:
        for process in reversed(site.processes):
            stop(process)
        if drop:
            drop()


@contextmanager
def production_site(tmp_path, *, workers=2, threads=1, extra_env=None, demo=True, database_url=None):
    """The site under gunicorn with production settings; yields a `Site`."""
    with site_database(tmp_path, extra_env=extra_env, demo=demo, database_url=database_url) as site:
        site.manage("collectstatic", "--no-input", "-v0")
        site.server = site.start(
            sys.executable,
            "-m",
            "gunicorn",
            "briefs_cms.wsgi",
            "-b",
            f"127.0.0.1:{site.port}",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            name="gunicorn",
        )
        wait_for_port(site.port)
        yield site
