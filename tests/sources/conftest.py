import sys
import threading

import pytest
from django.db import transaction

from .servers import LocalWeb


class _ConnectLog:
    """Every socket.connect() the process makes, from Python's audit events (no patching involved)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.addresses = []

    def hook(self, event, args):
        if event == "socket.connect":
            with self.lock:
                self.addresses.append(args[1])

    def hosts(self):
        with self.lock:
            return [a[0] for a in self.addresses if isinstance(a, tuple)]

    def clear(self):
        with self.lock:
            self.addresses.clear()


CONNECTS = _ConnectLog()
sys.addaudithook(CONNECTS.hook)


@pytest.fixture
def connects():
    CONNECTS.clear()
    return CONNECTS


@pytest.fixture(autouse=True)
def checker_settings(settings):
    """Loopback servers allowed (127.0.0.1 and ::1 only), short timeouts, no pause between requests."""
    settings.SOURCES_ALLOW_LOOPBACK_FOR_TESTS = True
    settings.SOURCES_CONNECT_TIMEOUT = 1.0
    settings.SOURCES_READ_TIMEOUT = 1.0
    settings.SOURCES_URL_DEADLINE = 3.0
    settings.SOURCES_HOST_INTERVAL = 0.0
    settings.SOURCES_MIN_RECHECK_SECONDS = 0
    settings.SITE_NAME = "AI Research Briefs"
    settings.SITE_URL = "https://briefs.example"
    return settings


@pytest.fixture
def web():
    server = LocalWeb().start()
    yield server
    server.stop()


@pytest.fixture
def make_web():
    started = []

    def make(address="127.0.0.1", tls_context=None):
        server = LocalWeb(address, tls_context=tls_context).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def run_tasks(db, settings):
    """Queue tasks in the database, as production does; the returned function runs them as
    `manage.py db_worker --batch` does (without its connection recycling, which would close the
    test's transaction) and returns the results that ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": settings.TASK_BACKENDS["database"]}
    settings.TASKS_BACKEND = "database"

    def run():
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )
        ran = []
        while True:
            with transaction.atomic():
                row = DBTaskResult.objects.ready().get_locked()
                if row is None:
                    return ran
                row.claim(worker.worker_id)
            worker.run_task(row)
            row.refresh_from_db()
            assert row.status != "FAILED", row.traceback
            ran.append(row.task_result)

    return run
