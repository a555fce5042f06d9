"""Numbers every process of the site reads, and any process moves on: the version of shared state.

The page cache's generation and the glossary matcher's version are such numbers: when one
process saves a term, every other process (gunicorn workers, the task worker, a management
command) must notice on its next request. With a shared cache (Redis) the number lives
there, and all machines see it. With a per-process cache (Django's local memory, the
embedded default) it lives in a small file under SHARED_COUNTERS_DIR, which every process
of the machine reads, replaced atomically on each move.
"""

import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache


def is_per_process(cache):
    """True when each process holds its own copy of `cache`, so a change in one is not seen by others."""
    return isinstance(cache, (LocMemCache, DummyCache))


class SharedCounter:
    """A number that only moves forward; `bump()` in any process is seen by `get()` in all."""

    def __init__(self, name, cache_alias="default"):
        self.name = name
        self.cache_alias = cache_alias

    @property
    def cache(self):
        return caches[self.cache_alias]

    @property
    def path(self):
        return Path(settings.SHARED_COUNTERS_DIR) / self.name

    def get(self):
        if is_per_process(self.cache):
            return self._read_file() or self._bump_file()
        key = f"counter:{self.name}"
        value = self.cache.get(key)
        if value is None:
            self.cache.add(key, time.time_ns(), timeout=None)
            value = self.cache.get(key)
        return value

    def bump(self):
        if is_per_process(self.cache):
            return self._bump_file()
        key = f"counter:{self.name}"
        value = max(time.time_ns(), (self.cache.get(key) or 0) + 1)
        self.cache.set(key, value, timeout=None)
        return value

    def _read_file(self):
        try:
            return int(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def _bump_file(self):
        value = max(time.time_ns(), (self._read_file() or 0) + 1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.name}-")
        with os.fdopen(handle, "w") as out:
            out.write(str(value))
        os.replace(temporary, self.path)
        return value
