"""The site's public address: the one place an absolute URL is made.

Feeds, sitemaps, canonical links, JSON-LD, the API and mails all call `absolute_url`, so a
media file that storage already serves from an absolute address (S3, a CDN) is never given
the site's address in front of it.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url():
    """The public origin, e.g. "https://briefs.example.com" (no trailing slash)."""
    return settings.SITE_URL


def absolute_url(path_or_url):
    """The public address of a site path; an address that already names its host is kept as it is."""
    value = str(path_or_url or "")
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return value
    if value.startswith("//"):  # scheme-relative (some storage backends): the site's scheme
        return f"{urlsplit(site_url()).scheme or 'https'}:{value}"
    return f"{site_url()}/{value.lstrip('/')}"
