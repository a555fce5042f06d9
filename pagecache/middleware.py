"""Whole-page caching of the public site for anonymous readers.

Only anonymous GET requests to the URL namespaces the content apps registered are
cached: a request carrying a session cookie is never served from nor stored into the
cache, and a response that sets a cookie, used a CSRF token or says private/no-store is
never stored. Each page is kept under its address with the generation it was rendered
in; it is served while that generation is current and its lifetime lasts. Cached and
fresh public responses carry an ETag and Last-Modified (304 on a match) and a
`Cache-Control` that lets a reverse proxy or CDN keep them.

When the database is down, a page still held fresh is served as usual; a page held only
from an older generation is served from that copy with 503 and `Retry-After`, so readers
see something while proxies and crawlers learn to come back.
"""

import hashlib
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from core.outage import RETRY_AFTER_SECONDS, is_outage_response

from . import registry
from .generation import current_generation, page_cache, purge
from .lifetimes import lifetime, next_change_key, page_timeout

PUBLIC_CACHE_CONTROL = "public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate=600"
PRIVATE_CACHE_CONTROL = "private, no-store"
STORED_STATUSES = (200,)
# How long a page is kept after it stops being fresh, to be shown during a database outage.
STALE_KEEP_SECONDS = 24 * 60 * 60


class PublicPageCacheMiddleware:
    """Cache anonymous GET responses of public pages; set Cache-Control, ETag and Last-Modified."""

    def __init__(self, get_response):
        if not getattr(settings, "PUBLIC_PAGE_CACHE_ENABLED", True):
            raise MiddlewareNotUsed("PUBLIC_PAGE_CACHE is off")
        self.get_response = get_response

    def is_public_page(self, request):
        try:
            match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
        except Resolver404:
            return False
        section = registry.sections().get(match.namespace)
        return section is not None and match.url_name not in section.private

    def __call__(self, request):
        if not self.is_public_page(request):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.private(self.get_response(request))

        generation = current_generation()
        key = self.key(request)
        found = page_cache().get_many([key, next_change_key(generation)])
        entry = found.get(key)
        try:
            seconds = lifetime(generation, found.get(next_change_key(generation)))
            if seconds is None:
                # A scheduled change is due: everything cached before it is stale.
                purge()
                generation = current_generation()
                seconds = lifetime(generation) or 1
        except DatabaseError:
            # The next scheduled change could not be read: no page is fresh, the view decides.
            seconds = None
        if request.method == "GET" and seconds and self.is_fresh(entry, generation):
            response = self.replay(entry)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if is_outage_response(response):
                return self.stale(entry) if entry is not None else response
            if not self.is_anonymous_public(request, response):
                return self.private(response)
            self.add_validators(response, generation)
            if request.method == "GET" and seconds and response.status_code in STORED_STATUSES:
                self.store(key, generation, seconds, response)
                response["X-Page-Cache"] = "miss"
        seconds = seconds or 1
        if response.status_code in STORED_STATUSES:
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL.format(
                max_age=min(60, seconds), s_maxage=min(page_timeout(), seconds)
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

    @staticmethod
    def key(request):
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        return f"public-pages:page:{url}"

    @staticmethod
    def is_fresh(entry, generation):
        return entry is not None and entry[0] == generation and entry[1] > time.time()

    @staticmethod
    def store(key, generation, seconds, response):
        headers = [(k, v) for k, v in response.items() if k.lower() != "x-page-cache"]
        entry = (generation, time.time() + seconds, response.status_code, headers, response.content)
        page_cache().set(key, entry, seconds + STALE_KEEP_SECONDS)

    @staticmethod
    def replay(entry):
        _, _, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        return response

    def stale(self, entry):
        """An older copy of the page while the database is down: 503, so nobody keeps it."""
        response = self.replay(entry)
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        response["X-Page-Cache"] = "stale"
        return response

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
