"""Reads for the digest. Briefs come from `Brief.objects.published()`, terms from
`Term.objects.approved()`: a draft term listed on a brief never reaches a mail.

A batch of mails reads its briefs once (`digest_briefs`, five queries whatever the number of
subscribers) and picks each subscriber's from them in memory (`pick`).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, prefetch_related_objects
from taggit.models import Tag

from briefs.models import Brief, BriefTerm, LinkKind, SourceLink
from briefs.selectors import tags_with_counts
from glossary.models import Term

from . import conf


@dataclass
class Selection:
    """The briefs one digest holds, newest first, and how many more matched than it shows."""

    briefs: list = field(default_factory=list)
    more: int = 0

    def __bool__(self):
        return bool(self.briefs)

    @property
    def key_parts(self):
        terms = sorted(
            {
                (use.term_id, use.term.updated_at.isoformat())
                for brief in self.briefs
                for use in brief.digest_terms
            }
        )
        return [[brief.pk, brief.version] for brief in self.briefs], terms, self.more


def digest_briefs(*, after, until, now=None):
    """Published briefs with `after < published_at <= until`, newest first, with their points,
    primary link, approved terms and tag ids: five queries for any number of briefs."""
    briefs = list(
        Brief.objects.listed(now)
        .filter(published_at__gt=after, published_at__lte=until)
        .order_by("-published_at", "-pk")
        .only("pk", "slug", "headline", "dek", "published_at", "version")
    )
    if not briefs:
        return []
    prefetch_related_objects(
        briefs,
        "points",
        Prefetch("links", queryset=SourceLink.objects.filter(kind=LinkKind.PRIMARY).select_related("outlet")),
        Prefetch(
            "brief_terms",
            queryset=BriefTerm.objects.filter(term__in=Term.objects.approved()).select_related("term"),
            to_attr="digest_terms",
        ),
        "tags",
    )
    for brief in briefs:
        brief.tag_ids = frozenset(tag.pk for tag in brief.tags.all())
    return briefs


def pick(briefs, *, since, topic_ids):
    """One subscriber's digest out of a batch's briefs: newer than `since`, with one of the
    chosen topics (any brief when none is chosen), at most MAX_BRIEFS."""
    topic_ids = frozenset(topic_ids)
    chosen = [
        brief
        for brief in briefs
        if brief.published_at > since and (not topic_ids or brief.tag_ids & topic_ids)
    ]
    limit = int(conf.get("MAX_BRIEFS"))
    return Selection(briefs=chosen[:limit], more=max(0, len(chosen) - limit))


def subscriber_selection(subscriber, *, since, until, now=None):
    """What `subscriber` would get for briefs published after `since` up to `until`."""
    briefs = digest_briefs(after=since, until=until, now=now)
    return pick(briefs, since=since, topic_ids=[tag.pk for tag in subscriber.topics.all()])


def topic_choices(include=()):
    """The topics readers can choose: the most used tags of published briefs, A–Z, plus any in
    `include` (a subscriber's current topics, so they can be unticked)."""
    top = (
        tags_with_counts()
        .order_by("-brief_count", "name")
        .values_list("pk", flat=True)[: int(conf.get("TOPIC_CHOICES"))]
    )
    ids = set(top) | {tag.pk for tag in include}
    return Tag.objects.filter(pk__in=ids).order_by("name")


def delivery_counts(issues):
    """{issue id: {status: count}} for the given issues, in one query."""
    from .models import Delivery

    counts = {issue.pk: {} for issue in issues}
    rows = (
        Delivery.objects.filter(issue__in=issues)
        .order_by()
        .values("issue_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["issue_id"]][row["status"]] = row["n"]
    return counts
