from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from .converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

admin.site.site_header = "Briefs CMS"
admin.site.site_title = "Briefs CMS"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("glossary/", include("glossary.urls")),
    path("search/", include("search.urls")),
    path("", include("briefs.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
