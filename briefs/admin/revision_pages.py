"""The brief's revisions: the list of saved versions, the comparison of two, and restoring one
(on a published brief the restored revision becomes its pending changes)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from .. import pending, permissions, revisions
from ..workflow import WorkflowError


class RevisionViews:
    """Mixed into BriefAdmin through BriefAdminViews (side_pages), which supplies the page helpers."""

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
