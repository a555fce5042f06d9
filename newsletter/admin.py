from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html

from . import consent, permissions, services
from .admin_views import DeliveryAdminViews, IssueAdminViews, delivered_mail, mail_parts
from .models import IN_PROGRESS, Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber

ADMIN_CSS = {"all": ["newsletter/admin.css"]}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the newsletter itself: people read them and act through buttons."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    list_display = [
        "email",
        "status",
        "frequency",
        "topic_list",
        "consent_at",
        "confirmed_at",
        "last_issue_at",
    ]
    list_filter = ["status", "frequency", ("topics", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["email"]
    date_hierarchy = "consent_at"
    actions = ["export_csv", "erase_selected"]
    fields = [
        "email",
        "status",
        "frequency",
        "topics",
        "consent_at",
        "consent_version",
        "consent_wording",
        "confirmed_at",
        "unsubscribed_at",
        "last_issue_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="Topics")
    def topic_list(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.topics.all())) or "All"

    @admin.display(description="Words agreed to")
    def consent_wording(self, obj):
        return consent.wording(obj.consent_version, settings.SITE_NAME) or "—"

    def has_export_permission(self, request):
        return permissions.can_export(request.user)

    def has_erase_permission(self, request):
        return permissions.can_erase(request.user)

    @admin.action(description="Export selected subscribers as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        text = services.export_subscribers_csv(subscribers=queryset, by=request.user)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{timezone.now():%Y-%m-%d}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description="Erase selected subscribers everywhere…", permissions=["erase"])
    def erase_selected(self, request, queryset):
        if request.POST.get("confirm") == "yes":
            count = services.erase_subscribers(subscribers=queryset, by=request.user)
            self.message_user(
                request,
                f"Erased {count} subscriber(s): their addresses are gone everywhere.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase subscribers",
            "opts": self.model._meta,
            "subscribers": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/newsletter/subscriber/erase_confirmation.html", context)


def _count(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


@admin.register(Issue)
class IssueAdmin(IssueAdminViews, ReadOnlyAdmin):
    list_display = ["__str__", "status", "period_end", "queued", "sent", "failed", "skipped", "finished_at"]
    list_filter = ["status", "frequency"]
    fields = [
        "frequency",
        "period_start",
        "period_end",
        "status",
        "created_at",
        "started_at",
        "finished_at",
        "last_error",
    ]
    readonly_fields = fields
    change_form_template = "admin/newsletter/issue/change_form.html"

    class Media:
        css = ADMIN_CSS

    def get_urls(self):
        return [*self.issue_urls(), *super().get_urls()]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _queued=Count("deliveries", filter=Q(deliveries__status__in=IN_PROGRESS)),
                _sent=_count(DeliveryStatus.SENT),
                _failed=_count(DeliveryStatus.FAILED),
                _skipped=_count(DeliveryStatus.SKIPPED),
            )
        )

    @admin.display(description="Queued", ordering="_queued")
    def queued(self, obj):
        return obj._queued

    @admin.display(description="Sent", ordering="_sent")
    def sent(self, obj):
        return obj._sent

    @admin.display(description="Failed", ordering="_failed")
    def failed(self, obj):
        return obj._failed

    @admin.display(description="Skipped", ordering="_skipped")
    def skipped(self, obj):
        return obj._skipped

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = request.user
        issue = self.get_object(request, object_id)
        extra = {
            "can_manage": permissions.can_manage_sending(user),
            "can_start": issue is not None and issue.status == IssueStatus.DRAFT,
            "can_pause": issue is not None and issue.status == IssueStatus.SENDING,
            "can_resume": issue is not None and issue.status == IssueStatus.PAUSED,
            "counts": (
                {
                    "queued": issue._queued,
                    "sent": issue._sent,
                    "failed": issue._failed,
                    "skipped": issue._skipped,
                }
                if issue is not None
                else {}
            ),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})


@admin.register(Delivery)
class DeliveryAdmin(DeliveryAdminViews, ReadOnlyAdmin):
    list_display = ["pk", "issue", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "issue"]
    search_fields = ["subscriber__email", "message_id"]
    list_select_related = ["issue", "subscriber"]
    fields = ["issue", "recipient", "status", "since", "attempts", "last_error", "message_id", "sent_at"]
    readonly_fields = fields
    change_form_template = "admin/newsletter/delivery/change_form.html"

    class Media:
        css = ADMIN_CSS

    def get_urls(self):
        return [*self.delivery_urls(), *super().get_urls()]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issue", "subscriber", "content")

    @admin.display(description="Subscriber")
    def recipient(self, obj):
        if obj.subscriber is None:
            return format_html("<em>{}</em>", "erased")
        return obj.subscriber.email

    def change_view(self, request, object_id, form_url="", extra_context=None):
        delivery = self.get_object(request, object_id)
        message = delivered_mail(delivery) if delivery is not None and delivery.sent_at else None
        extra = {"mail": mail_parts(message) if message else None, "delivery": delivery}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})
