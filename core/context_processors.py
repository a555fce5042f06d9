from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

from .site import site_url


def site(request):
    """Site name and address for every template (titles, canonical links, footers)."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": site_url()}


# The links every public page carries (navigation, feeds, footer), reversed once per URL
# configuration instead of about fifteen times on every page.
SITE_LINKS = {
    "home": "briefs:home",
    "glossary": "glossary:index",
    "tags": "briefs:tags",
    "sources": "briefs:outlets",
    "newsletter": "newsletter:subscribe",
    "rss": "briefs:feed-rss",
    "atom": "briefs:feed-atom",
    "json_feed": "briefs:feed-json",
    "corrections": "briefs:corrections",
    "sitemap": "sitemap",
}

# Keyed by the resolver and the script prefix, so a changed URL configuration (tests swap
# ROOT_URLCONF; Django then builds a new resolver) or a site served under a prefix gets its own.
_reversed = {}


def site_links(request=None):
    """`site_links.glossary` and the like, for base.html; the 500 page passes them itself."""
    key = (get_resolver(get_urlconf()), get_script_prefix())
    links = _reversed.get(key)
    if links is None:
        links = _reversed[key] = {name: reverse(view) for name, view in SITE_LINKS.items()}
    return {"site_links": links}
