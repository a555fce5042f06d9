"""Checking many links politely: one request at a time per host, a pause between them, hosts in parallel.

The rule is held by `HostGate`, which every request passes through, redirect hops included: a
link on host A that redirects to host B waits for B's turn like any other request to B. The
plan only makes good use of the threads, handing each worker a host nobody else is working on,
the busiest one whose turn has come. Nothing here touches the database: results are handed back to
the caller's thread, which records them.
"""

import contextlib
import logging
import math
import queue
import threading
import time
from collections import deque

from .conf import setting
from .fetch import FetchOptions, fetch
from .urlkeys import InvalidURL, host_key

logger = logging.getLogger(__name__)


class _Slot:
    __slots__ = ("lock", "last_end")

    def __init__(self):
        self.lock = threading.Lock()
        self.last_end = -math.inf


class HostGate:
    """One request in flight per host, and at least `interval` seconds from the end of one to the next."""

    def __init__(self, interval):
        self.interval = float(interval)
        self._lock = threading.Lock()
        self._slots = {}

    def _slot(self, host):
        with self._lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = self._slots[host] = _Slot()
            return slot

    def ready_at(self, host):
        slot = self._slots.get(host)
        return slot.last_end + self.interval if slot else -math.inf

    @contextlib.contextmanager
    def __call__(self, host):
        slot = self._slot(host)
        with slot.lock:
            wait = slot.last_end + self.interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                slot.last_end = time.monotonic()


class _Plan:
    """The URLs still to check, queued by host; a host is handed to one worker at a time."""

    def __init__(self, urls, gate):
        self._gate = gate
        self._queues = {}
        for url in urls:
            try:
                key = host_key(url)
            except InvalidURL:
                key = ""  # refused before any request; no host to be polite to
            self._queues.setdefault(key, deque()).append(url)
        self._busy = set()
        self._cancelled = False
        self._cond = threading.Condition()

    @property
    def host_count(self):
        return len(self._queues)

    def take(self):
        with self._cond:
            while not self._cancelled:
                free = [host for host, urls in self._queues.items() if urls and host not in self._busy]
                if free:
                    # Of the hosts whose turn has come, the one with most links left (it bounds the
                    # run's length); when none is ready, the one whose turn comes first.
                    now = time.monotonic()
                    ready = [host for host in free if self._gate.ready_at(host) <= now]
                    if ready:
                        host = max(ready, key=lambda h: len(self._queues[h]))
                    else:
                        host = min(free, key=self._gate.ready_at)
                    self._busy.add(host)
                    return host, self._queues[host].popleft()
                if not any(self._queues.values()):
                    return None
                self._cond.wait()
            return None

    def done(self, host):
        with self._cond:
            self._busy.discard(host)
            if not self._queues.get(host):
                self._queues.pop(host, None)
            self._cond.notify_all()

    def cancel(self):
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()


def check_many(urls, *, options=None, workers=None, interval=None, gate=None):
    """Yield a FetchResult for each URL as it is checked (in no fixed order).

    `workers` threads (SOURCES_CHECK_WORKERS) serve different hosts at once; each host gets one
    request at a time, `interval` seconds apart (SOURCES_HOST_INTERVAL). Stopping the iteration
    early stops the workers after their current request.
    """
    options = options or FetchOptions.from_settings()
    gate = gate or HostGate(setting("SOURCES_HOST_INTERVAL") if interval is None else interval)
    plan = _Plan(list(urls), gate)
    if not plan.host_count:
        return
    results = queue.Queue()
    finished = object()

    def work():
        try:
            while (item := plan.take()) is not None:
                host, url = item
                try:
                    results.put(fetch(url, options=options, gate=gate))
                except Exception:
                    # A bug here must not end the batch or count as a failure of the link.
                    logger.exception("Link check of %s failed inside the checker", url)
                finally:
                    plan.done(host)
        finally:
            results.put(finished)

    count = max(1, min(int(workers or setting("SOURCES_CHECK_WORKERS")), plan.host_count))
    threads = [threading.Thread(target=work, name=f"linkcheck-{i}", daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    running = count
    try:
        while running:
            item = results.get()
            if item is finished:
                running -= 1
            else:
                yield item
    finally:
        plan.cancel()
        for thread in threads:
            thread.join()
