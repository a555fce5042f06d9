"""Change-list filters of the brief admin that answer an editor's question, not a column's value."""

import datetime as dt

from django.contrib import admin
from django.utils import timezone

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
