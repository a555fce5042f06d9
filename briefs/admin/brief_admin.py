"""The brief's change form and list: content first, who may see and change what, the live
preview, and the save inside a revision (retried when another brief takes the slug meanwhile)."""

import reversion
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from .. import permissions, workflow
from ..models import Brief, BriefPoint, BriefTerm, SourceLink
from ..revisions import ensure_baseline
from . import form_steps, live_preview, sortable
from .brief_form import BriefAdminForm
from .brief_saving import BriefSavingMixin
from .bulk_actions import BulkWorkflowMixin, bulk_action
from .common import ADMIN_CSS, status_badge
from .inlines import BriefPointInline, BriefTermInline, CorrectionInline, SourceLinkInline, StaffNoteInline
from .lists import BriefChangeListMixin
from .recovery import DeletedBriefViews
from .side_pages import BriefAdminViews
from .sources_pages import SourceAdminViews
from .terms_panel import PANEL_FIELD, TermSuggestionsAdminMixin

SLUG_RACE_ATTEMPTS = 8


@admin.register(Brief)
class BriefAdmin(
    BriefSavingMixin,
    BulkWorkflowMixin,
    BriefChangeListMixin,
    TermSuggestionsAdminMixin,
    DeletedBriefViews,
    SourceAdminViews,
    BriefAdminViews,
    admin.ModelAdmin,
):
    form = BriefAdminForm
    change_form_template = "admin/briefs/brief/change_form.html"
    list_select_related = ["author"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    # The record of its publication: shown read-only, last and folded away (see get_fieldsets).
    FACTS = [
        "badge",
        "author",
        "published_at",
        "first_published_at",
        "content_updated_at",
        "assignee",
        "review_due",
        "created_at",
        "updated_at",
    ]
    readonly_fields = FACTS
    inlines = [BriefPointInline, BriefTermInline, SourceLinkInline, CorrectionInline, StaffNoteInline]

    class Media:
        css = {"all": [*ADMIN_CSS["all"], "briefs/admin/brief-form.css"]}
        js = ["js/unsaved-changes.js", "js/admin-labels.js", "briefs/admin/brief-form.js"]

    @admin.display(description="status", ordering="status")
    def badge(self, obj):
        return status_badge(obj)

    def view_on_site(self, obj):
        """Only live briefs have a public page; the rest have Preview."""
        return obj.get_absolute_url() if obj.is_published else None

    def changelist_view(self, request, extra_context=None):
        extra_context = {"may_restore": self.may_restore(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        form.moving = getattr(request, "_moving", False)
        wanted = form_steps.requested(request)
        if wanted is not None:
            _, problem = form_steps.step_arguments(request, wanted)
            form.step_problem = form_steps.refusal(wanted[2], problem) if problem else None
        return form

    # The content first, in reading order; the record of its publication last, folded away.
    LEAD = ["headline", "dek", "opened_version", "hero_kept"]
    CONTENT_INLINES = (BriefPoint, BriefTerm, SourceLink)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": self.LEAD, "classes": ["brief-lead"]}),
            ("Body", {"fields": ["body"]}),
            ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_credit"]}),
            ("Topics and address", {"fields": ["tags", "slug"]}),
            ("Terms found in this text", {"fields": [PANEL_FIELD]}),
        ]
        if obj is not None:  # a new brief has no publication record yet: no empty rows
            facts = [name for name in self.FACTS if name == "badge" or getattr(obj, name, None)]
            fieldsets.append(("Publication record", {"fields": facts, "classes": ["collapse"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.slug_is_locked:
            fields.append("slug")
        return fields

    # Object rules (briefs.permissions) on top of the role's model permissions.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not (request.user.is_superuser or permissions.is_editor(request.user)):
            queryset = queryset.filter(author=request.user)
        return queryset

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or permissions.can_view(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request) and (
                request.user.is_superuser or permissions.is_moderator(request.user)
            )
        return permissions.can_delete(request.user, obj)

    def has_moderate_permission(self, request):
        return request.user.is_superuser or permissions.is_moderator(request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not request.user.is_superuser:
            # The stock bulk delete checks only the model permission; deletion goes one brief at a time.
            actions.pop("delete_selected", None)
        return actions

    # The change form's own pages: the live preview, and the form saved inside a revision.

    def get_urls(self):
        preview = self.admin_site.admin_view(self.live_preview_view)
        return [
            path("add/preview/", preview, name="briefs_brief_live_preview_add"),
            path("<int:object_id>/preview/live/", preview, name="briefs_brief_live_preview"),
            path(
                "<int:object_id>/preview/framed/",
                self.admin_site.admin_view(live_preview.framed_saved_preview),
                name="briefs_brief_framed_preview",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def live_preview_view(self, request, object_id=None):
        """The posted form, unsaved, through the readers' template (see live_preview)."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return live_preview.render(request, None)
        request._editing_brief = True
        return live_preview.render(request, self.visible_brief(request, object_id))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._editing_brief = bool(object_id)
        request._moving = sortable.move_requested(request)
        if request._moving and sortable.apply_move(request):
            sortable.moved_message(request)
        if object_id and request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is not None and self.has_change_permission(request, obj):
                ensure_baseline(obj)
        # Another request may take the slug between this form's validation and its save (the whole
        # save is rolled back). Validating again then sees that brief: a slug typed in the form
        # becomes a form error, and a slug generated from the headline is generated afresh.
        for attempt in range(SLUG_RACE_ATTEMPTS):
            try:
                return self._changeform_in_revision(request, object_id, form_url, extra_context)
            except IntegrityError as error:
                if request.method != "POST" or "slug" not in str(error) or attempt == SLUG_RACE_ATTEMPTS - 1:
                    raise
                for upload in request.FILES.values():
                    upload.seek(0)
        raise AssertionError("unreachable")

    def get_changeform_initial_data(self, request):
        return super().get_changeform_initial_data(request)

    def _changeform_in_revision(self, request, object_id, form_url, extra_context):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_view_permission(request, obj):
            context.update(self.workflow_context(request, obj))
            context.update(self.sources_context(request, obj))
        form = context["adminform"].form
        if request.method == "POST":
            form.keep_upload()
        editable = obj is None or self.has_change_permission(request, obj)
        inlines = context.get("inline_admin_formsets", [])
        context.update(
            steps_in_form=obj is not None and editable,
            content_inlines=[i for i in inlines if i.opts.model in self.CONTENT_INLINES],
            other_inlines=[i for i in inlines if i.opts.model not in self.CONTENT_INLINES],
            saved_preview_url=reverse("admin:briefs_brief_framed_preview", args=[obj.pk]) if obj else "",
            live_preview_url=reverse("admin:briefs_brief_live_preview", args=[obj.pk])
            if obj is not None
            else reverse("admin:briefs_brief_live_preview_add"),
        )
        wanted = form_steps.requested(request)
        if wanted is not None and not form.step_problem and not getattr(request, "_moving", False):
            messages.error(request, form_steps.refusal(wanted[2]))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        wanted = form_steps.requested(request)
        if wanted is not None:
            return form_steps.take_after_save(request, obj, wanted)
        return super().response_change(request, obj)


BriefAdmin.actions = [bulk_action(step) for step in workflow.STEPS.values() if step.bulk_name]
