from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, register_converter

from briefs.sitemaps import BriefSitemap, OutletSitemap, PageSitemap, TagSitemap
from core.converters import UnicodeSlugConverter
from core.views import robots_txt
from glossary.sitemaps import TermSitemap

register_converter(UnicodeSlugConverter, "uslug")

SITEMAPS = {
    "pages": PageSitemap,
    "briefs": BriefSitemap,
    "terms": TermSitemap,
    "tags": TagSitemap,
    "sources": OutletSitemap,
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("glossary/", include("glossary.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("api/", include("api.urls")),
    path("search/", include("search.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("", include("briefs.urls")),
]

handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
