"""Revisions of a brief (django-reversion): readable text, diffs, restore, and "who changed it last"."""

import difflib

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from reversion.errors import RevertError
from reversion.models import Revision, Version
from taggit.models import Tag, TaggedItem

from core import changes
from glossary.models import Term

from . import permissions, snapshots
from .models import Brief, BriefPoint, BriefTerm, SourceLink, Transition
from .workflow import WorkflowError

# What the workflow owns: restoring old content never moves a brief through the workflow.
WORKFLOW_FIELDS = [
    "status",
    "published_at",
    "first_published_at",
    "content_updated_at",
    "submitted_at",
    "assignee_id",
    "review_due",
    "author_id",
    "created_at",
    "version",
]
TEXT_FIELDS = [
    ("headline", "Headline"),
    ("slug", "Slug"),
    ("dek", "Summary"),
    ("body", "Body"),
    ("hero_image", "Image"),
    ("hero_alt", "Image alt text"),
    ("hero_credit", "Image credit"),
]


def revisions_of(brief):
    """Newest first, with who made each."""
    return Version.objects.get_for_object(brief).select_related("revision__user")


def ensure_baseline(brief):
    """Keep the stored state of a brief that has no revision yet, so its first edit can be undone."""
    if not revisions_of(brief).exists():
        with reversion.create_revision():
            reversion.add_to_revision(brief)
            reversion.set_comment("As it was before its first change in the admin.")
        # Dated when that state was stored, not when it was copied.
        baseline = revisions_of(brief).first().revision
        Revision.objects.filter(pk=baseline.pk).update(date_created=brief.updated_at)


def _related(version, model):
    content_type = ContentType.objects.get_for_model(model)
    return [v.field_dict for v in version.revision.version_set.filter(content_type=content_type)]


def revision_lines(version):
    """A brief as it was in one revision, as lines of text a person can compare."""
    fields = version.field_dict
    lines = []
    for name, label in TEXT_FIELDS:
        value = str(fields.get(name) or "")
        lines.append(f"{label}:")
        lines.extend(f"    {line}" for line in (value.splitlines() or [""]))
    points = sorted(_related(version, BriefPoint), key=lambda p: (p["position"], p["id"]))
    lines.append("In brief:")
    lines.extend(f"  • {p['text']}" for p in points)
    links = sorted(_related(version, SourceLink), key=lambda link: (link["position"], link["id"]))
    lines.append("Source links:")
    outlets = snapshots.outlet_names(links)
    for link in links:
        lines.extend(snapshots.link_lines(link, outlets))
    brief_terms = sorted(_related(version, BriefTerm), key=lambda t: (t["position"], t["id"]))
    names = dict(Term.objects.filter(pk__in=[t["term_id"] for t in brief_terms]).values_list("pk", "name"))
    lines.append("Terms:")
    lines.extend(f"  {names.get(t['term_id'], '(deleted term)')}" for t in brief_terms)
    tag_ids = [t["tag_id"] for t in _related(version, TaggedItem)]
    lines.append(
        "Tags: " + ", ".join(sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True)))
    )
    return lines


def diff(old, new):
    """Line diff between two revisions: (kind, text) pairs, kind in {"same", "added", "removed"}.

    The text is plain; templates escape it like any other value.
    """
    rows = []
    for line in difflib.ndiff(revision_lines(old), revision_lines(new)):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        rows.append(({"+ ": "added", "- ": "removed"}.get(code, "same"), text))
    return rows


def last_change(brief):
    """Who last changed the brief and when: the latest revision or workflow step, whichever is newer."""
    candidates = []
    version = revisions_of(brief).filter(revision__user__isnull=False).first()
    if version:
        candidates.append((version.revision.date_created, version.revision.user))
    transition = Transition.objects.filter(brief=brief).select_related("by").order_by("-at", "-id").first()
    if transition:
        candidates.append((transition.at, transition.by))
    if not candidates:
        return Brief.objects.filter(pk=brief.pk).values_list("updated_at", flat=True).first(), None
    return max(candidates, key=lambda c: c[0])


@transaction.atomic
def restore_revision(brief, version, *, by):
    """Bring back a brief's content as it was in `version`, as a new revision; its workflow state stays.

    For a published brief the revision becomes its pending changes: readers see it only once a
    moderator publishes them, like any other edit of a live brief."""
    from . import pending, snapshots

    locked = Brief.objects.select_for_update().get(pk=brief.pk)
    if not permissions.can_edit(by, locked):
        raise WorkflowError("You are not allowed to edit this brief.", code="not_allowed")
    if version.object_id != str(locked.pk) or version.content_type.model_class() is not Brief:
        raise WorkflowError("That revision belongs to another brief.", code="wrong_brief")
    if pending.is_live(locked):
        return pending.restore_as_changes(locked, snapshots.snapshot_from_version(version), by=by)
    from .locks import LockHeld, ensure_free_for

    try:
        ensure_free_for(locked, by)
    except LockHeld as held:
        raise WorkflowError(str(held), code="locked") from held
    kept = {field: getattr(locked, field) for field in WORKFLOW_FIELDS}
    if locked.slug_is_locked:
        kept["slug"] = locked.slug
    with reversion.create_revision():
        try:
            version.revision.revert(delete=True)
        except RevertError as error:
            raise WorkflowError(
                "That revision cannot be restored: something it refers to (a term, a tag or its address) "
                "has changed since.",
                code="cannot_restore",
            ) from error
        restored = Brief.objects.get(pk=locked.pk)
        for field, value in kept.items():
            setattr(restored, field, value)
        restored.save()
        reversion.set_user(by)
        reversion.set_comment(f"Restored the revision of {version.revision.date_created:%Y-%m-%d %H:%M %Z}.")
    changes.record_many({changes.BRIEF_CONTENT: [restored.pk], changes.HERO_IMAGE: [restored.pk]})
    for field in Brief._meta.concrete_fields:
        setattr(brief, field.attname, getattr(restored, field.attname))
    return restored
