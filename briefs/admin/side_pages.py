"""The brief admin's side pages: their URLs, and what every one of them does the same way.

Every page loads the brief through the admin's own queryset and checks the same object rules as
the change form (briefs.permissions); every change goes through the services, so a forged POST
gets exactly what the hidden button would. Steps readers notice at once (unpublish, archive,
discarding changes, restoring a revision) first show a page that says what readers lose, and
each has a one-step way back.

The pages themselves: `workflow_pages` (workflow steps and pending changes), `panel_pages` (locks,
expiry, assignment, share links) and `revision_pages` (revisions); the preview is
`briefs.preview.BriefPreviewView`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from .. import permissions
from ..preview import BriefPreviewView
from .panel_pages import PanelViews
from .revision_pages import RevisionViews
from .workflow_pages import WorkflowViews


class BriefAdminViews(WorkflowViews, PanelViews, RevisionViews):
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
