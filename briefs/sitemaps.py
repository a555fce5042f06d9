from django.urls import reverse

from core.sitemaps import SiteURLSitemap

from . import selectors
from .models import Brief


class BriefSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Brief.objects.published().only("slug", "published_at", "content_updated_at")

    def lastmod(self, brief):
        return brief.content_updated_at or brief.published_at


class TagSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return selectors.tags_with_counts()

    def location(self, tag):
        return reverse("briefs:tag", kwargs={"slug": tag.slug})


class PageSitemap(SiteURLSitemap):
    """The site's own pages: the lists readers start from."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["briefs:home", "briefs:tags", "briefs:corrections", "glossary:index"]

    def location(self, name):
        return reverse(name)


class OutletSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return selectors.outlets_with_counts()

    def location(self, outlet):
        return reverse("briefs:outlet", kwargs={"slug": outlet.slug})
