"""Real HTTP servers on loopback for the link-checker tests, each recording what it was asked."""

import contextlib
import http.server
import socket
import ssl
import threading
import time
from collections import defaultdict


class Recorder:
    """Requests a server saw, and how many were in flight at once for each Host header."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.in_flight = defaultdict(int)
        self.max_in_flight = defaultdict(int)
        self.max_total = 0
        self.starts = defaultdict(list)

    @contextlib.contextmanager
    def serving(self, handler):
        """Count the request as in flight until `handler.finished()` (called before the answer's last
        write, so a client cannot have sent its next request before) or the handler returns."""
        host = handler.headers.get("Host", "")
        done = []

        def finished():
            with self.lock:
                if not done:
                    done.append(True)
                    self.in_flight[host] -= 1

        handler.finished = finished
        with self.lock:
            self.requests.append(
                {
                    "method": handler.command,
                    "path": handler.path,
                    "host": host,
                    "headers": dict(handler.headers),
                }
            )
            self.in_flight[host] += 1
            self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
            self.max_total = max(self.max_total, sum(self.in_flight.values()))
            self.starts[host].append(time.monotonic())
        try:
            yield
        finally:
            finished()


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "TestServer"

    def log_message(self, *args):
        pass

    def _dispatch(self):
        web = self.server.web
        path = self.path.split("?", 1)[0]
        route = web.routes.get(path)
        with web.recorder.serving(self):
            if route is None:
                self.reply(404)
            else:
                route(self)

    do_GET = do_HEAD = do_POST = _dispatch

    def reply(self, status, *, headers=None, body=b""):
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        lines = [f"HTTP/1.0 {status} {self.responses.get(status, ('Status',))[0]}", "Server: TestServer"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body if self.command != "HEAD" else b"")
        self.finished()
        self.wfile.write(raw)


class LocalWeb:
    """A ThreadingHTTPServer in a thread on a free loopback port; `routes` maps a path to a handler."""

    def __init__(self, address="127.0.0.1", tls_context=None):
        self.routes = {}
        self.recorder = Recorder()
        server_class = (
            http.server.ThreadingHTTPServer
            if ":" not in address
            else type("V6Server", (http.server.ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
        )
        self.server = server_class((address, 0), _Handler)
        self.server.daemon_threads = True
        self.server.web = self
        if tls_context is not None:
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self.address = address
        self.port = self.server.server_address[1]
        self.scheme = "https" if tls_context else "http"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path="/", host=None):
        host = host or (f"[{self.address}]" if ":" in self.address else self.address)
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path):
        def register(fn):
            self.routes[path] = fn
            return fn

        return register

    @property
    def requests(self):
        return list(self.recorder.requests)


def free_port(address="127.0.0.1"):
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def full_backlog(address="127.0.0.1"):
    """A listening socket that never accepts, its backlog already full: a connect to it times out."""
    listener = socket.socket()
    listener.bind((address, 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname(), timeout=1)
    try:
        yield listener.getsockname()[1]
    finally:
        filler.close()
        listener.close()


def tls_server_context(ca, name, *, seen_names=None):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    if seen_names is not None:

        def remember(sock, server_name, _context):
            seen_names.append(server_name)

        context.sni_callback = remember
    return context
