"""Site-wide pages: robots.txt and the error page."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .context_processors import site_links
from .outage import outage_in_progress, outage_response
from .site import absolute_url


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def server_error(request, template_name="500.html"):
    """The 500 page, rendered without touching the database (it may be what failed).

    A database that cannot be reached is an outage, not a bug: 503 with Retry-After."""
    if outage_in_progress():
        return outage_response(request)
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME, **site_links()}))


def bad_request(request, exception, template_name="400.html"):
    """400, saying what was wrong with the request when we know (a form post too big to be one)."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        reason = (
            "The form you sent holds far more text than any brief needs, so it was not read and nothing "
            "was saved. Go back, shorten the longest field, and save again."
        )
    else:
        reason = "The request could not be understood. Nothing was changed."
    template = loader.get_template(template_name)
    return HttpResponseBadRequest(
        template.render({"SITE_NAME": settings.SITE_NAME, "reason": reason}, request)
    )
