"""The inlines of the brief's form: its points, terms and links (editable exactly when the brief
is), its corrections, and its staff notes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from core.admin_rows import LabelledRowForm, LabelledRowsFormSet, label_row_inputs

from .. import permissions, sourcing
from ..models import (
    MAX_POINTS,
    MIN_POINTS,
    BriefPoint,
    BriefTerm,
    Correction,
    LinkKind,
    SourceLink,
    StaffNote,
    Status,
)
from . import sortable
from .sources_pages import SUGGEST_JS


class PointFormSet(LabelledRowsFormSet):
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


class LinkFormSet(LabelledRowsFormSet):
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


class ContentRowForm(forms.ModelForm):
    """A row of the brief's content. For a published brief the rows are pending changes, not rows:
    their uniqueness is checked among themselves (the formset), not against the live rows."""

    def __init__(self, *args, pending_edit=False, **kwargs):
        self.pending_edit = pending_edit
        super().__init__(*args, **kwargs)
        label_row_inputs(self)

    def validate_unique(self):
        if not self.pending_edit:
            super().validate_unique()

    def _post_clean(self):
        if self.pending_edit:
            # One primary link, one use of a term: the formset checks these among the pending rows.
            self.instance.validate_constraints = lambda exclude=None: None
        super()._post_clean()


class BriefContentInline:
    """A part of the brief's content: editable exactly when the brief is. For a published brief the
    inline shows and collects its pending changes (see BriefAdmin.get_formset_kwargs)."""

    form = ContentRowForm

    def get_extra(self, request, obj=None, **kwargs):
        rows = getattr(request, "_pending_rows", {}).get(self.model)
        if rows is None:
            return super().get_extra(request, obj, **kwargs)
        return max(0, len(rows) - (self.get_min_num(request, obj) or 0))  # the min_num forms come first

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


class BriefPointInline(sortable.SortableInline, BriefContentInline, admin.TabularInline):
    model = BriefPoint
    formset = PointFormSet
    extra = 0
    min_num = MIN_POINTS
    max_num = MAX_POINTS
    fields = ["text", "position"]
    classes = ["sortable-inline"]
    formfield_overrides = {models.CharField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class BriefTermInline(sortable.SortableInline, BriefContentInline, admin.TabularInline):
    model = BriefTerm
    formset = LabelledRowsFormSet
    extra = 0
    autocomplete_fields = ["term"]
    fields = ["term", "position"]
    classes = ["sortable-inline"]


class SourceLinkForm(ContentRowForm):
    """A source link. With no outlet chosen, the outlet of the link's domain is filled in here (the
    page's script only suggests it earlier); with none known, the typed publisher makes one on save."""

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("url")
        if url and not cleaned.get("outlet") and not cleaned.get("DELETE"):
            cleaned["outlet"] = sourcing.suggested_outlet(url)
            if cleaned["outlet"] is None and not (cleaned.get("publisher") or "").strip():
                self.add_error(
                    "publisher",
                    "No outlet is known for this address yet: choose one, or type the publisher's name "
                    "and its outlet is made when you save.",
                )
        return cleaned


class SourceLinkInline(sortable.SortableInline, BriefContentInline, admin.StackedInline):
    model = SourceLink
    form = SourceLinkForm
    formset = LinkFormSet
    extra = 0
    autocomplete_fields = ["outlet"]
    fields = ["kind", "url", ("outlet", "publisher"), "title", "archive_url", "position"]
    classes = ["sortable-inline"]

    class Media:
        js = [SUGGEST_JS]


class StaffNoteInline(admin.TabularInline):
    """Internal notes: anyone who can edit the brief adds one; notes are never edited or shown to readers."""

    model = StaffNote
    form, formset = LabelledRowForm, LabelledRowsFormSet
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
    form, formset = LabelledRowForm, LabelledRowsFormSet
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
