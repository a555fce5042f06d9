"""Background work in the admin: queued, running and failed tasks (with each failure's error and a
"run again" button), the workers' heartbeats, and mail that could not be delivered."""

from django.contrib import admin, messages
from django.db.models import Count
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import mail
from .models import MailStatus, OutgoingMail, WorkerHeartbeat


class TaskMonitorAdmin(DBTaskResultAdmin):
    list_display = ("task_name", "status", "enqueued_at", "started_at", "finished_at", "error", "queue_name")
    list_filter = ("status", "queue_name")
    search_fields = ("task_path", "exception_class_path")
    actions = ["run_again"]

    def changelist_view(self, request, extra_context=None):
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
        summary = ", ".join(
            f"{counts.get(s, 0)} {label}"
            for s, label in (
                ("READY", "queued"),
                ("RUNNING", "running"),
                ("FAILED", "failed"),
                ("SUCCESSFUL", "done"),
            )
        )
        extra_context = {**(extra_context or {}), "title": f"Tasks: {summary}"}
        return super().changelist_view(request, extra_context)

    @admin.display(description="error")
    def error(self, obj):
        return obj.exception_class_path.rpartition(".")[2] if obj.exception_class_path else "—"

    def has_run_again_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="Run the selected failed tasks again", permissions=["run_again"])
    def run_again(self, request, queryset):
        again = 0
        for result in queryset.failed():
            task_result = result.task_result
            result.task.enqueue(*task_result.args, **task_result.kwargs)
            again += 1
        self.message_user(request, f"Queued {again} task(s) again.", messages.SUCCESS)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskMonitorAdmin)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "backend", "started_at", "seen_at", "tasks_run")
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ("subject", "to", "kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to", "subject", "about")
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return request.user.is_superuser or request.user.has_perm("briefs.publish_brief")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_send_permission(request)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.action(description="Send the selected undelivered mail again", permissions=["send"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=MailStatus.FAILED))
        for item in failed:
            mail.send_again(item)
        self.message_user(request, f"{len(failed)} mail(s) queued again.", messages.SUCCESS)
