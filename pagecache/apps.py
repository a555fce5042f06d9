from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Whole-page cache of the public site; the content apps say what it caches and what purges it."""

    name = "pagecache"
    verbose_name = "Page cache"
