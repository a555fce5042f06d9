"""The generation number: every cached page is stored with it, and a purge moves it on.

The number is a `core.counters.SharedCounter`, so a purge made in any process (a gunicorn
worker, the task worker, a management command) is seen by every other on its next
request, with Redis across machines and through a file on one machine. Pages held from
an older generation are never served again (only as a stand-in during an outage).
"""

from django.conf import settings
from django.core.cache import caches

from core.counters import SharedCounter, is_per_process


def _alias():
    return getattr(settings, "PUBLIC_PAGE_CACHE_ALIAS", "default")


def cache_alias():
    """The cache that holds public pages and their fragments."""
    return _alias()


def page_cache():
    return caches[_alias()]


def per_process():
    return is_per_process(page_cache())


def current_generation():
    return SharedCounter("page-generation", _alias()).get()


def purge():
    """Invalidate every cached public page at once."""
    SharedCounter("page-generation", _alias()).bump()
