"""The site's public address: the one place an absolute URL is made.

Feeds, sitemaps, canonical links, JSON-LD, the API and mails all call `absolute_url`, so a
media file that storage already serves from an absolute address (S3, a CDN) is never given
the site's address in front of it.

In production SITE_URL is an explicit setting and every absolute link uses it. In
development (DEBUG with SITE_URL_FROM_REQUEST, on by default when SITE_URL is not set) the
links of a page follow the host and port its request came to, so `make run PORT=8101` never
links to port 8000. Outside a request (workflow mail, commands) SITE_URL stands; `make run`
sets it to the address it serves.
"""

from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings

_request_origin = ContextVar("request_origin", default=None)


def site_url():
    """The public origin, e.g. "https://briefs.example.com" (no trailing slash)."""
    return _request_origin.get() or settings.SITE_URL


class RequestSiteURLMiddleware:
    """In development, makes `site_url()` the origin of the request being answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.DEBUG and getattr(settings, "SITE_URL_FROM_REQUEST", False)):
            return self.get_response(request)
        token = _request_origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)


def absolute_url(path_or_url):
    """The public address of a site path; an address that already names its host is kept as it is."""
    value = str(path_or_url or "")
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return value
    if value.startswith("//"):  # scheme-relative (some storage backends): the site's scheme
        return f"{urlsplit(site_url()).scheme or 'https'}:{value}"
    return f"{site_url()}/{value.lstrip('/')}"
