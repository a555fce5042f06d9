from urllib.parse import urlsplit

from django.contrib import sitemaps

from .site import site_url


class SiteURLSitemap(sitemaps.Sitemap):
    """A sitemap whose addresses use settings.SITE_URL, not whatever host the request named."""

    @property
    def protocol(self):
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc
