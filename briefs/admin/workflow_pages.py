"""The brief admin's side pages: workflow steps, pending changes, locks, expiry, assignment, share
links, preview and revisions.

Every page loads the brief through the admin's own queryset and checks the same object rules as
the change form (briefs.permissions); every change goes through the services, so a forged POST
gets exactly what the hidden button would. Steps readers notice at once (unpublish, archive,
discarding changes, restoring a revision) first show a page that says what readers lose, and
each has a one-step way back.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import locks, pending, permissions, revisions, snapshots, workflow
from ..models import PendingStatus, ShareLink, Status
from ..preview import BriefPreviewView, share_url
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


class BriefAdminViews:
    """Mixed into BriefAdmin."""

    def get_urls(self):
        def view(func, methods=None):
            return self.admin_site.admin_view(require_POST(func) if methods == "POST" else func)

        info = self.opts.app_label, self.opts.model_name

        def name(suffix):
            return f"{info[0]}_{info[1]}_{suffix}"

        return [
            path("<int:object_id>/step/<slug:step>/", view(self.step_view), name=name("step")),
            path("<int:object_id>/changes/<slug:action>/", view(self.pending_view), name=name("changes")),
            path("<int:object_id>/lock/", view(self.lock_view, "POST"), name=name("lock")),
            path("<int:object_id>/lock/release/", view(self.release_view, "POST"), name=name("release")),
            path("<int:object_id>/lock/break/", view(self.break_lock_view, "POST"), name=name("break_lock")),
            path("<int:object_id>/expiry/", view(self.expiry_view, "POST"), name=name("expiry")),
            path("<int:object_id>/assign/", view(self.assign_view, "POST"), name=name("assign")),
            path("<int:object_id>/share/", view(self.share_view, "POST"), name=name("share")),
            path(
                "<int:object_id>/share/<int:link_id>/revoke/",
                view(self.revoke_share_view, "POST"),
                name=name("revoke_share"),
            ),
            path("<int:object_id>/preview/", view(BriefPreviewView.as_view()), name=name("preview")),
            path("<int:object_id>/revisions/", view(self.revisions_view), name=name("revisions")),
            path(
                "<int:object_id>/revisions/diff/", view(self.revision_diff_view), name=name("revision_diff")
            ),
            path(
                "<int:object_id>/revisions/<int:version_id>/restore/",
                view(self.revision_restore_view),
                name=name("revision_restore"),
            ),
            *super().get_urls(),
        ]

    # Helpers

    def visible_brief(self, request, object_id):
        """The brief, if this person may see it at all; otherwise a 404 that reveals nothing."""
        brief = self.get_object(request, str(object_id))
        if brief is None or not permissions.can_view(request.user, brief):
            raise Http404("No brief found")
        return brief

    def change_url(self, brief):
        return reverse("admin:briefs_brief_change", args=[brief.pk])

    def back(self, brief):
        return HttpResponseRedirect(self.change_url(brief))

    def report(self, request, error):
        if error.code == "not_allowed":
            raise PermissionDenied(" ".join(error.messages))
        messages.error(request, " ".join(error.messages))

    def form_errors(self, request, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{error} Nothing was changed.")

    def side_page(self, request, brief, template, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": brief,
                "brief": brief,
                **context,
            },
        )

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

    # Locks

    def lock_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        try:
            lock = locks.take(brief, by=request.user)
        except locks.LockHeld as held:
            messages.error(request, str(held))
        except PermissionError as error:
            raise PermissionDenied(str(error)) from error
        else:
            until = timezone.localtime(lock.expires_at)
            messages.success(
                request, f"You hold this brief until {until:%H:%M}; others can read it but not change it."
            )
        return self.back(brief)

    def release_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        try:
            locks.release(brief, by=request.user)
        except locks.LockHeld as held:
            messages.error(request, str(held))
        else:
            messages.success(request, "Released: others can work on the brief again.")
        return self.back(brief)

    def break_lock_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        try:
            locks.break_lock(brief, by=request.user, note=request.POST.get("note", "")[:300])
        except PermissionError as error:
            raise PermissionDenied(str(error)) from error
        messages.success(request, "The lock was broken; the brief's history records it.")
        return self.back(brief)

    # Expiry

    def expiry_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        form = step_forms.ExpiryForm(request.POST, brief=brief)
        if not form.is_valid():
            self.form_errors(request, form)
            return self.back(brief)
        try:
            transition = workflow.set_expiry(
                brief,
                by=request.user,
                expire_at=form.cleaned_data["expire_at"],
                successor=form.cleaned_data["successor"],
            )
        except WorkflowError as error:
            self.report(request, error)
        else:
            messages.success(request, f"“{brief}” — {transition.note}.")
        return self.back(brief)

    # Assignment

    def assign_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        form = step_forms.AssignForm(request.POST)
        if not form.is_valid():
            self.form_errors(request, form)
            return self.back(brief)
        assignee = form.cleaned_data["assignee"]
        try:
            workflow.assign(brief, by=request.user, to=assignee, due=form.cleaned_data["due"])
        except WorkflowError as error:
            self.report(request, error)
        else:
            messages.success(request, f"Assigned to {assignee}." if assignee else "Unassigned.")
        return self.back(brief)

    # Share links

    def share_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        if not permissions.can_moderate(request.user, brief):
            raise PermissionDenied("Only moderators create share links.")
        form = step_forms.ShareForm(request.POST)
        days = form.cleaned_data["days"] if form.is_valid() else 7
        link = ShareLink.objects.create(
            brief=brief, created_by=request.user, expires_at=timezone.now() + dt.timedelta(days=days)
        )
        url = request.build_absolute_uri(share_url(link))
        messages.success(request, f"Share link created, valid until {link.expires_at:%d %B %Y %H:%M}: {url}")
        return self.back(brief)

    def revoke_share_view(self, request, object_id, link_id):
        brief = self.visible_brief(request, object_id)
        if not permissions.can_moderate(request.user, brief):
            raise PermissionDenied("Only moderators revoke share links.")
        link = get_object_or_404(ShareLink, pk=link_id, brief=brief)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        messages.success(request, "Share link revoked; it now shows “not found”.")
        return self.back(brief)

    # Revisions

    def revision_context(self, request, brief, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": brief,
            "brief": brief,
            "can_restore": permissions.can_edit(request.user, brief),
            **extra,
        }

    def revisions_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        context = self.revision_context(
            request, brief, title=f"Revisions of “{brief}”", versions=revisions.revisions_of(brief)
        )
        return TemplateResponse(request, "admin/briefs/brief/revisions.html", context)

    def revision_diff_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        versions = revisions.revisions_of(brief)
        try:
            old = versions.get(pk=int(request.GET.get("old", "")))
            new = versions.get(pk=int(request.GET.get("new", "")))
        except (ValueError, versions.model.DoesNotExist):
            raise Http404("Choose two revisions of this brief.") from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = self.revision_context(
            request, brief, title=f"Changes to “{brief}”", old=old, new=new, rows=revisions.diff(old, new)
        )
        return TemplateResponse(request, "admin/briefs/brief/revision_diff.html", context)

    def revision_restore_view(self, request, object_id, version_id):
        brief = self.visible_brief(request, object_id)
        if not permissions.can_edit(request.user, brief):
            raise PermissionDenied("You cannot edit this brief, so you cannot restore its revisions.")
        versions = revisions.revisions_of(brief)
        version = get_object_or_404(versions, pk=version_id)
        if request.method == "POST":
            try:
                revisions.restore_revision(brief, version, by=request.user)
            except WorkflowError as error:
                self.report(request, error)
            else:
                if pending.is_live(brief):
                    messages.success(
                        request,
                        "The revision is now the brief's pending changes: readers see the published version "
                        "until a moderator publishes them. “Discard the changes” undoes this.",
                    )
                else:
                    messages.success(
                        request,
                        "The revision was restored; the restore is itself a revision, so restoring the one "
                        "before it undoes this.",
                    )
            return self.back(brief)
        latest = versions.first()
        context = self.revision_context(
            request,
            brief,
            title=f"Restore “{brief}” to {version.revision.date_created:%d %B %Y %H:%M}?",
            version=version,
            rows=revisions.diff(latest, version) if latest else [],
            live=pending.is_live(brief),
        )
        return TemplateResponse(request, "admin/briefs/brief/revision_restore.html", context)
