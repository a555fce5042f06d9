"""Change-list filters the newsroom desk links to: each applies the desk's own queryset, so a
count on the desk is the length of the list it opens."""

from django.contrib import admin

from .. import desk


class PublicationWindowFilter(admin.SimpleListFilter):
    title = "this week"
    parameter_name = "publication"
    WINDOWS = {
        "scheduled-week": ("Scheduled in the next 7 days", desk.scheduled_soon),
        "published-week": ("Published in the past 7 days", desk.published_recently),
        "expiring-week": ("Leaving the lists in the next 7 days", desk.expiring_soon),
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
