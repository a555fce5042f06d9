"""The brief's change form and list: content first, inlines for points, terms and links, and a
stale-save check so two people never silently overwrite each other."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format

from core import changes

from .. import permissions, services, workflow
from ..images import HeroImageField
from ..models import (
    MAX_POINTS,
    MIN_POINTS,
    Brief,
    BriefPoint,
    BriefTerm,
    Correction,
    LinkKind,
    SourceLink,
    StaffNote,
    Status,
)
from ..revisions import ensure_baseline, last_change
from ..tagging import check_tags
from ..workflow import WorkflowError
from .common import ADMIN_CSS, status_badge
from .terms_panel import PANEL_FIELD, TermSuggestionsAdminMixin
from .workflow_pages import BriefAdminViews


class PointFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        count = sum(
            1
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("text")
        )
        if count < MIN_POINTS:
            raise ValidationError("Add at least one “In brief” point.")
        if count > MAX_POINTS:
            raise ValidationError(
                f"A brief has at most {MAX_POINTS} “In brief” points; this one has {count}."
            )


class LinkFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        primaries = sum(
            1
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("kind") == LinkKind.PRIMARY
        )
        if primaries > 1:
            raise ValidationError("Only one link can be the primary “Read full story” link.")


class BriefContentInline:
    """A part of the brief's content: editable exactly when the brief is."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )


class BriefPointInline(BriefContentInline, admin.TabularInline):
    model = BriefPoint
    formset = PointFormSet
    extra = 0
    min_num = MIN_POINTS
    max_num = MAX_POINTS
    fields = ["text", "position"]


class BriefTermInline(BriefContentInline, admin.TabularInline):
    model = BriefTerm
    extra = 0
    autocomplete_fields = ["term"]
    fields = ["term", "position"]


class SourceLinkInline(BriefContentInline, admin.StackedInline):
    model = SourceLink
    formset = LinkFormSet
    extra = 0
    fields = [("kind", "publisher"), "url", "title", "position"]


class StaffNoteInline(admin.TabularInline):
    """Internal notes: anyone who can edit the brief adds one; notes are never edited or shown to readers."""

    model = StaffNote
    extra = 0
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name_plural = "Staff notes (never shown to readers)"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_view_permission(self, request, obj=None):
        return obj is None or permissions.can_view(request.user, obj)

    def has_add_permission(self, request, obj):
        return obj is not None and permissions.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CorrectionInline(admin.TabularInline):
    """Public correction or update notes: moderators add them to published briefs."""

    model = Correction
    extra = 0
    fields = ["created_at", "text", "created_by"]
    readonly_fields = ["created_by"]
    verbose_name_plural = "Corrections and updates (shown to readers)"

    def has_view_permission(self, request, obj=None):
        return obj is not None and permissions.can_view(request.user, obj)

    def has_add_permission(self, request, obj):
        return (
            obj is not None and obj.status == Status.PUBLISHED and permissions.can_moderate(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return obj is not None and permissions.can_moderate(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


SLUG_RACE_ATTEMPTS = 8


class BriefAdminForm(forms.ModelForm):
    """The brief form, with the version it was opened at so a stale save is refused, not merged."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    substantive_change = forms.BooleanField(
        required=False,
        label="Substantive change",
        help_text="Tick when this changes what the published brief says; readers then see an “Updated” date.",
    )

    class Meta:
        model = Brief
        fields = ["headline", "slug", "dek", "tags", "hero_image", "hero_alt", "hero_credit", "body"]
        field_classes = {"hero_image": HeroImageField}

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        check_tags(tags)
        return tags

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Locked until the admin's transaction commits, so two saves cannot both pass this check.
        current = (
            Brief.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True)
        )
        current = current.first()
        if cleaned.get("opened_version") != current:
            when, who = last_change(self.instance)
            name = (who.get_full_name() or who.get_username()) if who else "Someone"
            at = date_format(timezone.localtime(when), "j F Y, H:i") if when else "a moment ago"
            # The next save is a deliberate one, made after seeing this message.
            data = self.data.copy()
            data[self.add_prefix("opened_version")] = current
            self.data = data
            raise ValidationError(
                f"{name} changed this brief on {at}, after you opened it. Nothing was saved. "
                "Your changes are kept below: compare them with the current version (open the brief "
                "in a new tab), then save again to replace it.",
                code="stale",
            )
        return cleaned


@admin.register(Brief)
class BriefAdmin(TermSuggestionsAdminMixin, BriefAdminViews, admin.ModelAdmin):
    form = BriefAdminForm
    change_form_template = "admin/briefs/brief/change_form.html"
    list_display = ["headline", "badge", "author", "published_at", "updated_at"]
    list_filter = ["status", "author", "tags"]
    list_select_related = ["author"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    readonly_fields = [
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
    inlines = [BriefPointInline, BriefTermInline, SourceLinkInline, CorrectionInline, StaffNoteInline]

    class Media:
        css = ADMIN_CSS

    @admin.display(description="status", ordering="status")
    def badge(self, obj):
        return status_badge(obj)

    def view_on_site(self, obj):
        """Only live briefs have a public page; the rest have Preview."""
        return obj.get_absolute_url() if obj.is_published else None

    def get_fieldsets(self, request, obj=None):
        main = ["headline", "slug", "dek", "tags", "opened_version"]
        if obj and obj.status == Status.PUBLISHED and permissions.can_edit(request.user, obj):
            main.append("substantive_change")
        return [
            (None, {"fields": main}),
            ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_credit"]}),
            ("Body", {"fields": ["body"], "classes": ["collapse"]}),
            ("Terms found in this text", {"fields": [PANEL_FIELD]}),
            (
                "Publication",
                {
                    "fields": [
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
                },
            ),
        ]

    def get_list_filter(self, request):
        if request.user.is_superuser or permissions.is_editor(request.user):
            return self.list_filter
        return ["status", "tags"]  # contributors see only their own briefs: no author list

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

    # Saving: revisions, author, "updated" date.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
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

    def _changeform_in_revision(self, request, object_id, form_url, extra_context):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_view_permission(request, obj):
            context.update(self.workflow_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def log_addition(self, request, obj, message):
        reversion.set_comment("Created.")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "No fields changed.")
        return entry

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        if change and obj.status == Status.PUBLISHED and form.cleaned_data.get("substantive_change"):
            obj.content_updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the inlines, then the terms panel
        brief = form.instance
        changes.record(changes.BRIEF_CONTENT, [brief.pk])
        if "hero_image" in form.changed_data:
            changes.record(changes.HERO_IMAGE, [brief.pk])
            if brief.hero_processing:
                self.message_user(
                    request, "The new image is being prepared; pages show it in a moment.", messages.INFO
                )

    def delete_model(self, request, obj):
        services.delete_brief(obj)

    def delete_queryset(self, request, queryset):
        for brief in queryset:
            self.delete_model(request, brief)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, StaffNote) and not instance.author_id:
                instance.author = request.user
            if isinstance(instance, Correction) and not instance.created_by_id:
                instance.created_by = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    # Bulk workflow actions: each brief goes through the service, which checks it again.

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


def _bulk_action(step):
    """An admin action for one workflow step; each brief still goes through the step's service."""

    def action(modeladmin, request, queryset):
        modeladmin.run_bulk(request, queryset, step.name)

    action.__name__ = step.bulk_name
    permission = "moderate" if step.allowed is permissions.can_moderate else "change"
    return admin.action(description=step.bulk_label, permissions=[permission])(action)


BriefAdmin.actions = [_bulk_action(step) for step in workflow.STEPS.values() if step.bulk_name]
