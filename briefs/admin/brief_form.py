"""The brief's change form and list: content first, inlines for points, terms and links, and a
stale-save check so two people never silently overwrite each other."""

from types import SimpleNamespace

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from core import changes
from core.admin_rows import LabelledRowForm, LabelledRowsFormSet, label_row_inputs

from .. import kept_upload, locks, pending, permissions, services, snapshots, sourcing, workflow
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
from . import form_steps, live_preview, sortable
from .common import ADMIN_CSS, status_badge
from .lists import BriefChangeListMixin
from .recovery import DeletedBriefViews
from .sources_pages import SUGGEST_JS, SourceAdminViews
from .terms_panel import PANEL_FIELD, TermSuggestionsAdminMixin
from .workflow_pages import BriefAdminViews


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


SLUG_RACE_ATTEMPTS = 8


def _with_outlet(row):
    """A link row saved without an outlet gets one from its typed publisher (see SourceLinkForm)."""
    if row.get("url") and not row.get("outlet"):
        row = {**row, "outlet": sourcing.outlet_for(row["url"], row.get("publisher"))}
    return row


def _plain(value, field):
    """A form's cleaned value as a snapshot holds it (a related object by its id)."""
    if field.endswith("_id"):
        return getattr(value, "pk", value)
    return value if value is not None else ""


class BriefAdminForm(forms.ModelForm):
    """The brief form, with the version it was opened at so a stale save is refused, not merged."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hero_kept = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Brief
        fields = ["headline", "slug", "dek", "tags", "hero_image", "hero_alt", "hero_credit", "body"]
        field_classes = {"hero_image": HeroImageField}
        widgets = {
            "headline": forms.TextInput(attrs={"class": "brief-headline"}),
            "dek": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        check_tags(tags)
        return tags

    user = None  # set by the admin: who is saving (a lock held by someone else refuses the save)
    step_problem = None  # set by the admin: why the workflow button pressed with this save cannot work
    moving = False  # set by the admin: a no-JavaScript "Move" button, which reorders and does not save

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_name = None
        if "hero_image" in self.fields:  # not when the form is only shown
            # The input sits in a fieldset whose legend names it; axe and some readers want it on the input.
            self.fields["hero_image"].widget.attrs.setdefault("aria-label", "Hero image")
            if self.is_bound:
                self.use_kept_upload()
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
        pending_tags = getattr(self.instance, "_pending_tags", None)
        if pending_tags is not None:  # a published brief: the form opens on its pending changes
            self.initial["tags"] = [SimpleNamespace(name=name) for name in pending_tags]

    def use_kept_upload(self):
        """The hero image chosen on an earlier, refused post of this form, unless another is chosen."""
        token = self.data.get(self.add_prefix("hero_kept"))
        choosing = self.files.get(self.add_prefix("hero_image")) or self.data.get("hero_image-clear")
        if not token or choosing:
            return
        upload = kept_upload.restore(token, user=self.user)
        if upload is None:
            return
        self.files = self.files.copy()
        self.files[self.add_prefix("hero_image")] = upload
        self.kept_name = upload.name

    def keep_upload(self):
        """After a refused post: keep a checked upload for the next one, and say so on the field."""
        if "hero_image" not in self.fields:
            return
        if self.kept_name is None:
            upload = getattr(self, "cleaned_data", {}).get("hero_image")
            if not isinstance(upload, UploadedFile) or "hero_image" in self.errors:
                return
            data = self.data.copy()
            data[self.add_prefix("hero_kept")] = kept_upload.keep(upload, user=self.user)
            self.data, self.kept_name = data, upload.name
        note = (
            f"Kept from your last try: “{self.kept_name}”. It is saved with the brief; choose another "
            "file to replace it."
        )
        self.fields["hero_image"].help_text = self["hero_image"].help_text = note

    def is_valid(self):
        return super().is_valid() and not self.moving

    def clean(self):
        cleaned = super().clean()
        if self.step_problem:
            raise ValidationError(self.step_problem, code="step")
        if not self.instance.pk:
            return cleaned
        holder = locks.active_lock(self.instance)
        if holder is not None and self.user is not None and holder.holder_id != self.user.pk:
            raise ValidationError(locks.describe(holder), code="locked")
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
class BriefAdmin(
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

    # Saving: revisions, author, "updated" date.

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

    # A published brief: the form shows and saves its pending changes, never the live rows.

    def get_object(self, request, object_id, from_field=None):
        brief = super().get_object(request, object_id, from_field)
        if brief is not None and getattr(request, "_editing_brief", False) and pending.is_live(brief):
            snapshot, current = pending.working_snapshot(brief)
            for name, _ in snapshots.TEXT_FIELDS:
                setattr(brief, name, snapshot.get(name) or "")
            brief._pending = current
            brief._pending_tags = snapshot["tags"]
            request._pending_rows = {
                BriefPoint: [{"text": text, "position": n} for n, text in enumerate(snapshot["points"])],
                BriefTerm: [{"term": pk, "position": n} for n, pk in enumerate(snapshot["terms"])],
                SourceLink: [
                    {**snapshots.link_form_initial(link), "position": n}
                    for n, link in enumerate(snapshot["links"])
                ],
            }
        return brief

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = getattr(request, "_pending_rows", {}).get(inline.model)
        if rows is not None:
            kwargs["queryset"] = inline.model.objects.none()
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "pending_edit": True}
            if request.method != "POST":
                kwargs["initial"] = rows
        return kwargs

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

    def log_addition(self, request, obj, message):
        reversion.set_comment("Created.")
        return super().log_addition(request, obj, message)

    def construct_change_message(self, request, form, formsets, add=False):
        if not add and pending.is_live(form.instance):
            return [{"changed": {"fields": ["pending changes"]}}]
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "No fields changed.")
        return entry

    def save_model(self, request, obj, form, change):
        if change and pending.is_live(obj):
            return  # the live rows stay as readers see them: save_related keeps pending changes
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_pending_changes(self, request, form, formsets):
        """The form of a published brief, kept as its pending changes."""
        data = form.cleaned_data
        by_model = {formset.model: formset for formset in formsets}

        def rows(model):
            formset = by_model.get(model)
            kept = [
                f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            return sorted(kept, key=lambda row: row.get("position") or 0)

        snapshot = {
            **{name: data.get(name) or "" for name, _ in snapshots.TEXT_FIELDS},
            "points": [row["text"] for row in rows(BriefPoint) if row.get("text")],
            "terms": list(dict.fromkeys(row["term"].pk for row in rows(BriefTerm) if row.get("term"))),
            "links": [
                {
                    field: _plain(row.get(field.removesuffix("_id")), field)
                    for field in snapshots.link_fields()
                }
                for row in map(_with_outlet, rows(SourceLink))
                if row.get("url")
            ],
            "tags": sorted(data.get("tags") or [], key=str.casefold),
        }
        texts = [snapshot["headline"], snapshot["dek"], *snapshot["points"], snapshot["body"]]
        attach = self.terms_to_attach(request, form.instance, listed_ids=snapshot["terms"], texts=texts)
        snapshot["terms"] += [term.pk for term in attach]
        image = data.get("hero_image")
        upload = image if image and "hero_image" in form.changed_data else None
        cleared = "hero_image" in form.changed_data and not image
        try:
            pending.save_changes(
                form.instance, by=request.user, snapshot=snapshot, hero_upload=upload, clear_hero=cleared
            )
        except WorkflowError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            raise
        self.message_user(
            request,
            "Saved as pending changes: readers still see the published version. Submit them for review "
            "when they are ready (a moderator may also publish them).",
            messages.INFO,
        )

    def save_related(self, request, form, formsets, change):
        if form.kept_name is not None:  # the kept image went into this save: its copy can go
            kept_upload.forget_after_commit(form.data.get(form.add_prefix("hero_kept")), user=request.user)
        if change and pending.is_live(form.instance):
            content = [f for f in formsets if f.model in (BriefPoint, BriefTerm, SourceLink)]
            self.save_pending_changes(request, form, content)
            for formset in content:  # nothing of theirs was saved: the history says so
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for formset in formsets:
                if formset not in content:
                    self.save_formset(request, form, formset, change)  # corrections and staff notes
            return
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
        services.delete_brief(obj, by=request.user)

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
            if isinstance(instance, SourceLink) and not instance.outlet_id:
                instance.outlet = sourcing.outlet_for(instance.url, instance.publisher)
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
    """An admin action for one workflow step; each brief still goes through the step's service.
    A step readers notice at once first shows what they will lose."""

    def action(modeladmin, request, queryset):
        if step.name in workflow.DESTRUCTIVE and not request.POST.get("confirmed"):
            from django.template.response import TemplateResponse

            from .workflow_pages import CONSEQUENCES

            return TemplateResponse(
                request,
                "admin/briefs/brief/confirm_bulk.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "opts": modeladmin.opts,
                    "title": f"{step.label}: {queryset.count()} brief(s)?",
                    "briefs": list(queryset),
                    "consequences": CONSEQUENCES[step.name],
                    "action_name": step.bulk_name,
                    "button": step.bulk_label,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        modeladmin.run_bulk(request, queryset, step.name)
        return None

    action.__name__ = step.bulk_name
    permission = "moderate" if step.allowed is permissions.can_moderate else "change"
    return admin.action(description=step.bulk_label, permissions=[permission])(action)


BriefAdmin.actions = [_bulk_action(step) for step in workflow.STEPS.values() if step.bulk_name]
