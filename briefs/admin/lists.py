"""Read-only lists of briefs reachable from the admin index: the moderation queue and My briefs."""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from .. import permissions
from ..models import ModerationQueue, MyBrief, PendingStatus, Status
from .common import ADMIN_CSS, status_badge


class ReadOnlyBriefList(admin.ModelAdmin):
    """A list of briefs that links to the brief's own page; nothing is edited here."""

    list_display_links = None
    list_per_page = 50

    class Media:
        css = ADMIN_CSS

    @admin.display(description="brief", ordering="headline")
    def brief_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:briefs_brief_change", args=[obj.pk]), obj)

    @admin.display(description="status", ordering="status")
    def badge(self, obj):
        return status_badge(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        return {}


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


@admin.register(ModerationQueue)
class ModerationQueueAdmin(ReadOnlyBriefList):
    list_display = ["brief_link", "author", "submitted_at", "age", "assignee", "review_due", "overdue"]
    list_select_related = ["author", "assignee"]
    list_filter = [AssignedToMeFilter]
    search_fields = ["headline"]
    ordering = ["submitted_at", "pk"]

    def get_queryset(self, request):
        # Briefs in review, and published briefs whose pending changes are in review.
        return (
            super()
            .get_queryset(request)
            .filter(Q(status=Status.IN_REVIEW) | Q(pending_changes__status=PendingStatus.IN_REVIEW))
            .distinct()
        )

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (request.user.is_superuser or permissions.is_editor(request.user))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description="waiting")
    def age(self, obj):
        return timesince(obj.submitted_at) if obj.submitted_at else "—"

    @admin.display(description="overdue", boolean=True)
    def overdue(self, obj):
        return bool(obj.review_due and obj.review_due < timezone.localdate())


@admin.register(MyBrief)
class MyBriefAdmin(ReadOnlyBriefList):
    list_display = ["brief_link", "badge", "updated_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["headline"]
    ordering = ["-updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(author=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("briefs.view_brief")

    def has_module_permission(self, request):
        return self.has_view_permission(request)
