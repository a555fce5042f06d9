"""Bulk workflow actions on the brief list: each brief goes through the step's service, which
checks it again."""

from django.contrib import admin, messages
from django.db import transaction

from .. import permissions, workflow
from ..workflow import WorkflowError


class BulkWorkflowMixin:
    """Mixed into BriefAdmin: runs one workflow step over a selection of briefs."""

    def run_bulk(self, request, queryset, step):
        """One transaction for the whole selection: a brief the service refuses is skipped and
        reported (its savepoint is rolled back), but a crash midway leaves every brief as it was."""
        done, refused = 0, []
        with transaction.atomic():
            for brief in queryset:
                try:
                    workflow.SERVICES[step](brief, by=request.user)
                except WorkflowError as error:
                    refused.append(f"“{brief}”: {' '.join(error.messages)}")
                else:
                    done += 1
        label = workflow.STEPS[step].label
        if done:
            messages.success(request, f"{label}: {done} brief{'s' if done != 1 else ''}.")
        for line in refused:
            messages.error(request, line)


def bulk_action(step):
    """An admin action for one workflow step; each brief still goes through the step's service.
    A step readers notice at once first shows what they will lose."""

    def action(modeladmin, request, queryset):
        if step.name in workflow.DESTRUCTIVE and not request.POST.get("confirmed"):
            from django.template.response import TemplateResponse

            from .workflow_pages import CONSEQUENCES

            return TemplateResponse(
                request,
                "admin/briefs/brief/confirm_bulk.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "opts": modeladmin.opts,
                    "title": f"{step.label}: {queryset.count()} brief(s)?",
                    "briefs": list(queryset),
                    "consequences": CONSEQUENCES[step.name],
                    "action_name": step.bulk_name,
                    "button": step.bulk_label,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        modeladmin.run_bulk(request, queryset, step.name)
        return None

    action.__name__ = step.bulk_name
    permission = "moderate" if step.allowed is permissions.can_moderate else "change"
    return admin.action(description=step.bulk_label, permissions=[permission])(action)
