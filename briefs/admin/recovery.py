"""Deleting a brief says what readers lose; a deleted brief comes back in one step."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from .. import permissions, services, workflow


class DeletedBriefViews:
    """`Recently deleted` beside the brief list, for moderators, and the delete page's consequences."""

    delete_confirmation_template = "admin/briefs/brief/delete_confirmation.html"

    def get_urls(self):
        def name(suffix):
            return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=name("deleted")),
            path(
                "deleted/<int:version_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_deleted_view)),
                name=name("restore_deleted"),
            ),
            *super().get_urls(),
        ]

    def may_restore(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or permissions.is_moderator(user))

    def deleted_view(self, request):
        if not self.may_restore(request):
            raise PermissionDenied("Only moderators see and restore deleted briefs.")
        versions = list(services.deleted_briefs()[:100])
        return TemplateResponse(
            request,
            "admin/briefs/brief/deleted.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Recently deleted briefs",
                "deleted": [
                    {
                        "version": version,
                        "headline": version.field_dict.get("headline") or version.object_repr,
                        "deleted_by": version.revision.user,
                        "deleted_at": version.revision.date_created,
                    }
                    for version in versions
                ],
            },
        )

    def restore_deleted_view(self, request, version_id):
        if not self.may_restore(request):
            raise PermissionDenied("Only moderators restore deleted briefs.")
        version = services.deleted_briefs().filter(pk=version_id).first()
        if version is None:
            raise Http404("No deleted brief found")
        try:
            brief = workflow.restore_deleted(version, by=request.user)
        except workflow.WorkflowError as error:
            if error.code == "not_allowed":
                raise PermissionDenied(" ".join(error.messages)) from error
            messages.error(request, f"{' '.join(error.messages)} Nothing was changed.")
            return HttpResponseRedirect(reverse("admin:briefs_brief_deleted"))
        messages.success(request, f"“{brief.headline}” is back, as a draft with its points, terms and links.")
        return HttpResponseRedirect(reverse("admin:briefs_brief_change", args=[brief.pk]))

    def render_delete_form(self, request, context):
        brief = context.get("object")
        if brief is not None:
            context["readers_lose"] = readers_lose(brief)
        return super().render_delete_form(request, context)


def readers_lose(brief):
    """What a deletion takes from readers, in a sentence for the confirmation page."""
    if brief.first_published_at is None:
        return "Readers never saw this brief, so nothing public changes."
    return (
        f"Readers lose the page {brief.get_absolute_url()}, and the brief leaves every list, feed, "
        "search result and the sitemap. Links to it will answer “not found”."
    )
