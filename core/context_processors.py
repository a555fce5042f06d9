from django.conf import settings

from .site import site_url


def site(request):
    """Site name and address for every template (titles, canonical links, footers)."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": site_url()}
