"""The brief admin's side pages: workflow steps, assignment, share links, preview and revisions.

Every page loads the brief through the admin's own queryset and checks the same
object rules as the change form (briefs.permissions); every change goes through
the services, so a forged POST gets exactly what the hidden button would.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_POST

from .. import permissions, revisions, workflow
from ..models import ShareLink, Status
from ..preview import BriefPreviewView, share_url
from ..workflow import WorkflowError


def moderators():
    """People a brief can be assigned to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="publish_brief")
            | Q(user_permissions__codename="publish_brief")
        )
        .distinct()
        .order_by("first_name", "username")
    )


def parse_local_datetime(value):
    """A `datetime-local` input in the newsroom's time zone; None when blank, ValueError when wrong."""
    value = (value or "").strip()
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def parse_local_date(value):
    """A `date` input; None when blank, ValueError when it is not a real date (2026-02-30, "soon")."""
    value = (value or "").strip()
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(value)
    return parsed


class BriefAdminViews:
    """Mixed into BriefAdmin."""

    def get_urls(self):
        def view(func, methods=None):
            return self.admin_site.admin_view(require_POST(func) if methods == "POST" else func)

        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/step/<slug:step>/",
                view(self.step_view, "POST"),
                name="{}_{}_step".format(*info),
            ),
            path(
                "<int:object_id>/assign/", view(self.assign_view, "POST"), name="{}_{}_assign".format(*info)
            ),
            path("<int:object_id>/share/", view(self.share_view, "POST"), name="{}_{}_share".format(*info)),
            path(
                "<int:object_id>/share/<int:link_id>/revoke/",
                view(self.revoke_share_view, "POST"),
                name="{}_{}_revoke_share".format(*info),
            ),
            path(
                "<int:object_id>/preview/",
                view(BriefPreviewView.as_view()),
                name="{}_{}_preview".format(*info),
            ),
            path(
                "<int:object_id>/revisions/", view(self.revisions_view), name="{}_{}_revisions".format(*info)
            ),
            path(
                "<int:object_id>/revisions/diff/",
                view(self.revision_diff_view),
                name="{}_{}_revision_diff".format(*info),
            ),
            path(
                "<int:object_id>/revisions/<int:version_id>/restore/",
                view(self.revision_restore_view),
                name="{}_{}_revision_restore".format(*info),
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

    def report(self, request, error):
        if error.code == "not_allowed":
            raise PermissionDenied(" ".join(error.messages))
        messages.error(request, " ".join(error.messages))

    def workflow_context(self, request, brief):
        user = request.user
        moderate = permissions.can_moderate(user, brief)
        change_request = None
        if brief.status == Status.CHANGES_REQUESTED:
            change_request = brief.transitions.filter(action="request_changes").select_related("by").first()
        return {
            "brief": brief,
            "steps": workflow.allowed_steps(user, brief),
            "transitions": brief.transitions.select_related("by"),
            "change_request": change_request,
            "missing": workflow.missing_for_publication(brief) if brief.status == Status.IN_REVIEW else [],
            "can_assign": moderate and brief.status == Status.IN_REVIEW,
            "moderators": moderators() if moderate and brief.status == Status.IN_REVIEW else [],
            "can_share": moderate,
            "share_links": [
                (link, share_url(link)) for link in brief.share_links.filter(revoked_at__isnull=True)
            ]
            if moderate
            else [],
            "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        }

    # Workflow

    def step_view(self, request, object_id, step):
        brief = self.visible_brief(request, object_id)
        if step not in workflow.SERVICES:
            raise Http404("No such step")
        kwargs = {}
        if step == "request_changes":
            kwargs["note"] = request.POST.get("note", "")
        if step in {"publish", "reschedule"}:
            try:
                kwargs["at"] = parse_local_datetime(request.POST.get("at"))
            except ValueError:
                messages.error(request, "Enter the publication time as YYYY-MM-DD HH:MM, or leave it empty.")
                return HttpResponseRedirect(self.change_url(brief))
        try:
            transition = workflow.SERVICES[step](brief, by=request.user, **kwargs)
        except WorkflowError as error:
            self.report(request, error)
        else:
            label = workflow.STEPS[step].label
            done = transition.note if brief.is_scheduled else f"{label}: done."
            messages.success(request, f"“{brief}” — {done}")
        return HttpResponseRedirect(self.change_url(brief))

    def assign_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        assignee_id = (request.POST.get("assignee") or "").strip()
        if assignee_id and not assignee_id.isdigit():
            raise Http404("No such person")
        assignee = get_object_or_404(get_user_model(), pk=int(assignee_id)) if assignee_id else None
        try:
            due = parse_local_date(request.POST.get("due"))
        except ValueError:
            messages.error(
                request, "Enter the due date as YYYY-MM-DD, or leave it empty. Nothing was changed."
            )
            return HttpResponseRedirect(self.change_url(brief))
        try:
            workflow.assign(brief, by=request.user, to=assignee, due=due)
        except WorkflowError as error:
            self.report(request, error)
        else:
            messages.success(request, f"Assigned to {assignee}." if assignee else "Unassigned.")
        return HttpResponseRedirect(self.change_url(brief))

    # Share links

    def share_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        if not permissions.can_moderate(request.user, brief):
            raise PermissionDenied("Only moderators create share links.")
        try:
            days = min(max(int(request.POST.get("days") or 7), 1), 30)
        except ValueError:
            days = 7
        link = ShareLink.objects.create(
            brief=brief, created_by=request.user, expires_at=timezone.now() + dt.timedelta(days=days)
        )
        url = request.build_absolute_uri(share_url(link))
        messages.success(request, f"Share link created, valid until {link.expires_at:%d %B %Y %H:%M}: {url}")
        return HttpResponseRedirect(self.change_url(brief))

    def revoke_share_view(self, request, object_id, link_id):
        brief = self.visible_brief(request, object_id)
        if not permissions.can_moderate(request.user, brief):
            raise PermissionDenied("Only moderators revoke share links.")
        link = get_object_or_404(ShareLink, pk=link_id, brief=brief)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        messages.success(request, "Share link revoked; it now shows “not found”.")
        return HttpResponseRedirect(self.change_url(brief))

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
                messages.success(request, "The revision was restored; the restore is itself a new revision.")
            return HttpResponseRedirect(self.change_url(brief))
        latest = versions.first()
        context = self.revision_context(
            request,
            brief,
            title=f"Restore “{brief}” to {version.revision.date_created:%d %B %Y %H:%M}?",
            version=version,
            rows=revisions.diff(latest, version) if latest else [],
        )
        return TemplateResponse(request, "admin/briefs/brief/revision_restore.html", context)
