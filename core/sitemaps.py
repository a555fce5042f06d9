from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps


class SiteURLSitemap(sitemaps.Sitemap):
    """A sitemap whose addresses use settings.SITE_URL, not whatever host the request named."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc
