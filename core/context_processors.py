from django.conf import settings


def site(request):
    """Site name and address for every template (titles, canonical links, footers)."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
