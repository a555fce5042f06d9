"""Pending changes of a published brief: edits readers do not see until a moderator publishes them.

Once a brief is published its rows are what readers see. Saving it then stores *pending
changes* (a `PendingChange` holding the whole new content) and leaves the rows alone, so
pages, feeds, search, the API, the sitemap and every cache go on showing the live version.
The pending changes move through review like a draft: submit, request changes with a note,
publish. Publishing replaces the live version in one transaction and says whether it was a
correction (a note in the public corrections log), an update (an "Updated" date) or neither.
A moderator may publish a fix without a review; that is recorded as such. Discarding is a
step of its own, and can be undone.
"""

import reversion
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from background.mail import queue_mail
from core import changes
from core.site import absolute_url

from . import locks, permissions, snapshots
from .models import (
    OPEN_PENDING,
    Brief,
    Correction,
    PendingChange,
    PendingStatus,
    Status,
    Transition,
)
from .workflow import WorkflowError, missing_for_publication

# What may change once a brief is published: everything an editor writes but its address.
EDITABLE_AFTER_PUBLICATION = "headline, summary, points, body, image, terms, sources and tags"


class Kind:
    """How a published change is presented to readers."""

    FIX = "fix"
    UPDATE = "update"
    CORRECTION = "correction"
    CHOICES = [
        (FIX, "A fix of wording or style: readers see no note"),
        (UPDATE, "An update: readers see an “Updated” date"),
        (CORRECTION, "A correction: readers see a note in the brief and the corrections log"),
    ]


def is_live(brief):
    """Published (or scheduled): its rows are what readers see or will see, and change only by review."""
    return brief.status == Status.PUBLISHED


def open_pending(brief):
    return brief.pending_changes.filter(status__in=OPEN_PENDING).select_related("updated_by").first()


def working_snapshot(brief):
    """What an editor of `brief` works on: its pending changes, else its live content."""
    pending = open_pending(brief) if is_live(brief) else None
    return (pending.snapshot if pending else snapshots.snapshot_of(brief)), pending


def diff_rows(brief, pending):
    """The pending changes against what readers see, line by line."""
    image = "a new image" if pending.hero_upload else ("removed" if pending.hero_cleared else None)
    live_image = "as published" if image else None
    return snapshots.diff(
        snapshots.lines(snapshots.snapshot_of(brief), image=live_image),
        snapshots.lines(pending.snapshot, image=image),
    )


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def _locked(brief, by):
    locked = Brief.objects.select_for_update().get(pk=brief.pk)
    try:
        locks.ensure_free_for(locked, by)
    except locks.LockHeld as held:
        raise WorkflowError(str(held), code="locked") from held
    return locked


def _record(locked, action, by, note=""):
    return Transition.objects.create(
        brief=locked, action=action, from_status=locked.status, to_status=locked.status, by=by, note=note
    )


def _open_or_refuse(locked):
    pending = locked.pending_changes.select_for_update().filter(status__in=OPEN_PENDING).first()
    if pending is None:
        raise WorkflowError("This brief has no pending changes.", code="no_changes")
    return pending


@transaction.atomic
def save_changes(brief, *, by, snapshot, hero_upload=None, clear_hero=False):
    """Keep `snapshot` as the pending changes of a live brief; readers still see the live version."""
    locked = _locked(brief, by)
    if not permissions.can_edit(by, locked):
        raise WorkflowError("You are not allowed to edit this brief.", code="not_allowed")
    if not is_live(locked):
        raise WorkflowError(
            "Only a published brief has pending changes; this one is edited directly.", code="wrong_state"
        )
    pending = locked.pending_changes.select_for_update().filter(status__in=OPEN_PENDING).first()
    started = pending is None
    if started:
        pending = PendingChange(brief=locked, created_by=by, updated_by=by, snapshot=snapshot)
    pending.snapshot, pending.updated_by, pending.updated_at = snapshot, by, timezone.now()
    if hero_upload is not None:
        pending.hero_upload.save(hero_upload.name or "hero", hero_upload, save=False)
        pending.hero_cleared = False
    elif clear_hero:
        pending.hero_upload, pending.hero_cleared = "", True
    pending.save()
    # A save after this one opened the form is refused by the stale-save check, as for drafts.
    Brief.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    if started:
        _record(
            locked,
            "changes_started",
            by,
            "Started changes to the published brief; readers still see it as it was",
        )
    brief.version = locked.version + 1
    return pending


@transaction.atomic
def submit_changes(brief, *, by, note=""):
    locked = _locked(brief, by)
    pending = _open_or_refuse(locked)
    # Submitting says "this edit is ready": only someone who may edit the live brief says it.
    if not (permissions.can_submit(by, locked) and permissions.can_edit(by, locked)):
        raise WorkflowError("You are not allowed to submit changes to this brief.", code="not_allowed")
    if pending.status == PendingStatus.IN_REVIEW:
        raise WorkflowError("These changes are already in review.", code="already_done")
    pending.status, pending.submitted_at = PendingStatus.IN_REVIEW, timezone.now()
    pending.save(update_fields=["status", "submitted_at"])
    return _record(locked, "changes_submitted", by, note or "Submitted the changes for review")


@transaction.atomic
def return_changes(brief, *, by, note):
    """A moderator sends pending changes back to their editor with a note."""
    note = (note or "").strip()
    if not note:
        raise WorkflowError("Say what needs to change: the note is sent to the editor.", code="note_required")
    locked = _locked(brief, by)
    if not permissions.can_moderate(by, locked):
        raise WorkflowError("Only moderators review changes.", code="not_allowed")
    pending = _open_or_refuse(locked)
    if pending.status != PendingStatus.IN_REVIEW:
        raise WorkflowError("These changes are not in review.", code="wrong_state")
    pending.status = PendingStatus.CHANGES_REQUESTED
    pending.save(update_fields=["status"])
    editor = pending.updated_by
    if editor and editor.email:
        queue_mail(
            to=editor.email,
            subject=f"Changes requested: {locked.headline}",
            body=f"{_name(by)} asked for more work on your changes to “{locked.headline}”:\n\n{note}\n\n"
            f"{absolute_url(f'/admin/briefs/brief/{locked.pk}/change/')}\n",
            kind="changes requested",
            about=str(locked),
        )
    return _record(locked, "changes_returned", by, note)


@transaction.atomic
def publish_changes(brief, *, by, kind, note=""):
    """Replace the live version with the pending changes, in one transaction."""
    locked = _locked(brief, by)
    if not permissions.can_moderate(by, locked):
        raise WorkflowError("Only moderators publish changes to a published brief.", code="not_allowed")
    pending = _open_or_refuse(locked)
    note = (note or "").strip()
    if kind not in dict(Kind.CHOICES):
        raise WorkflowError("Say whether this is a fix, an update or a correction.", code="kind_required")
    if kind == Kind.CORRECTION and not note:
        raise WorkflowError("Write the correction readers will read.", code="note_required")
    reviewed = pending.status == PendingStatus.IN_REVIEW
    with reversion.create_revision():
        changed = snapshots.apply(locked, pending.snapshot)
        hero_changed = bool(pending.hero_upload) or pending.hero_cleared
        if pending.hero_upload:
            Brief.objects.filter(pk=locked.pk).update(hero_upload=pending.hero_upload.name)
            locked.hero_upload.name = pending.hero_upload.name
        elif pending.hero_cleared:
            locked.hero_image = ""
            locked.hero_upload = ""
            locked.save()
        missing = missing_for_publication(locked)
        if missing:
            raise WorkflowError(
                "These changes cannot be published: the brief would lack " + "; ".join(missing) + ".",
                code="incomplete",
            )
        now = timezone.now()
        if kind in (Kind.UPDATE, Kind.CORRECTION):
            locked.content_updated_at = now
            locked.save(update_fields=["content_updated_at", "version", "updated_at"])
        if kind == Kind.CORRECTION:
            Correction.objects.create(brief=locked, text=note, created_at=now, created_by=by)
        reversion.add_to_revision(locked)
        reversion.set_user(by)
        reversion.set_comment(
            f"Published pending changes ({dict(Kind.CHOICES)[kind].split(':')[0].lower()})."
        )
    pending.status, pending.decided_by, pending.decided_at = PendingStatus.PUBLISHED, by, now
    pending.hero_upload = "" if pending.hero_upload else pending.hero_upload
    pending.save(update_fields=["status", "decided_by", "decided_at", "hero_upload"])
    label = {Kind.FIX: "as a fix", Kind.UPDATE: "as an update", Kind.CORRECTION: "as a correction"}[kind]
    how = "after review" if reviewed else "directly, without a review"
    transition = _record(
        locked,
        "changes_published" if reviewed else "changes_published_directly",
        by,
        f"Published the changes {label}, {how}"
        + (f": {note}" if note else "")
        + (f" ({', '.join(changed)})" if changed else ""),
    )
    kinds = {changes.BRIEF_CONTENT: [locked.pk], changes.BRIEF_VISIBILITY: [locked.pk]}
    if hero_changed:
        kinds[changes.HERO_IMAGE] = [locked.pk]
    changes.record_many(kinds)
    editor = pending.updated_by
    if editor and editor.email and editor.pk != by.pk:
        queue_mail(
            to=editor.email,
            subject=f"Your changes are live: {locked.headline}",
            body=f"{_name(by)} published your changes to “{locked.headline}” {label}.\n\n"
            f"{absolute_url(locked.get_absolute_url())}\n",
            kind="changes published",
            about=str(locked),
        )
    for field in Brief._meta.concrete_fields:
        setattr(brief, field.attname, getattr(Brief.objects.get(pk=locked.pk), field.attname))
    return transition


@transaction.atomic
def discard_changes(brief, *, by):
    """Drop the pending changes; readers never saw them. They are kept so the discard can be undone."""
    locked = _locked(brief, by)
    pending = _open_or_refuse(locked)
    if not (permissions.can_edit(by, locked) or permissions.can_moderate(by, locked)):
        raise WorkflowError("You are not allowed to discard these changes.", code="not_allowed")
    pending.status, pending.decided_by, pending.decided_at = PendingStatus.DISCARDED, by, timezone.now()
    pending.save(update_fields=["status", "decided_by", "decided_at"])
    Brief.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    return _record(
        locked, "changes_discarded", by, "Discarded the pending changes; readers' version unchanged"
    )


@transaction.atomic
def restore_discarded(brief, *, by):
    """Undo a discard: the last discarded changes are pending again."""
    locked = _locked(brief, by)
    if not permissions.can_edit(by, locked):
        raise WorkflowError("You are not allowed to edit this brief.", code="not_allowed")
    if locked.pending_changes.filter(status__in=OPEN_PENDING).exists():
        raise WorkflowError("The brief already has pending changes; discard those first.", code="wrong_state")
    pending = (
        locked.pending_changes.filter(status=PendingStatus.DISCARDED).order_by("-decided_at", "-id").first()
    )
    if pending is None:
        raise WorkflowError("There are no discarded changes to bring back.", code="no_changes")
    pending.status, pending.decided_by, pending.decided_at = PendingStatus.DRAFT, None, None
    pending.save(update_fields=["status", "decided_by", "decided_at"])
    Brief.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    return _record(locked, "changes_restored", by, "Brought the discarded changes back")


def restore_as_changes(brief, snapshot, *, by):
    """A revision of a published brief comes back as pending changes, never straight to readers."""
    return save_changes(brief, by=by, snapshot=snapshot)
