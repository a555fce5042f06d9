"""How long a cached page may live: the timeout, cut short by the next moment a page changes on its own."""

from django.conf import settings
from django.utils import timezone

from . import registry
from .generation import page_cache

NOTHING_SCHEDULED = 0


def page_timeout():
    """Longest lifetime of a cached page, in seconds (also the proxies' s-maxage)."""
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_TIMEOUT", 300))


def _key(generation):
    return f"public-pages:{generation}:next-change"


def next_change_stamp(generation, stamp=None):
    """When the next scheduled change happens (a POSIX timestamp), or None; cached per generation.

    `stamp` is the cached value when the caller already fetched it (None: not fetched)."""
    if stamp is None:
        stamp = page_cache().get(_key(generation))
    if stamp is None:
        stamp = registry.next_change() or NOTHING_SCHEDULED
        page_cache().set(_key(generation), stamp, page_timeout())
    return None if stamp == NOTHING_SCHEDULED else stamp


def next_change_key(generation):
    return _key(generation)


def lifetime(generation, stamp=None):
    """Seconds a page may live now; None once the next scheduled change is due."""
    next_at = next_change_stamp(generation, stamp)
    if next_at is None:
        return page_timeout()
    remaining = next_at - timezone.now().timestamp()
    if remaining <= 0:
        return None
    return max(1, min(page_timeout(), int(remaining)))
