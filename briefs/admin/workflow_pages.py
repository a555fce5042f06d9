"""The brief admin's workflow pages: the workflow panel's context, its steps, and the pending
changes of a published brief (submit, send back, publish, discard, bring back).

Steps readers notice at once (unpublish, archive, discarding changes) first show a page that says
what readers lose (`CONSEQUENCES`, also used by the bulk actions), and each has a one-step way back.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone

from .. import locks, pending, permissions, snapshots, workflow
from ..models import PendingStatus, Status
from ..preview import share_url
from ..workflow import WorkflowError
from . import step_forms

# What readers lose, said on the confirmation page of each step that takes something away.
CONSEQUENCES = {
    "unpublish": (
        "Readers lose this brief: its page answers “not found”, and it leaves the lists, feeds, search and "
        "the sitemap. Its address stays reserved. “Republish” puts it back exactly as it was."
    ),
    "archive": (
        "Readers lose this brief: its page answers “not found”, and it leaves the lists, feeds, search and "
        "the sitemap. It is frozen until a moderator restores it or puts it back with “Republish”."
    ),
    "discard": (
        "Readers lose nothing: they never saw these changes. The changes are set aside; "
        "“Bring back the discarded changes” on the brief's page undoes this."
    ),
}

PENDING_ACTIONS = {
    "submit": ("Submit the changes for review", pending.submit_changes),
    "return": ("Send the changes back", pending.return_changes),
    "discard": ("Discard the changes", pending.discard_changes),
    "restore": ("Bring back the discarded changes", pending.restore_discarded),
}


def pending_steps(user, brief, current):
    """The pending-change steps `user` may take on `brief` now, as (action, label) pairs."""
    steps = []
    if current is None:
        if (
            pending.is_live(brief)
            and brief.pending_changes.filter(status=PendingStatus.DISCARDED).exists()
            and permissions.can_edit(user, brief)
        ):
            steps.append(("restore", PENDING_ACTIONS["restore"][0]))
        return steps
    in_review = current.status == PendingStatus.IN_REVIEW
    if not in_review and permissions.can_submit(user, brief) and permissions.can_edit(user, brief):
        steps.append(("submit", PENDING_ACTIONS["submit"][0]))
    if in_review and permissions.can_moderate(user, brief):
        steps.append(("return", PENDING_ACTIONS["return"][0]))
    if permissions.can_moderate(user, brief):
        steps.append(("publish", "Publish the changes" if in_review else "Publish the changes directly"))
    if permissions.can_edit(user, brief) or permissions.can_moderate(user, brief):
        steps.append(("discard", PENDING_ACTIONS["discard"][0]))
    return steps


class WorkflowViews:
    """Mixed into BriefAdmin through BriefAdminViews (side_pages), which supplies the page helpers."""

    def workflow_context(self, request, brief):
        user = request.user
        moderate = permissions.can_moderate(user, brief)
        change_request = None
        if brief.status == Status.CHANGES_REQUESTED:
            change_request = brief.transitions.filter(action="request_changes").select_related("by").first()
        current = pending.open_pending(brief) if pending.is_live(brief) else None
        lock = locks.active_lock(brief)
        in_review = brief.status == Status.IN_REVIEW
        return {
            "brief": brief,
            "steps": workflow.allowed_steps(user, brief),
            "destructive_steps": workflow.DESTRUCTIVE,
            "transitions": brief.transitions.select_related("by"),
            "change_request": change_request,
            "missing": workflow.missing_for_publication(brief) if in_review else [],
            "can_assign": moderate and in_review,
            "assign_form": step_forms.AssignForm(
                initial={"assignee": brief.assignee_id, "due": brief.review_due}
            )
            if moderate and in_review
            else None,
            "can_share": moderate,
            "share_form": step_forms.ShareForm() if moderate else None,
            "share_links": [
                (link, share_url(link)) for link in brief.share_links.filter(revoked_at__isnull=True)
            ]
            if moderate
            else [],
            "publish_form": step_forms.PublishForm(),
            "note_form": step_forms.NoteForm(),
            "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "live": pending.is_live(brief),
            "pending": current,
            "pending_rows": snapshots.changed_rows(pending.diff_rows(brief, current)) if current else [],
            "pending_steps": pending_steps(user, brief, current),
            "editable_after_publication": pending.EDITABLE_AFTER_PUBLICATION,
            "lock": lock,
            "lock_is_mine": lock is not None and lock.holder_id == user.pk,
            "can_lock": locks.may_lock(user, brief),
            "can_break_lock": lock is not None and lock.holder_id != user.pk and moderate,
            "expiry_form": step_forms.ExpiryForm(
                brief=brief,
                initial={
                    "expire_at": timezone.localtime(brief.expire_at) if brief.expire_at else None,
                    "successor": brief.superseded_by_id,
                },
            )
            if moderate and brief.status == Status.PUBLISHED
            else None,
        }

    # Workflow steps

    def step_view(self, request, object_id, step):
        brief = self.visible_brief(request, object_id)
        if step not in workflow.SERVICES:
            raise Http404("No such step")
        label = workflow.STEPS[step].label
        if step in workflow.DESTRUCTIVE and not (request.method == "POST" and request.POST.get("confirmed")):
            if not workflow.STEPS[step].allowed(request.user, brief):
                raise PermissionDenied(f"You are not allowed to “{label.lower()}” this brief.")
            return self.side_page(
                request,
                brief,
                "admin/briefs/brief/confirm_step.html",
                title=f"{label} “{brief}”?",
                consequences=CONSEQUENCES[step],
                action=reverse("admin:briefs_brief_step", args=[brief.pk, step]),
                button=label,
            )
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        kwargs = {}
        if step == "request_changes":
            form = step_forms.NoteForm(request.POST)
            if not form.is_valid():
                self.form_errors(request, form)
                return self.back(brief)
            kwargs["note"] = form.cleaned_data["note"]
        if step in {"publish", "reschedule"}:
            form = step_forms.PublishForm(request.POST)
            if not form.is_valid():
                self.form_errors(request, form)
                return self.back(brief)
            kwargs["at"] = form.cleaned_data["at"]
        try:
            transition = workflow.SERVICES[step](brief, by=request.user, **kwargs)
        except WorkflowError as error:
            self.report(request, error)
        else:
            done = transition.note if brief.is_scheduled else f"{label}: done."
            undo = {"unpublish": " “Republish” puts it back.", "archive": " “Republish” puts it back."}
            messages.success(request, f"“{brief}” — {done}{undo.get(step, '')}")
        return self.back(brief)

    # Pending changes of a published brief

    def pending_view(self, request, object_id, action):
        brief = self.visible_brief(request, object_id)
        current = pending.open_pending(brief)
        if action == "publish":
            return self.publish_changes_view(request, brief, current)
        if action not in PENDING_ACTIONS:
            raise Http404("No such step")
        label, service = PENDING_ACTIONS[action]
        if action == "discard" and not (request.method == "POST" and request.POST.get("confirmed")):
            if current is None:
                return self.back(brief)
            return self.side_page(
                request,
                brief,
                "admin/briefs/brief/confirm_step.html",
                title=f"Discard the pending changes to “{brief}”?",
                consequences=CONSEQUENCES["discard"],
                rows=snapshots.changed_rows(pending.diff_rows(brief, current)),
                action=reverse("admin:briefs_brief_changes", args=[brief.pk, "discard"]),
                button=label,
            )
        if request.method != "POST":
            return self.back(brief)
        kwargs = {}
        if action == "return":
            form = step_forms.NoteForm(request.POST)
            if not form.is_valid():
                self.form_errors(request, form)
                return self.back(brief)
            kwargs["note"] = form.cleaned_data["note"]
        try:
            service(brief, by=request.user, **kwargs)
        except WorkflowError as error:
            self.report(request, error)
        else:
            messages.success(request, f"“{brief}” — {label}: done.")
        return self.back(brief)

    def publish_changes_view(self, request, brief, current):
        if current is None:
            messages.error(request, "This brief has no pending changes.")
            return self.back(brief)
        if not permissions.can_moderate(request.user, brief):
            raise PermissionDenied("Only moderators publish changes to a published brief.")
        form = step_forms.PublishChangesForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                pending.publish_changes(
                    brief, by=request.user, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"]
                )
            except WorkflowError as error:
                self.report(request, error)
            else:
                messages.success(request, f"“{brief}” — the changes are live.")
                return self.back(brief)
        return self.side_page(
            request,
            brief,
            "admin/briefs/brief/publish_changes.html",
            title=f"Publish the changes to “{brief}”?",
            form=form,
            pending=current,
            rows=pending.diff_rows(brief, current),
            reviewed=current.status == PendingStatus.IN_REVIEW,
        )
