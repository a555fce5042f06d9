"""One link check: HEAD (GET when HEAD is refused), redirects followed by hand, little read.

Built on the standard library's `http.client` over a socket this module connects itself, to
the address the guard vetted (see guard.py): no library in between can look the name up again,
follow a redirect on its own, or read more of a body than asked. HTTPS verifies the certificate
against the host name (SNI) while connecting to the pinned address.

Every request is bounded three ways: a connect timeout, a read timeout per socket read, and a
deadline for the whole URL (all hops) enforced by closing the socket, so a server dribbling a
byte at a time cannot hold a checker thread.
"""

import contextlib
import functools
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone

from . import guard
from .conf import setting
from .outcomes import Outcome
from .urlkeys import InvalidURL, host_key, normalize_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
# HEAD answers that often mean "this server does not do HEAD", not "this page is gone".
HEAD_REFUSED_STATUSES = frozenset({400, 403, 404, 405, 406, 501})
ERROR_TEXT_LIMIT = 500


@dataclass(frozen=True)
class FetchOptions:
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_body_bytes: int
    max_redirects: int
    user_agent: str
    ca_file: str | None = None

    @classmethod
    def from_settings(cls, **overrides):
        values = {
            "connect_timeout": float(setting("SOURCES_CONNECT_TIMEOUT")),
            "read_timeout": float(setting("SOURCES_READ_TIMEOUT")),
            "deadline": float(setting("SOURCES_URL_DEADLINE")),
            "max_body_bytes": int(setting("SOURCES_MAX_BODY_BYTES")),
            "max_redirects": int(setting("SOURCES_MAX_REDIRECTS")),
            "user_agent": user_agent(),
            "ca_file": setting("SOURCES_TLS_CA_FILE"),
        }
        return cls(**{**values, **overrides})


def user_agent():
    return f"{settings.SITE_NAME} link checker (+{settings.SITE_URL})"


@dataclass
class FetchResult:
    """What a check found: the history row of one URL, before it is stored."""

    url: str
    outcome: str
    status_code: int | None = None
    final_url: str = ""
    chain: list = field(default_factory=list)
    error: str = ""
    elapsed_ms: int = 0
    bytes_read: int = 0
    checked_at: datetime = field(default_factory=timezone.now)

    @property
    def permanent_target(self) -> str:
        """Where the permanent redirects at the start of the chain lead, when the chain ends well."""
        if self.outcome != Outcome.OK:
            return ""
        target = ""
        for hop, following in zip(self.chain, self.chain[1:], strict=False):
            if hop["status"] not in PERMANENT_REDIRECTS:
                break
            target = following["url"]
        return target


class _Failed(Exception):
    def __init__(self, outcome, message):
        super().__init__(message)
        self.outcome = outcome


@dataclass
class _Answer:
    status: int
    location: str | None
    bytes_read: int


class _Budget:
    """Time left for one URL: only time spent on the network counts, not waiting for a host's turn."""

    def __init__(self, seconds):
        self.left = seconds
        self.spent = 0.0

    def charge(self, seconds):
        self.left -= seconds
        self.spent += seconds


@functools.lru_cache(maxsize=4)
def _tls_context(ca_file):
    context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a vetted address; the Host header still names the host."""

    def __init__(self, target, *, connect_timeout, read_timeout, on_socket):
        super().__init__(target.host, target.port, timeout=read_timeout)
        self._target = target
        self._connect_timeout = connect_timeout
        self._on_socket = on_socket

    def connect(self):
        last_error = None
        for family, sockaddr in self._target.addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self._connect_timeout)
                try:
                    sock.connect(sockaddr)
                except TimeoutError as exc:
                    raise _Failed(
                        Outcome.CONNECT_TIMEOUT,
                        f"No connection to {sockaddr[0]} within {self._connect_timeout:g} s.",
                    ) from exc
                sock.settimeout(self.timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except (OSError, _Failed) as exc:
                sock.close()
                last_error = exc
                continue
            self.sock = sock
            self._on_socket(sock)
            return
        raise last_error


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def __init__(self, target, *, context, **kwargs):
        super().__init__(target, **kwargs)
        self._context = context

    def connect(self):
        super().connect()
        # Handshake after the watchdog holds the TLS socket, so the deadline bounds it too.
        sock = self._context.wrap_socket(self.sock, server_hostname=self.host, do_handshake_on_connect=False)
        self.sock = sock
        self._on_socket(sock)
        sock.do_handshake()


class _Watchdog:
    """Shuts the socket down when the URL's deadline passes, whatever read http.client is blocked in.

    It holds the socket itself: with `Connection: close` http.client hands the socket over to
    the response and forgets it.
    """

    def __init__(self, seconds):
        self.fired = False
        self.sock = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def watch(self, sock):
        with self._lock:
            self.sock = sock
            if self.fired:
                self._shutdown()

    def _shutdown(self):
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)

    def _fire(self):
        with self._lock:
            self.fired = True
            self._shutdown()

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()


def _headers(options):
    return {
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Encoding": "identity",
        "Connection": "close",
    }


def _read_capped(response, limit):
    """Read at most `limit` bytes of the body, then stop: the caller closes the connection."""
    read = 0
    while read < limit:
        chunk = response.read1(min(16 * 1024, limit - read))
        if not chunk:
            break
        read += len(chunk)
    return read


def _request(target, method, options, budget) -> _Answer:
    watchdog = _Watchdog(budget.left)
    kwargs = {
        "connect_timeout": min(options.connect_timeout, max(budget.left, 0.001)),
        "read_timeout": options.read_timeout,
        "on_socket": watchdog.watch,
    }
    if target.is_https:
        conn = _PinnedHTTPSConnection(target, context=_tls_context(options.ca_file), **kwargs)
    else:
        conn = _PinnedHTTPConnection(target, **kwargs)
    started = time.monotonic()
    response = None
    try:
        with watchdog:
            conn.connect()
            conn.request(method, target.path, headers=_headers(options))
            response = conn.getresponse()
            read = 0
            if method == "GET" and 200 <= response.status < 300:
                read = _read_capped(response, options.max_body_bytes)
            if watchdog.fired:  # the deadline cut the body short: reads ended early, not the body
                raise TimeoutError
            return _Answer(response.status, response.getheader("Location"), read)
    except _Failed:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if watchdog.fired:
            raise _Failed(
                Outcome.READ_TIMEOUT, f"The check took longer than {options.deadline:g} s in all."
            ) from exc
        raise _classify(exc, options) from exc
    finally:
        if response is not None:
            response.close()  # with `Connection: close` the response, not the connection, owns the socket
        conn.close()
        budget.charge(time.monotonic() - started)


def _classify(exc, options) -> _Failed:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Failed(Outcome.TLS_ERROR, f"The certificate was refused: {exc.verify_message or exc}.")
    if isinstance(exc, ssl.SSLError):
        return _Failed(Outcome.TLS_ERROR, f"TLS failed: {exc.reason or exc}.")
    if isinstance(exc, TimeoutError):
        return _Failed(Outcome.READ_TIMEOUT, f"No answer within {options.read_timeout:g} s.")
    if isinstance(exc, ConnectionRefusedError):
        return _Failed(Outcome.REFUSED, "The server refused the connection.")
    if isinstance(exc, http.client.HTTPException | ConnectionResetError | BrokenPipeError):
        return _Failed(Outcome.CONNECTION_ERROR, f"The server broke off the answer ({type(exc).__name__}).")
    return _Failed(Outcome.CONNECTION_ERROR, f"The connection failed: {exc}.")


def _ask(target, key, options, budget, gate) -> _Answer:
    """HEAD first; GET when the server refuses HEAD (by status or by hanging up)."""
    try:
        with gate(key):
            answer = _request(target, "HEAD", options, budget)
        if answer.status not in HEAD_REFUSED_STATUSES:
            return answer
    except _Failed as failure:
        if failure.outcome != Outcome.CONNECTION_ERROR:
            raise
    if budget.left <= 0:
        raise _Failed(Outcome.READ_TIMEOUT, f"The check took longer than {options.deadline:g} s in all.")
    with gate(key):
        return _request(target, "GET", options, budget)


def fetch(url, *, options=None, gate=None) -> FetchResult:
    """Check one URL and every redirect it leads to. Never raises for anything a server does."""
    options = options or FetchOptions.from_settings()
    gate = gate or (lambda _host: contextlib.nullcontext())
    result = FetchResult(url=url, outcome=Outcome.INVALID_URL)
    budget = _Budget(options.deadline)
    try:
        seen = {normalize_url(url)}
    except InvalidURL:
        seen = set()
    current = url
    try:
        while True:
            result.final_url = current
            try:
                target = guard.vet(current)
            except guard.Refused as refusal:
                result.chain.append({"url": current, "status": None})
                raise _Failed(refusal.outcome, str(refusal)) from refusal
            if budget.left <= 0:
                raise _Failed(
                    Outcome.READ_TIMEOUT, f"The check took longer than {options.deadline:g} s in all."
                )
            try:
                answer = _ask(target, host_key(current), options, budget, gate)
            except _Failed:
                result.chain.append({"url": current, "status": None})
                raise
            result.chain.append({"url": current, "status": answer.status})
            result.bytes_read += answer.bytes_read
            if answer.status in REDIRECT_STATUSES and answer.location:
                following = urljoin(current, answer.location.strip())
                try:
                    key = normalize_url(following)
                except InvalidURL:
                    key = following
                if key in seen:
                    result.chain.append({"url": following, "status": None})
                    result.final_url = following
                    raise _Failed(
                        Outcome.REDIRECT_LOOP, "The redirects lead back to an address already visited."
                    )
                if len(result.chain) > options.max_redirects:
                    raise _Failed(
                        Outcome.TOO_MANY_REDIRECTS,
                        f"More than {options.max_redirects} redirects; stopped there.",
                    )
                seen.add(key)
                current = following
                continue
            result.outcome = Outcome.OK if 200 <= answer.status < 300 else Outcome.HTTP_ERROR
            return result
    except _Failed as failure:
        result.outcome = failure.outcome
        result.error = str(failure)[:ERROR_TEXT_LIMIT]
        return result
    finally:
        result.status_code = result.chain[-1]["status"] if result.chain else None
        result.elapsed_ms = round(budget.spent * 1000)
