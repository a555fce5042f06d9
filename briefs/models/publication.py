"""What readers may see, defined once: the publication rules and the brief queryset built on them."""

from django.db import models
from django.utils import timezone

from .choices import Status


def published_q(prefix="", now=None):
    """The one definition of what readers may see: published, and its time has come.

    As a Q object so queries across a relation use it too (`published_q("brief__")`)."""
    return models.Q(
        **{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": now or timezone.now()}
    )


def listed_q(prefix="", now=None):
    """What lists, feeds and search show: published, and not yet expired.

    An expired brief keeps its page (with a notice pointing to its successor); it only leaves
    the lists. Next to `published_q`, so every public surface agrees on both."""
    now = now or timezone.now()
    not_expired = models.Q(**{f"{prefix}expire_at__isnull": True}) | models.Q(
        **{f"{prefix}expire_at__gt": now}
    )
    return published_q(prefix, now) & not_expired


class BriefQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: a brief's page (see `published_q`)."""
        return self.filter(published_q(now=now))

    def listed(self, now=None):
        """What lists, feeds and search show (see `listed_q`)."""
        return self.filter(listed_q(now=now))

    def expiring(self, within, now=None):
        """Listed briefs that leave the lists within `within` (a timedelta), soonest first."""
        now = now or timezone.now()
        return self.listed(now).filter(expire_at__lte=now + within).order_by("expire_at", "pk")

    def scheduled(self, now=None):
        return self.filter(status=Status.PUBLISHED, published_at__gt=now or timezone.now())

    def for_lists(self):
        """What a list of brief cards reads for every brief it shows: not the body, which no card
        shows. The cards are kept between requests, so what only a card shows (its tags and
        image) is read by `brief_cards` for the cards not kept yet; the reading time is stored."""
        return self.defer("body", "body_html", "body_text")

    def attach_renditions(self, briefs):
        """The hero renditions of these briefs (a page of a list) that have an image: one query, none
        when no brief has one. Returns the briefs as a list. Reachable through any relation to
        briefs (`term.briefs.attach_renditions(page)`), so other apps need not import this one."""
        briefs = list(briefs)
        models.prefetch_related_objects([brief for brief in briefs if brief.hero_image], "hero_renditions")
        return briefs
