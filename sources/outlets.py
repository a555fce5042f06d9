"""Outlets from links: which outlet a pasted link belongs to, and outlets made from publisher text.

A link's host is matched against registered domains and their parents (`forum.example.org`
and `www.example.org` both match `example.org`); the longest registered domain wins, so a
subdomain can belong to another outlet than its parent. Shared hosts (DOIs, archives, link
shorteners, code and video platforms: SOURCES_SHARED_DOMAINS) are never attached to an outlet
automatically, since links there belong to many publishers.
"""

from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models.functions import Length

from core.text import clean_line, make_slug

from .conf import setting
from .urlkeys import InvalidURL, host_candidates, idna_host, normalize_domain

NAME_MAX = 120
SLUG_MAX = 80


def _models(apps):
    if apps is None:
        from .models import Outlet, OutletDomain
    else:
        Outlet, OutletDomain = apps.get_model("sources", "Outlet"), apps.get_model("sources", "OutletDomain")  # noqa: N806
    return Outlet, OutletDomain


def suggest_outlet(url, *, apps=None):
    """The outlet a link belongs to by its host, or None. One indexed query."""
    try:
        candidates = host_candidates(url)
    except InvalidURL:
        return None
    if not candidates:
        return None
    _Outlet, OutletDomain = _models(apps)  # noqa: N806
    match = (
        OutletDomain.objects.filter(domain__in=candidates)
        .select_related("outlet")
        .order_by(Length("domain").desc())
        .first()
    )
    return match.outlet if match else None


def suggest_outlets(urls, *, apps=None) -> dict:
    """{url: outlet} for many links at once (links with no outlet are left out). One query."""
    wanted = {}
    for url in urls:
        try:
            wanted[url] = host_candidates(url)
        except InvalidURL:
            continue
    everything = {d for candidates in wanted.values() for d in candidates}
    if not everything:
        return {}
    _Outlet, OutletDomain = _models(apps)  # noqa: N806
    owners = {
        d.domain: d.outlet
        for d in OutletDomain.objects.filter(domain__in=everything).select_related("outlet")
    }
    found = {}
    for url, candidates in wanted.items():
        for domain in candidates:  # longest first
            if domain in owners:
                found[url] = owners[domain]
                break
    return found


def is_shared_domain(domain: str) -> bool:
    shared = {d.lower() for d in setting("SOURCES_SHARED_DOMAINS")}
    labels = domain.split(".")
    return any(".".join(labels[i:]) in shared for i in range(len(labels) - 1))


def _unique_slug(Outlet, name):  # noqa: N803
    base = make_slug(name, max_length=SLUG_MAX - 4, fallback="outlet")
    taken = set(Outlet.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _home_page(url):
    parts = urlsplit((url or "").strip())
    scheme = parts.scheme.lower() if parts.scheme.lower() in {"http", "https"} else "https"
    host = idna_host(parts.hostname or "")
    return f"{scheme}://[{host}]/" if ":" in host else f"{scheme}://{host}/"


def add_domain(outlet, domain, *, apps=None):
    """Register a domain for an outlet unless some outlet already has it; return whether it was added."""
    _Outlet, OutletDomain = _models(apps)  # noqa: N806
    domain = normalize_domain(domain)
    if OutletDomain.objects.filter(domain=domain).exists():
        return False
    try:
        with transaction.atomic():
            OutletDomain.objects.create(outlet=outlet, domain=domain)
    except IntegrityError:
        return False  # registered a moment ago by someone else
    return True


def outlet_for_publisher(name, url, *, apps=None):
    """The outlet for a publisher's name as typed on a link: found by name (ignoring case) or created.

    The link's host is registered as one of its domains when no outlet has it yet, no registered
    domain of this outlet already covers it, and it is not a shared host. Pass a migration's
    `apps` to use the historical models.
    """
    Outlet, _OutletDomain = _models(apps)  # noqa: N806
    home_page = _home_page(url)  # InvalidURL when the link has no host: nothing to go on
    try:
        domain = normalize_domain(url)
    except InvalidURL:
        domain = None  # an address such as an IP: the outlet is made, no domain registered
    name = clean_line(name or "")[:NAME_MAX].strip() or domain or urlsplit(home_page).hostname
    with transaction.atomic():
        outlet = Outlet.objects.filter(name__iexact=name).first()
        if outlet is None:
            try:
                with transaction.atomic():
                    outlet = Outlet.objects.create(
                        name=name, slug=_unique_slug(Outlet, name), home_page=home_page
                    )
            except IntegrityError:
                outlet = Outlet.objects.get(name__iexact=name)
        if domain and not is_shared_domain(domain):
            covered = suggest_outlet(url, apps=apps)
            if covered is None or covered.pk != outlet.pk:
                add_domain(outlet, domain, apps=apps)
    return outlet


def outlet_for_link(url, publisher="", *, apps=None):
    """The outlet of a link whose publisher was typed as `publisher`, made when there is none.

    The outlet of that name comes first (so "arXiv" on a mirror stays arXiv), then the outlet that
    owns the link's domain, then a new outlet named after the publisher (or the domain when no
    name was typed). None when the link has no host to go on.
    """
    Outlet, _OutletDomain = _models(apps)  # noqa: N806
    name = clean_line(publisher or "")[:NAME_MAX].strip()
    try:
        if name and Outlet.objects.filter(name__iexact=name).exists():
            return outlet_for_publisher(name, url, apps=apps)
        by_domain = suggest_outlet(url, apps=apps)
        if by_domain is not None:
            return by_domain
        return outlet_for_publisher(name, url, apps=apps)
    except InvalidURL:
        return None
