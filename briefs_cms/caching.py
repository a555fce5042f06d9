"""Whole-page caching of the public site for anonymous readers, invalidated by a generation number.

Every cached page is stored under the current *generation*, a number kept in the
cache and moved forward whenever anything readers can see changes (a signal
receiver on each public model, registered in `BriefsConfig.ready`, and
`bump_generation()` for bulk writes that send no signals). Old entries are simply
never read again. The next scheduled publication bounds every lifetime, and the
first request after that moment moves the generation on, so a scheduled brief
appears on time.

Only anonymous GET requests to allow-listed URL namespaces are cached: a request
carrying a session cookie is never served from nor stored into the cache, and a
response that sets a cookie, used a CSRF token or says private/no-store is never
stored. Cached and fresh public responses carry an ETag and Last-Modified (304 on
a match) and a `Cache-Control` that lets a reverse proxy or CDN keep them.

With the local-memory cache each process has its own generation, so a change
made in one process reaches others only when their entries expire: production
with several workers sets `REDIS_URL`.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

GENERATION_KEY = "public-pages:generation"
DEFAULT_NAMESPACES = ("briefs", "glossary", "search")
# URL names under those namespaces that show unpublished content: never cached.
DEFAULT_PRIVATE_NAMES = ("shared",)  # briefs:shared, the share-link view of an unpublished brief
PUBLIC_CACHE_CONTROL = "public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate=600"
PRIVATE_CACHE_CONTROL = "private, no-store"
STORED_STATUSES = (200,)
NO_SCHEDULE = 0


def _cache():
    return caches[getattr(settings, "PUBLIC_PAGE_CACHE_ALIAS", "default")]


def page_timeout():
    """Longest lifetime of a cached page, in seconds (also the proxies' s-maxage)."""
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_TIMEOUT", 300))


def current_generation():
    """The generation number; a fresh one (the current time in ns) when the cache has none."""
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    """Invalidate every cached public page; the new number is the time of the change in ns."""
    cache = _cache()
    generation = cache.get(GENERATION_KEY) or 0
    cache.set(GENERATION_KEY, max(time.time_ns(), generation + 1), timeout=None)


def public_content_changed(**kwargs):
    """Signal receiver: invalidate now, and again when the transaction commits.

    The second bump drops pages another request may have cached from the old rows
    while the transaction was still open.
    """
    bump_generation()
    if transaction.get_connection(kwargs.get("using")).in_atomic_block:
        transaction.on_commit(bump_generation, using=kwargs.get("using"))


# Saves of a user that change nothing readers see (author names appear on brief pages).
PRIVATE_USER_FIELDS = {"last_login", "password"}


def author_changed(sender, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= PRIVATE_USER_FIELDS:
        return
    public_content_changed(**kwargs)


def next_scheduled_key(generation):
    return f"public-pages:{generation}:next-scheduled"


def next_scheduled_publication(generation, stamp=None):
    """When the next scheduled brief goes live (a POSIX timestamp), or None; cached per generation.

    `stamp` is the cached value when the caller already fetched it.
    """
    from briefs.models import Brief

    if stamp is None:
        when = Brief.objects.scheduled().order_by("published_at").values_list("published_at", flat=True)
        when = when.first()
        stamp = when.timestamp() if when else NO_SCHEDULE
        _cache().set(next_scheduled_key(generation), stamp, page_timeout())
    return None if stamp == NO_SCHEDULE else stamp


def _count_keys(name):
    generation = current_generation()
    return f"public-pages:{generation}:count:{name}", generation


def cached_count(name):
    """A number readers see (how many briefs a list has, for its page numbers), or None.

    Counts are stored per generation by `store_count`: any change readers can see moves
    the generation on, and a stored count expires when the next scheduled brief goes live.
    On the home page at 100,000 briefs this saves a COUNT(*) over the archive (a sequential
    scan) on every uncached render. Callers still check it against the rows they read
    (see `briefs.pagination.CachedCountPaginator`), since bulk updates send no signals.
    """
    return _cache().get(_count_keys(name)[0])


def store_count(name, count):
    key, generation = _count_keys(name)
    cache = _cache()
    timeout = page_timeout()
    next_at = next_scheduled_publication(generation, cache.get(next_scheduled_key(generation)))
    if next_at is not None:
        timeout = min(timeout, int(next_at - timezone.now().timestamp()))
    if timeout > 0:
        cache.set(key, count, timeout)


class PublicPageCacheMiddleware:
    """Cache anonymous GET responses of public pages; set Cache-Control, ETag and Last-Modified."""

    def __init__(self, get_response):
        if not getattr(settings, "PUBLIC_PAGE_CACHE_ENABLED", True):
            raise MiddlewareNotUsed("PUBLIC_PAGE_CACHE is off")
        self.get_response = get_response
        self.namespaces = set(getattr(settings, "PUBLIC_PAGE_NAMESPACES", DEFAULT_NAMESPACES))
        self.private_names = set(getattr(settings, "PUBLIC_PAGE_PRIVATE_NAMES", DEFAULT_PRIVATE_NAMES))

    def is_public_page(self, request):
        try:
            match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return match.namespace in self.namespaces and match.url_name not in self.private_names

    def __call__(self, request):
        if not self.is_public_page(request):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.private(self.get_response(request))

        generation = current_generation()
        key = self.key(request, generation)
        # One round trip for the page and the next scheduled time, both keyed by the generation.
        found = _cache().get_many([key, next_scheduled_key(generation)])
        lifetime = self.lifetime(generation, found.get(next_scheduled_key(generation)))
        cached = found.get(key) if request.method == "GET" else None
        if lifetime is None:
            # A scheduled brief has just gone live: everything cached before it is stale.
            bump_generation()
            generation = current_generation()
            key = self.key(request, generation)
            lifetime = self.lifetime(generation) or 1
            cached = None
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not self.is_anonymous_public(request, response):
                return self.private(response)
            self.add_validators(response, generation)
            if request.method == "GET" and response.status_code in STORED_STATUSES:
                headers = [(k, v) for k, v in response.items() if k.lower() not in ("x-page-cache",)]
                _cache().set(key, (response.status_code, headers, response.content), lifetime)
                response["X-Page-Cache"] = "miss"
        if response.status_code in STORED_STATUSES:
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL.format(
                max_age=min(60, lifetime), s_maxage=min(page_timeout(), lifetime)
            )
        else:
            # A 404 may be a brief about to be published: let nobody keep it.
            response["Cache-Control"] = "no-cache"
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=generation // 1_000_000_000,
            response=response,
        )

    def lifetime(self, generation, stamp=None):
        """Seconds a page may live: the timeout, cut short by the next scheduled brief; None once due."""
        next_at = next_scheduled_publication(generation, stamp)
        if next_at is None:
            return page_timeout()
        remaining = next_at - timezone.now().timestamp()
        if remaining <= 0:
            return None
        return max(1, min(page_timeout(), int(remaining)))

    @staticmethod
    def key(request, generation):
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        return f"public-pages:{generation}:page:{url}"

    @staticmethod
    def is_anonymous_public(request, response):
        user = getattr(request, "user", None)
        cache_control = response.get("Cache-Control", "").lower()
        return not (
            (user is not None and user.is_authenticated)
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or request.META.get("CSRF_COOKIE_USED")
            or response.streaming
            or any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def add_validators(response, generation):
        if response.streaming or response.status_code != 200:
            return
        if not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(generation // 1_000_000_000)

    @staticmethod
    def private(response):
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


def connect_signals():
    """Invalidate cached pages whenever any model readers see is saved, deleted or relinked."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from taggit.models import Tag, TaggedItem

    from briefs.models import Brief, BriefPoint, BriefTerm, Correction, SourceLink
    from glossary.models import Term, TermAlias

    for model in (Brief, BriefPoint, BriefTerm, SourceLink, Correction, Term, TermAlias, Tag, TaggedItem):
        uid = f"public-pages:{model._meta.label}"
        post_save.connect(public_content_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(public_content_changed, sender=model, dispatch_uid=uid + ":delete")
    post_save.connect(author_changed, sender=get_user_model(), dispatch_uid="public-pages:author:save")
    for through in (Brief.tags.through, Brief.terms.through, Term.related_terms.through):
        m2m_changed.connect(
            public_content_changed, sender=through, dispatch_uid=f"public-pages:{through._meta.label}:m2m"
        )
