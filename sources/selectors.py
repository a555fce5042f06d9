"""Reads of the link-check history: what is due, where a URL stands, what is broken."""

from django.utils import timezone

from .models import LinkCheck, LinkState
from .urlkeys import url_hash


def urls_due(limit, *, now=None) -> list[str]:
    """URLs due for a check (never checked, or checked longer ago than their state allows), oldest first."""
    now = now or timezone.now()
    return list(
        LinkState.objects.filter(next_check_at__lte=now)
        .order_by("next_check_at")
        .values_list("url", flat=True)[:limit]
    )


def states_for_urls(urls) -> dict:
    """{url as given: LinkState} for the URLs that are tracked, in one query."""
    keys = {url: url_hash(url) for url in urls}
    found = {state.url_hash: state for state in LinkState.objects.filter(url_hash__in=set(keys.values()))}
    return {url: found[key] for url, key in keys.items() if key in found}


def state_for_url(url):
    return LinkState.objects.filter(url_hash=url_hash(url)).first()


def broken_states():
    """Broken links, most recently confirmed first."""
    return LinkState.objects.filter(state=LinkState.State.BROKEN).order_by("-last_checked_at")


def states_needing_attention():
    """What a moderator should look at: broken links and permanent redirects to offer."""
    return LinkState.objects.filter(state__in=[LinkState.State.BROKEN, LinkState.State.MOVED]).order_by(
        "state", "-last_checked_at"
    )


def check_history(url, *, limit=20):
    return list(LinkCheck.objects.filter(url_hash=url_hash(url)).order_by("-checked_at", "-id")[:limit])
