"""A database outage under load is a 503 with Retry-After, never a 500, and the site recovers by itself.

gunicorn with production settings reaches PostgreSQL through a small TCP proxy the test runs
and cuts for a few seconds (the machine's PostgreSQL itself is never stopped).
"""

import contextlib
import os
import secrets
import socket
import sys
import threading
import time

import pytest
from django.db import connection

from tests.servers import _postgres_database, fetch, free_port, site_database, wait_for_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAGES = [
    "",
    "briefs/new-paper-argues-for-a-scientific-theory-of-deep-learning/",
    "glossary/",
    "glossary/learning-mechanics/",
    "tags/",
    "api/v1/briefs/",
]


class CuttableProxy:
    """Forwards TCP to PostgreSQL; `cut()` drops every connection and refuses new ones until `restore()`."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.open = threading.Event()
        self.open.set()
        self.sockets = set()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update({client, upstream})
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    def pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self):
        self.open.clear()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            self.sockets.clear()

    def restore(self):
        self.open.set()

    def close(self):
        self.listener.close()
        self.cut()


def test_pages_answer_503_while_the_database_is_cut_and_200_after(tmp_path):
    params = connection.settings_dict
    name = f"briefs_outage_{os.getpid()}_{secrets.token_hex(3)}"
    direct, drop = _postgres_database(name)
    proxy = CuttableProxy((params["HOST"], int(params["PORT"])))
    try:
        env = {"PUBLIC_PAGE_CACHE": "0", "CONN_MAX_AGE": "600"}
        with site_database(tmp_path, extra_env=env, database_url=direct) as site:
            site.manage("collectstatic", "--no-input", "-v0")
            site.env["DATABASE_URL"] = f"postgres://{params['USER']}@127.0.0.1:{proxy.port}/{name}"
            server = site.start(
                sys.executable,
                "-m",
                "gunicorn",
                "briefs_cms.wsgi",
                "-b",
                f"127.0.0.1:{site.port}",
                "-w",
                "2",
                name="gunicorn",
            )
            wait_for_port(site.port)
            assert {fetch(site.url + page)[0] for page in PAGES} == {200}

            proxy.cut()
            during = []
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline:
                for page in PAGES:
                    during.append((page, *fetch(site.url + page)))
            proxy.restore()
            time.sleep(0.5)
            after = [(page, fetch(site.url + page)[0]) for page in PAGES for _ in range(3)]

            log = site.log(server)
    finally:
        proxy.close()
        drop()

    statuses = {status for _, status, _, _ in during}
    assert statuses == {503}, sorted({(page, status) for page, status, _, _ in during})
    assert all(headers.get("Retry-After") for _, _, headers, _ in during)
    api = [body for page, _, _, body in during if page.startswith("api/")]
    assert api and all('"detail"' in body for body in api)
    assert {status for _, status in after} == {200}, after
    assert len(during) >= len(PAGES)
    assert "Internal Server Error" not in log and "Traceback" not in log, log[-3000:]
