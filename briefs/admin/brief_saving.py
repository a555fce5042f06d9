"""How the brief's form is saved: a published brief's form becomes its pending changes (the live
rows stay as readers see them); otherwise the brief and its rows are saved, with the history's
comment, the author of notes and corrections, and the outlet of links."""

import reversion
from django.contrib import messages

from core import changes

from .. import kept_upload, pending, services, snapshots, sourcing
from ..models import BriefPoint, BriefTerm, Correction, SourceLink, StaffNote
from ..workflow import WorkflowError


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


class BriefSavingMixin:
    """Mixed into BriefAdmin, ahead of TermSuggestionsAdminMixin: `save_related` saves the inlines
    through it, and the terms panel's choices after them."""

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

    # Saving: revisions, author, "updated" date.

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
