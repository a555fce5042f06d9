"""The brief admin's source pages: the outlet suggested for a pasted link, each source's checks,
and the moderators' fixes for broken links.

The fixes go through `briefs.sourcing`, which checks the role again: a forged POST gets exactly
what the hidden button would. On a live brief they become pending changes.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from sources.urlkeys import InvalidURL, normalize_domain

from .. import pending, permissions, sourcing
from ..workflow import WorkflowError

SUGGEST_JS = "briefs/admin/outlet-suggest.js"


class SourceStatusFilter(admin.SimpleListFilter):
    """Briefs by what the link checker found about their sources."""

    title = "source status"
    parameter_name = "source_status"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _state) in sourcing.SOURCE_STATUSES.items()]

    def queryset(self, request, queryset):
        if self.value() in sourcing.SOURCE_STATUSES:
            return sourcing.briefs_by_source_status(self.value(), queryset)
        return queryset


class ArchiveForm(forms.Form):
    url = forms.CharField(widget=forms.HiddenInput)
    archive_url = forms.URLField(
        label="archived copy", max_length=2000, required=False, assume_scheme="https"
    )


class ReplaceForm(forms.Form):
    url = forms.CharField(widget=forms.HiddenInput)
    new_url = forms.URLField(label="new address", max_length=2000, assume_scheme="https")


class LinkForm(forms.Form):
    url = forms.CharField(widget=forms.HiddenInput)


ACTIONS = {
    "replace": ReplaceForm,
    "archive": ArchiveForm,
    "checked": LinkForm,
    "check": forms.Form,
}


class SourceAdminViews:
    """Mixed into BriefAdmin (before BriefAdminViews)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "suggest-outlet/",
                self.admin_site.admin_view(require_safe(self.suggest_outlet_view)),
                name="{}_{}_suggest_outlet".format(*info),
            ),
            path(
                "<int:object_id>/sources/",
                self.admin_site.admin_view(self.sources_view),
                name="{}_{}_sources".format(*info),
            ),
            *super().get_urls(),
        ]

    def suggest_outlet_view(self, request):
        """{"outlet": {"id", "name"} | null, "domain"}: the outlet a pasted link belongs to."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        url = request.GET.get("url", "")[:2000]
        outlet = sourcing.suggested_outlet(url)
        try:
            domain = normalize_domain(url)
        except InvalidURL:
            domain = ""
        return JsonResponse(
            {"outlet": {"id": outlet.pk, "name": outlet.name} if outlet else None, "domain": domain}
        )

    def sources_context(self, request, brief):
        """What the change form's source panel shows: each link's state, and whether fixes are offered."""
        return {
            "checked_links": sourcing.checked_links(brief.links.select_related("outlet")),
            "can_fix_sources": permissions.can_moderate(request.user, brief),
        }

    def sources_view(self, request, object_id):
        brief = self.visible_brief(request, object_id)
        moderate = permissions.can_moderate(request.user, brief)
        if request.method == "POST":
            return self.source_action(request, brief)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "POST"])
        rows = []
        for checked in sourcing.checked_links(brief.links.select_related("outlet")):
            url = checked.link.url
            state = checked.state
            rows.append(
                {
                    "checked": checked,
                    "history": sourcing.history_of(url),
                    "replace_form": ReplaceForm(
                        initial={"url": url, "new_url": state.redirect_target if state else ""},
                        auto_id=f"id_replace_{checked.link.pk}_%s",
                    )
                    if moderate
                    else None,
                    "archive_form": ArchiveForm(
                        initial={
                            "url": url,
                            "archive_url": checked.link.archive_url or sourcing.archived_copy_for(url),
                        },
                        auto_id=f"id_archive_{checked.link.pk}_%s",
                    )
                    if moderate
                    else None,
                }
            )
        return self.side_page(
            request,
            brief,
            "admin/briefs/brief/sources.html",
            title=f"Sources of “{brief}”",
            rows=rows,
            can_fix=moderate,
            live=pending.is_live(brief),
            action=reverse("admin:briefs_brief_sources", args=[brief.pk]),
        )

    def source_action(self, request, brief):
        action = request.POST.get("action", "")
        form_class = ACTIONS.get(action)
        back = self.redirect_to_sources(brief)
        if form_class is None:
            messages.error(request, "Unknown action. Nothing was changed.")
            return back
        form = form_class(request.POST)
        if not form.is_valid():
            self.form_errors(request, form)
            return back
        data = form.cleaned_data
        try:
            if action == "replace":
                done = sourcing.replace_url(brief, url=data["url"], new_url=data["new_url"], by=request.user)
            elif action == "archive":
                done = sourcing.use_archived_copy(
                    brief, url=data["url"], archive_url=data["archive_url"], by=request.user
                )
            elif action == "checked":
                sourcing.mark_checked(brief, url=data["url"], by=request.user)
                done = "checked"
            else:
                result = sourcing.check_now(brief, by=request.user)
                done = "queued" if result is not None and not result.is_finished else "ran"
        except WorkflowError as error:
            self.report(request, error)
            return back
        messages.success(request, DONE[done])
        return back

    def redirect_to_sources(self, brief):
        return HttpResponseRedirect(reverse("admin:briefs_brief_sources", args=[brief.pk]))


DONE = {
    "pending": "Saved as pending changes: readers still see the published version until the changes "
    "are published (as a fix, say) from the brief's page.",
    "saved": "The source link is updated.",
    "checked": "Marked as checked: its failures are cleared.",
    "queued": "The links will be checked in the background in a moment.",
    "ran": "The links were checked.",
}
