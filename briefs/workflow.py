"""The editorial workflow: the only code that changes a brief's status.

    draft ─submit─▶ in_review ─publish(at)─▶ published (scheduled while `at` is in the future)
    scheduled ─reschedule(at)─▶ published at another time (or now)
                    in_review ─request_changes─▶ changes_requested ─submit─▶ in_review
    published ─unpublish─▶ draft        published ─archive─▶ archived ─restore─▶ draft

Every service is keyword-only after the brief, checks the user's role and the
brief's current state on a locked row, raises `WorkflowError` and changes
nothing when the step is not allowed, records a `Transition`, and sends its
email only after the transaction commits (a mail failure is logged, never
undoes the step). Admin actions, views, commands and tests all call these.

Status changes are made here and nowhere else. The steps and the rules that allow them are in
`workflow_steps`, assignment and expiry (which leave the status alone) in `workflow_planning`, and
what they all share (the locked row, mail after commit) in `workflow_common`; every public name
is importable from this module.
"""

import logging

from django.db import transaction
from django.utils import timezone

from core import changes
from core.site import absolute_url

from . import permissions
from .models import Brief, Status, Transition
from .workflow_common import _admin_url, _lock, _mail_later, _sync
from .workflow_planning import assign, set_expiry
from .workflow_steps import STEPS, Step, WorkflowError, _check, allowed_steps, missing_for_publication

__all__ = [
    "DESTRUCTIVE",
    "SERVICES",
    "STEPS",
    "Step",
    "WorkflowError",
    "allowed_steps",
    "archive",
    "assign",
    "missing_for_publication",
    "publish",
    "publish_imported",
    "republish",
    "request_changes",
    "reschedule",
    "restore",
    "restore_deleted",
    "set_expiry",
    "set_imported_state",
    "submit_for_review",
    "unpublish",
]

logger = logging.getLogger(__name__)


def _move(step, locked, *, by, note="", fields=()):
    """Save the new status with the fields `prepare` changed, and record the transition."""
    from_status = locked.status
    locked.status = step.target
    locked.save(update_fields=["status", "version", "updated_at", *fields])
    changes.record(changes.BRIEF_VISIBILITY, [locked.pk])
    return Transition.objects.create(
        brief=locked, action=step.name, from_status=from_status, to_status=step.target, by=by, note=note
    )


def _run(name, brief, *, by, note="", prepare=None):
    step = STEPS[name]
    with transaction.atomic():
        locked = _lock(brief, by)
        _check(step, by, locked)
        fields = prepare(locked) if prepare else ()
        transition = _move(step, locked, by=by, note=note, fields=fields)
    _sync(brief, locked)
    return transition


@transaction.atomic
def submit_for_review(brief, *, by, note=""):
    def prepare(locked):
        locked.submitted_at = timezone.now()
        return ["submitted_at"]

    return _run("submit_for_review", brief, by=by, note=note, prepare=prepare)


@transaction.atomic
def request_changes(brief, *, by, note):
    note = (note or "").strip()
    if not note:
        raise WorkflowError("Say what needs to change: the note is sent to the author.", code="note_required")
    transition = _run("request_changes", brief, by=by, note=note)
    _mail_later(
        f"Changes requested: {brief.headline}",
        f"{by.get_full_name() or by.get_username()} asked for changes to your brief "
        f"“{brief.headline}”:\n\n{note}\n\nEdit it here: {_admin_url(brief)}\n",
        brief.author,
        kind="changes requested",
        brief=brief,
    )
    return transition


def _publication(at):
    """Set the publication time after the completeness check; `prepare` for publish and reschedule."""

    def prepare(locked):
        missing = missing_for_publication(locked)
        if missing:
            raise WorkflowError(
                "This brief cannot be published yet. It needs " + "; ".join(missing) + ".",
                code="incomplete",
            )
        never_live = locked.first_published_at is None or locked.first_published_at == locked.published_at
        if locked.status == Status.PUBLISHED and never_live:
            locked.first_published_at = None  # rescheduling a brief readers never saw
        locked.published_at = at
        locked.first_published_at = locked.first_published_at or at
        locked.assignee = None
        locked.review_due = None
        return ["published_at", "first_published_at", "assignee", "review_due"]

    return prepare


def _schedule_note(at, now):
    return f"Scheduled for {timezone.localtime(at):%Y-%m-%d %H:%M %Z}" if at > now else ""


@transaction.atomic
def publish(brief, *, by, at=None, note=""):
    """Publish now, or at `at` (a future time schedules it; readers see it when its time comes)."""
    now = timezone.now()
    at = at or now
    note = note or _schedule_note(at, now)
    transition = _run("publish", brief, by=by, note=note, prepare=_publication(at))
    when = "is published" if at <= now else f"will be published on {timezone.localtime(at):%d %B %Y at %H:%M}"
    _mail_later(
        f"Published: {brief.headline}" if at <= now else f"Scheduled: {brief.headline}",
        f"Your brief “{brief.headline}” {when}.\n\n{absolute_url(brief.get_absolute_url())}\n",
        brief.author,
        kind="published" if at <= now else "scheduled",
        brief=brief,
    )
    return transition


@transaction.atomic
def reschedule(brief, *, by, at=None, note=""):
    """Move a scheduled brief to another time; `at=None` (or a past time) publishes it now."""
    now = timezone.now()
    at = at or now
    note = note or _schedule_note(at, now) or "Published now instead of at its scheduled time"
    return _run("reschedule", brief, by=by, note=note, prepare=_publication(at))


@transaction.atomic
def unpublish(brief, *, by, note=""):
    def prepare(locked):
        # A scheduled brief that never went live keeps an editable address.
        if locked.first_published_at and locked.first_published_at > timezone.now():
            locked.first_published_at = None
        return ["first_published_at"]

    return _run("unpublish", brief, by=by, note=note, prepare=prepare)


@transaction.atomic
def archive(brief, *, by, note=""):
    return _run("archive", brief, by=by, note=note)


@transaction.atomic
def restore(brief, *, by, note=""):
    return _run("restore", brief, by=by, note=note)


@transaction.atomic
def republish(brief, *, by, note=""):
    """Undo an unpublish or an archive in one step: the brief is live again, with its first date."""

    def prepare(locked):
        taken_down = (
            locked.transitions.filter(action__in=["unpublish", "archive"]).order_by("-at", "-id").first()
        )
        from .revisions import revisions_of

        if (
            taken_down is None
            or revisions_of(locked).filter(revision__date_created__gt=taken_down.at).exists()
        ):
            raise WorkflowError(
                "“Republish” puts back the brief readers saw; this one was edited since it was taken down, "
                "so it goes through review: submit it.",
                code="edited_since",
            )
        missing = missing_for_publication(locked)
        if missing:
            raise WorkflowError(
                "This brief cannot be published again yet. It needs " + "; ".join(missing) + ".",
                code="incomplete",
            )
        locked.published_at = locked.published_at or locked.first_published_at
        return ["published_at"]

    return _run("republish", brief, by=by, note=note or "Put back as it was published", prepare=prepare)


@transaction.atomic
def restore_deleted(version, *, by):
    """Bring a deleted brief back exactly as it was deleted, with its points, terms, links and tags.

    A brief that readers saw comes back as a draft: it is published again only by review.
    """
    if not (by.is_active and (by.is_superuser or permissions.is_moderator(by))):
        raise WorkflowError("Only moderators restore deleted briefs.", code="not_allowed")
    if Brief.objects.filter(pk=version.object_id).exists():
        raise WorkflowError("This brief has already been restored.", code="already_done")
    slug = version.field_dict.get("slug")
    if slug and Brief.objects.filter(slug=slug).exists():
        raise WorkflowError(
            f"Another brief now uses the address “{slug}”. "
            "Change that brief's address, then restore this one.",
            code="slug_taken",
        )
    version.revision.revert(delete=False)
    brief = Brief.objects.get(pk=version.object_id)
    was_public = brief.status != Status.DRAFT
    if was_public:
        Brief.objects.filter(pk=brief.pk).update(status=Status.DRAFT)
    Transition.objects.create(
        brief=brief,
        action="restored",
        from_status=Status.DRAFT,
        to_status=Status.DRAFT,
        by=by,
        note="Restored after deletion" + (" as a draft" if was_public else ""),
    )
    changes.record_many(
        {
            changes.BRIEF_VISIBILITY: [brief.pk],
            changes.BRIEF_CONTENT: [brief.pk],
            changes.HERO_IMAGE: [brief.pk],
        }
    )
    return Brief.objects.get(pk=brief.pk)


SERVICES = {
    "submit_for_review": submit_for_review,
    "request_changes": request_changes,
    "publish": publish,
    "reschedule": reschedule,
    "unpublish": unpublish,
    "archive": archive,
    "restore": restore,
    "republish": republish,
}
# Steps whose effect readers notice at once: they ask for confirmation first.
DESTRUCTIVE = {"unpublish", "archive"}


@transaction.atomic
def set_imported_state(brief, *, status, published_at, first_published_at, content_updated_at, by=None):
    """Give an imported brief the workflow state recorded in its export; records the transition.

    Not for people: an import reproduces a state reached elsewhere, so no role or order is
    checked here; the importer decides beforehand who may bring in published content.
    """
    locked = _lock(brief)
    from_status = locked.status
    values = {
        "status": status,
        "published_at": published_at,
        "first_published_at": first_published_at,
        "content_updated_at": content_updated_at,
    }
    if all(getattr(locked, field) == value for field, value in values.items()):
        return None
    for field, value in values.items():
        setattr(locked, field, value)
    locked.save(update_fields=[*values, "version", "updated_at"])
    changes.record(changes.BRIEF_VISIBILITY, [locked.pk])
    _sync(brief, locked)
    if from_status == status:
        return None
    return Transition.objects.create(
        brief=locked, action="import", from_status=from_status, to_status=status, by=by, note="Imported"
    )


@transaction.atomic
def publish_imported(brief, *, at, by=None, note="Imported with the demo content"):
    """Put an imported brief (demo content) live as of `at`, bypassing review; records the transition.

    Not for people: it skips the role check on purpose, because imports have no reviewer.
    """
    locked = _lock(brief)
    if locked.status == Status.PUBLISHED and locked.published_at == at:
        return None
    from_status = locked.status
    locked.status = Status.PUBLISHED
    locked.published_at = at
    locked.first_published_at = locked.first_published_at or at
    locked.save(update_fields=["status", "published_at", "first_published_at", "version", "updated_at"])
    changes.record(changes.BRIEF_VISIBILITY, [locked.pk])
    _sync(brief, locked)
    return Transition.objects.create(
        brief=locked, action="publish", from_status=from_status, to_status=Status.PUBLISHED, by=by, note=note
    )
