"""The workflow panel's small forms, each a POST that returns to the brief: taking, releasing and
breaking the edit lock, the expiry date and successor, review assignment, and share links."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .. import locks, permissions, workflow
from ..models import ShareLink
from ..preview import share_url
from ..workflow import WorkflowError
from . import step_forms


class PanelViews:
    """Mixed into BriefAdmin through BriefAdminViews (side_pages), which supplies the page helpers."""

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
