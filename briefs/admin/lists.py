"""Lists of briefs: the brief change list's columns, the moderation queue and My briefs.

Legible at a glance: a wide headline that wraps as a sentence, status as a badge in words,
times in the newsroom's zone with how long ago or ahead, and no ✔/✖ icons standing for yes/no.
"""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import format_html

from core import timefmt

from .. import permissions
from ..models import ModerationQueue, MyBrief, PendingChange, PendingStatus, Status
from .common import ADMIN_CSS, status_badge
from .filters import (
    AssignedToMeFilter,
    ExpiryFilter,
    PendingChangesFilter,
    PublicationWindowFilter,
    QueueKindFilter,
    TouchedByMeFilter,
)
from .sources_pages import SourceStatusFilter


def _time(value):
    """A time as "Tue 8 Dec, 09:00 CET" with "in 3 days" under it (one line each, never split)."""
    if value is None:
        return "—"
    return format_html(
        '<time datetime="{}" class="list-time">{}<span class="list-time__relative">{}</span></time>',
        value.isoformat(),
        timefmt.absolute(value),
        timefmt.relative(value),
    )


def _due(day):
    if day is None:
        return "—"
    late = timefmt.is_overdue(day)
    return format_html(
        '<time datetime="{}" class="list-time{}">{}<span class="list-time__relative">{}</span></time>',
        day.isoformat(),
        " list-time--late" if late else "",
        timefmt.due_date(day).split(", ")[0],
        timefmt.due(day),
    )


class BriefColumns:
    """Columns every list of briefs shares."""

    @admin.display(description="headline", ordering="headline")
    def headline_link(self, obj):
        url = reverse("admin:briefs_brief_change", args=[obj.pk])
        return format_html('<a class="list-headline" href="{}">{}</a>', url, obj)

    @admin.display(description="status", ordering="status")
    def badge(self, obj):
        """In words; a scheduled brief's time is in the "published" column, with how soon."""
        if obj.is_scheduled:
            return format_html('<span class="brief-badge brief-badge--scheduled">Scheduled</span>')
        return status_badge(obj)

    @admin.display(description="published", ordering="published_at")
    def published(self, obj):
        return _time(obj.published_at)

    @admin.display(description="last saved", ordering="updated_at")
    def saved(self, obj):
        return _time(obj.updated_at)


class BriefChangeListMixin(BriefColumns):
    """The brief change list: what the desk links to, with the desk's filters."""

    list_display = ["headline_link", "badge", "author", "published", "saved"]
    list_display_links = None
    list_filter = [
        "status",
        PublicationWindowFilter,
        PendingChangesFilter,
        ExpiryFilter,
        SourceStatusFilter,
        TouchedByMeFilter,
        "author",
        "tags",
    ]

    def get_list_filter(self, request):
        if request.user.is_superuser or permissions.is_editor(request.user):
            return self.list_filter
        return ["status", PendingChangesFilter, "tags"]  # contributors see only their own: no author list


class ReadOnlyBriefList(BriefColumns, admin.ModelAdmin):
    """A list of briefs that links to the brief's own page; nothing is edited here."""

    list_display_links = None
    list_per_page = 50

    class Media:
        css = ADMIN_CSS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        return {}


@admin.register(ModerationQueue)
class ModerationQueueAdmin(ReadOnlyBriefList):
    list_display = ["queued_headline", "waiting", "assignee", "due"]
    list_select_related = ["author", "assignee"]
    list_filter = [QueueKindFilter, AssignedToMeFilter]
    search_fields = ["headline"]
    ordering = ["submitted_at", "pk"]

    def get_queryset(self, request):
        # Briefs in review, and published briefs whose pending changes are in review.
        in_review = PendingChange.objects.filter(brief=OuterRef("pk"), status=PendingStatus.IN_REVIEW)
        return (
            super()
            .get_queryset(request)
            .filter(Q(status=Status.IN_REVIEW) | Q(pending_changes__status=PendingStatus.IN_REVIEW))
            .annotate(changes_submitted_at=Subquery(in_review.values("submitted_at")[:1]))
            .distinct()
        )

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (request.user.is_superuser or permissions.is_editor(request.user))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description="brief", ordering="headline")
    def queued_headline(self, obj):
        """The headline, and under it what is to be reviewed and whose it is."""
        what = "New brief" if obj.status == Status.IN_REVIEW else "Changes to a live brief"
        author = obj.author.get_full_name() or obj.author.get_username()
        return format_html('{}<span class="list-meta">{} by {}</span>', self.headline_link(obj), what, author)

    @admin.display(description="in review since", ordering="submitted_at")
    def waiting(self, obj):
        return _time(obj.submitted_at if obj.status == Status.IN_REVIEW else obj.changes_submitted_at)

    @admin.display(description="review due", ordering="review_due")
    def due(self, obj):
        return _due(obj.review_due)


@admin.register(MyBrief)
class MyBriefAdmin(ReadOnlyBriefList):
    list_display = ["headline_link", "badge", "saved", "published"]
    list_filter = ["status"]
    search_fields = ["headline"]
    ordering = ["-updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(author=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("briefs.view_brief")

    def has_module_permission(self, request):
        return self.has_view_permission(request)
