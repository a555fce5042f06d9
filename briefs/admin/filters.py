"""Change-list filters of the brief admin that answer an editor's question, not a column's value.

The desk on the admin index links to these; the ones it counts apply the desk's own querysets
(`briefs.desk`), so a count on the desk is the length of the list it opens."""

import datetime as dt

from django.contrib import admin
from django.utils import timezone

from .. import desk
from ..models import OPEN_PENDING, Brief, PendingStatus


class ExpiryFilter(admin.SimpleListFilter):
    """Moderators' list of briefs about to leave the lists, so a successor can be readied in time."""

    title = "expiry"
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [
            ("soon", "Expires within 7 days"),
            ("set", "Has an expiry date"),
            ("expired", "Expired"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "soon":
            ids = Brief.objects.expiring(dt.timedelta(days=7), now=now).values("pk")
            return queryset.filter(pk__in=ids).order_by("expire_at")
        if self.value() == "set":
            return queryset.filter(expire_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(expire_at__lte=now)
        return queryset


class PendingChangesFilter(admin.SimpleListFilter):
    """Published briefs whose edits wait for review: readers still see the live version."""

    title = "pending changes"
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("open", "Has pending changes"), ("in_review", "Pending changes in review")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(pending_changes__status__in=OPEN_PENDING).distinct()
        if self.value() == "in_review":
            return queryset.filter(pending_changes__status=PendingStatus.IN_REVIEW).distinct()
        return queryset


class PublicationWindowFilter(admin.SimpleListFilter):
    title = "this week"
    parameter_name = "publication"
    WINDOWS = {
        "scheduled-week": ("Scheduled in the next 7 days", desk.scheduled_soon),
        "published-week": ("Published in the past 7 days", desk.published_recently),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.WINDOWS.items()]

    def queryset(self, request, queryset):
        window = self.WINDOWS.get(self.value())
        if window is None:
            return queryset
        return queryset.filter(pk__in=window[1]().values("pk"))


class TouchedByMeFilter(admin.SimpleListFilter):
    title = "worked on"
    parameter_name = "touched"

    def lookups(self, request, model_admin):
        return [("me", "Briefs I worked on")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(desk.touched_by_q(request.user))
        return queryset


class QueueKindFilter(admin.SimpleListFilter):
    title = "what"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("briefs", "New briefs"), ("changes", "Changes to live briefs")]

    def queryset(self, request, queryset):
        if self.value() == "briefs":
            return queryset.filter(pk__in=desk.awaiting_review().values("pk"))
        if self.value() == "changes":
            return queryset.filter(pk__in=desk.briefs_with_pending_changes_in_review().values("pk"))
        return queryset


class AssignedToMeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Not assigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset
