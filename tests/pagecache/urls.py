"""The real public URLs plus small pages under an allow-listed namespace, for the page-cache tests."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache

from briefs.models import Brief
from briefs_cms.urls import urlpatterns as root_urlpatterns


def tags_page(request):
    briefs = Brief.objects.published().prefetch_related("tags").order_by("pk")
    return HttpResponse(" | ".join(f"{b.headline}: {', '.join(sorted(b.tags.names()))}" for b in briefs))


@never_cache
def preview(request, pk):
    return HttpResponse(Brief.objects.get(pk=pk).headline)


def sets_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


extra = (
    [
        path("tags/", tags_page, name="tags"),
        path("preview/<int:pk>/", preview, name="preview"),
        path("cookie/", sets_cookie, name="cookie"),
    ],
    "search",
)

urlpatterns = [path("x/", include(extra)), *root_urlpatterns]
