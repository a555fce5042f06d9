from core.sitemaps import SiteURLSitemap

from .models import Term


class TermSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Term.objects.approved().only("slug", "updated_at")

    def lastmod(self, term):
        return term.updated_at
