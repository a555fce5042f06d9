"""The newsroom desk: what needs each person today, read in a fixed number of queries.

Each list is a `DeskList`: a count, the first few items and the address of the change list
filtered to exactly those items (the filters live in `briefs.admin.filters`, and use the
querysets below, so the count on the desk and the list it links to never disagree).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from glossary import selectors as glossary_selectors

from . import permissions, sourcing
from .models import Brief, PendingChange, PendingStatus, Status, Transition

SHOWN = 5  # items per list; the count and the link cover the rest
SCHEDULED_WITHIN = dt.timedelta(days=7)
RECENT_WITHIN = dt.timedelta(days=7)
EXPIRING_WITHIN = dt.timedelta(days=7)


@dataclass
class DeskList:
    key: str
    title: str
    count: int
    items: list
    url: str
    empty: str = "Nothing here."
    extra: dict = field(default_factory=dict)

    @property
    def more(self):
        return max(0, self.count - len(self.items))


def _list(key, title, queryset, url, empty):
    return DeskList(key, title, queryset.count(), list(queryset[:SHOWN]), url, empty)


def _changelist(name, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse(f"admin:{name}_changelist") + (f"?{query}" if query else "")


# The querysets the desk counts and the change list filters apply.


def drafts_of(user):
    return Brief.objects.filter(author=user, status=Status.DRAFT).order_by("-updated_at", "-pk")


def changes_requested_of(user):
    """The author's briefs sent back, each with the moderator's latest note (`request_note`,
    `request_by`, `request_at`), in the same query."""
    latest = Transition.objects.filter(brief=OuterRef("pk"), action="request_changes").order_by("-at", "-pk")
    return (
        Brief.objects.filter(author=user, status=Status.CHANGES_REQUESTED)
        .annotate(
            request_note=Subquery(latest.values("note")[:1]),
            request_at=Subquery(latest.values("at")[:1]),
            request_by_first=Subquery(latest.values("by__first_name")[:1]),
            request_by_last=Subquery(latest.values("by__last_name")[:1]),
            request_by_username=Subquery(latest.values("by__username")[:1]),
        )
        .order_by("-updated_at", "-pk")
    )


def awaiting_review():
    """New briefs in review, oldest first: the moderation queue without pending changes."""
    return (
        Brief.objects.filter(status=Status.IN_REVIEW)
        .select_related("author", "assignee")
        .order_by("submitted_at", "pk")
    )


def assigned_to(user):
    return awaiting_review().filter(assignee=user)


def scheduled_soon(now=None):
    """Briefs that go live within the next week, soonest first."""
    now = now or timezone.now()
    return (
        Brief.objects.scheduled(now)
        .filter(published_at__lte=now + SCHEDULED_WITHIN)
        .select_related("author")
        .order_by("published_at", "pk")
    )


def published_recently(now=None):
    """Briefs that went live in the past week, newest first."""
    now = now or timezone.now()
    return (
        Brief.objects.published(now)
        .filter(published_at__gte=now - RECENT_WITHIN)
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def expiring_soon(now=None):
    """Listed briefs that leave the lists within a week (`Brief.objects.expiring`)."""
    return Brief.objects.expiring(EXPIRING_WITHIN, now).select_related("author")


def pending_changes_in_review():
    """Changes to live briefs waiting for a moderator, oldest first."""
    return (
        PendingChange.objects.filter(status=PendingStatus.IN_REVIEW)
        .select_related("brief", "updated_by")
        .order_by("submitted_at", "pk")
    )


def briefs_with_pending_changes_in_review():
    return Brief.objects.filter(pending_changes__status=PendingStatus.IN_REVIEW)


def touched_by_q(user):
    """Briefs someone wrote, moved through the workflow or saved a revision of."""
    revised = (
        Version.objects.filter(revision__user=user, content_type=ContentType.objects.get_for_model(Brief))
        .annotate(brief_pk=Cast("object_id", IntegerField()))
        .values("brief_pk")
    )
    moved = Transition.objects.filter(by=user).values("brief_id")
    return Q(author=user) | Q(pk__in=moved) | Q(pk__in=revised)


def touched_by(user):
    return Brief.objects.filter(touched_by_q(user)).select_related("author").order_by("-updated_at", "-pk")


# The desk itself.


def contributor_lists(user):
    return [
        _list(
            "drafts",
            "Your drafts",
            drafts_of(user),
            _changelist("briefs_mybrief", status__exact=Status.DRAFT),
            "No drafts. Start one with “Add brief”.",
        ),
        _list(
            "changes-requested",
            "Changes requested",
            changes_requested_of(user),
            _changelist("briefs_mybrief", status__exact=Status.CHANGES_REQUESTED),
            "Nothing was sent back to you.",
        ),
    ]


def moderator_lists(user, now=None):
    now = now or timezone.now()
    return [
        _list(
            "awaiting-review",
            "Awaiting review",
            awaiting_review(),
            _changelist("briefs_moderationqueue", kind="briefs"),
            "No brief waits for review.",
        ),
        _list(
            "pending-changes",
            "Changes to live briefs awaiting review",
            pending_changes_in_review(),
            _changelist("briefs_moderationqueue", kind="changes"),
            "No changes to live briefs wait for review.",
        ),
        _list(
            "assigned",
            "Assigned to you",
            assigned_to(user),
            _changelist("briefs_moderationqueue", kind="briefs", assigned="me"),
            "Nothing is assigned to you.",
        ),
        _list(
            "scheduled",
            "Scheduled in the next 7 days",
            scheduled_soon(now),
            _changelist("briefs_brief", publication="scheduled-week"),
            "Nothing is scheduled for the coming week.",
        ),
        _list(
            "published",
            "Published in the past 7 days",
            published_recently(now),
            _changelist("briefs_brief", publication="published-week"),
            "Nothing was published this week.",
        ),
        _list(
            "expiring",
            "Leaving the lists in the next 7 days",
            expiring_soon(now),
            _changelist("briefs_brief", expiry="soon"),
            "No brief leaves the lists this week.",
        ),
    ]


def editor_lists(user):
    lists = [
        _list(
            "touched",
            "Briefs you worked on",
            touched_by(user),
            _changelist("briefs_brief", touched="me"),
            "You have not worked on a brief yet.",
        )
    ]
    if user.has_perm("glossary.view_term"):
        lists.insert(
            0,
            _list(
                "terms",
                "Terms awaiting approval",
                glossary_selectors.terms_awaiting_approval(),
                _changelist("glossary_term", approval="waiting"),
                "No term waits for approval.",
            ),
        )
    return lists


def broken_source_links(user):
    """The "broken source links" card: links of live briefs the checker confirmed broken
    (`briefs.sourcing`), opening the brief list filtered to briefs with a broken link."""
    return _list(
        "broken-links",
        "Broken source links",
        sourcing.broken_links(),
        _changelist("briefs_brief", source_status="broken"),
        "No source link of a live brief is broken.",
    )


@dataclass
class Desk:
    contributor: list
    moderator: list
    editor: list
    broken_links: DeskList | None

    @property
    def is_empty(self):
        return not (self.contributor or self.moderator or self.editor or self.broken_links)


def desk_for(user, now=None):
    """What `user`'s roles need today. Moderators are editors too and see both desks."""
    if not (user.is_active and user.is_staff and user.has_perm("briefs.view_brief")):
        return Desk([], [], [], None)
    editor = user.is_superuser or permissions.is_editor(user)
    moderator = user.is_superuser or permissions.is_moderator(user)
    return Desk(
        contributor=contributor_lists(user) if user.has_perm("briefs.add_brief") else [],
        moderator=moderator_lists(user, now) if moderator else [],
        editor=editor_lists(user) if editor else [],
        broken_links=broken_source_links(user) if moderator else None,
    )
