"""Admin for outlets, and a read-only view of link states and check history.

Link states change only through the checker and the services; nobody edits them by hand.
"""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join

from core.changes import OUTLETS, record

from .models import LinkCheck, LinkState, Outlet, OutletDomain
from .selectors import check_history
from .services import CHECK_PERMISSION

ON_DEMAND_LIMIT = 50


class OutletDomainInline(admin.TabularInline):
    model = OutletDomain
    extra = 1
    min_num = 0
    fields = ["domain"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain_list", "home_page"]
    search_fields = ["name", "domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "home_page", "description"]
    inlines = [OutletDomainInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("domains", queryset=OutletDomain.objects.order_by("domain")))
        )

    @admin.display(description="domains")
    def domain_list(self, obj):
        return ", ".join(d.domain for d in obj.domains.all())

    # Outlet names and pages are public: a change empties the page cache after commit.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record(OUTLETS, [form.instance.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        record(OUTLETS, [pk])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        record(OUTLETS, ids)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LinkState)
class LinkStateAdmin(_ReadOnlyAdmin):
    list_display = [
        "url",
        "state",
        "consecutive_failures",
        "last_status_code",
        "last_outcome",
        "last_checked_at",
        "next_check_at",
    ]
    list_filter = ["state", "last_outcome"]
    search_fields = ["url"]
    date_hierarchy = "last_checked_at"
    actions = ["check_now"]
    fields = [
        "url",
        "state",
        "consecutive_failures",
        "first_failure_at",
        "last_checked_at",
        "last_ok_at",
        "next_check_at",
        "last_outcome",
        "last_status_code",
        "last_error",
        "redirect_target",
        "dismissed_redirect",
        "archive_suggestion",
        "checked_by_editor_at",
        "checked_by_editor",
        "history",
    ]
    readonly_fields = fields

    def has_check_permission(self, request):
        return request.user.has_perm(CHECK_PERMISSION)

    @admin.display(description="recent checks")
    def history(self, obj):
        rows = check_history(obj.url, limit=20)
        if not rows:
            return "No check yet."
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td></tr>",
            (
                (
                    f"{c.checked_at:%Y-%m-%d %H:%M}",
                    c.get_outcome_display(),
                    c.status_code or "—",
                    " → ".join(f"{hop['status'] or '✗'} {hop['url']}" for hop in c.redirect_chain) or c.error,
                    c.elapsed_ms,
                )
                for c in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>checked</th><th>outcome</th><th>status</th><th>chain</th><th>time</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            body,
        )

    @admin.action(description="Check the selected links now", permissions=["check"])
    def check_now(self, request, queryset):
        from .tasks import check_links

        urls = list(queryset.values_list("url", flat=True)[: ON_DEMAND_LIMIT + 1])
        if len(urls) > ON_DEMAND_LIMIT:
            self.message_user(
                request,
                f"Select at most {ON_DEMAND_LIMIT} links to check at once; the rest are checked on schedule.",
                messages.WARNING,
            )
            return
        result = check_links.enqueue(urls)
        if result.is_finished:
            self.message_user(request, f"Checked {len(urls)} link(s).", messages.SUCCESS)
        else:
            self.message_user(
                request, f"{len(urls)} link(s) will be checked in the background.", messages.SUCCESS
            )


@admin.register(LinkCheck)
class LinkCheckAdmin(_ReadOnlyAdmin):
    list_display = ["url", "checked_at", "outcome", "status_code", "elapsed_ms", "bytes_read"]
    list_filter = ["outcome"]
    search_fields = ["url"]
    date_hierarchy = "checked_at"
    fields = [
        "url",
        "checked_at",
        "outcome",
        "status_code",
        "final_url",
        "redirect_chain",
        "error",
        "elapsed_ms",
        "bytes_read",
    ]
    readonly_fields = fields
