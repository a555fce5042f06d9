"""Site-wide pieces shared by the apps' public views: pagination, robots.txt, the error page."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .site_url import site_url


class PaginatedMixin:
    """Adds `page_links`: page numbers with ellipses ("1 … 4 5 6 … 20") for the pagination nav."""

    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None and context.get("is_paginated"):
            context["page_links"] = list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            )
        return context


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {site_url()}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def server_error(request, template_name="500.html"):
    """The 500 page, rendered without touching the database (it may be what failed)."""
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))
