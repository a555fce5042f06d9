"""The site's public address: settings.SITE_URL, or in development the address being browsed.

In production SITE_URL is an explicit setting and every absolute link (canonical, og:url,
feeds, sitemap, mail) uses it. In development (DEBUG, SITE_URL_FROM_REQUEST, on by default
when SITE_URL is not set) the links of a page follow the host and port its request came to,
so `runserver 8101` or `make run PORT=8101` never links to port 8000. Outside a request (mail
sent by the workflow, commands) SITE_URL stands; `make run` sets it to the address it serves.
"""

from contextvars import ContextVar

from django.conf import settings

_request_origin = ContextVar("request_origin", default=None)


def site_url():
    """Scheme, host and port of the site, without a trailing slash."""
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
