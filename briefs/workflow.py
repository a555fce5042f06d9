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
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from background.mail import queue_mail
from core import changes
from core.site import absolute_url
from glossary.services import unapproved_terms

from . import permissions
from .models import Brief, LinkKind, Status, Transition

logger = logging.getLogger(__name__)


class WorkflowError(ValidationError):
    """A workflow step the brief's state or the user's role does not allow."""


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset
    target: str
    allowed: object  # (user, brief) -> bool
    applies: object = None  # (brief) -> bool, a condition beyond the status
    unmet: str = ""  # why the step is refused when `applies` says no
    bulk_name: str = ""  # the admin's bulk action for this step ("" = none)
    bulk_label: str = ""

    def possible_from(self, brief):
        return brief.status in self.sources and (self.applies is None or bool(self.applies(brief)))


STEPS = {
    step.name: step
    for step in [
        Step(
            "submit_for_review",
            "Submit for review",
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.IN_REVIEW,
            permissions.can_submit,
            bulk_name="submit_selected",
            bulk_label="Submit selected briefs for review",
        ),
        Step(
            "request_changes",
            "Request changes",
            frozenset({Status.IN_REVIEW}),
            Status.CHANGES_REQUESTED,
            permissions.can_moderate,
        ),
        Step(
            "publish",
            "Publish",
            frozenset({Status.IN_REVIEW}),
            Status.PUBLISHED,
            permissions.can_moderate,
            bulk_name="publish_selected",
            bulk_label="Publish selected briefs now",
        ),
        Step(
            "reschedule",
            "Reschedule",
            frozenset({Status.PUBLISHED}),
            Status.PUBLISHED,
            permissions.can_moderate,
            applies=lambda brief: brief.is_scheduled,
            unmet="the brief is already live; unpublish it first.",
        ),
        Step(
            "unpublish",
            "Unpublish",
            frozenset({Status.PUBLISHED}),
            Status.DRAFT,
            permissions.can_moderate,
            bulk_name="unpublish_selected",
            bulk_label="Unpublish selected briefs (back to draft)",
        ),
        Step(
            "archive",
            "Archive",
            frozenset({Status.PUBLISHED}),
            Status.ARCHIVED,
            permissions.can_moderate,
            bulk_name="archive_selected",
            bulk_label="Archive selected briefs",
        ),
        Step(
            "republish",
            "Republish",
            frozenset({Status.ARCHIVED, Status.DRAFT}),
            Status.PUBLISHED,
            permissions.can_moderate,
            applies=lambda brief: brief.first_published_at is not None,
            unmet="only a brief readers have seen before can be put back as it was.",
        ),
        Step(
            "restore",
            "Restore to draft",
            frozenset({Status.ARCHIVED}),
            Status.DRAFT,
            permissions.can_moderate,
            bulk_name="restore_selected",
            bulk_label="Restore selected archived briefs to draft",
        ),
    ]
}


def allowed_steps(user, brief):
    """The steps this user may take on this brief now, for buttons and bulk actions."""
    return [step for step in STEPS.values() if step.possible_from(brief) and step.allowed(user, brief)]


def missing_for_publication(brief):
    """Everything a brief still lacks before readers may see it, in editor's words."""
    missing = []
    if not (brief.headline or "").strip():
        missing.append("a headline")
    if not (brief.dek or "").strip():
        missing.append("a summary")
    if not brief.points.exclude(text="").exists():
        missing.append("at least one “In brief” point")
    primaries = brief.links.filter(kind=LinkKind.PRIMARY).count()
    if primaries != 1:
        missing.append(
            "exactly one primary “Read full story” link" + (f" (it has {primaries})" if primaries else "")
        )
    if brief.hero_image and not (brief.hero_alt or "").strip():
        missing.append("alt text for the image")
    if brief.hero_image and not (brief.hero_credit or "").strip():
        missing.append("a credit for the image")
    unapproved = list(unapproved_terms(brief))
    if unapproved:
        names = ", ".join(f"“{term.name}”" for term in unapproved)
        missing.append(
            f"approved definitions for its terms {names} (a moderator approves them in the glossary)"
        )
    return missing


def _lock(brief, by=None):
    """The brief's row, locked for this transaction; refused when someone else holds the brief."""
    locked = Brief.objects.select_for_update().get(pk=brief.pk)
    if by is not None:
        from .locks import LockHeld, ensure_free_for

        try:
            ensure_free_for(locked, by)
        except LockHeld as held:
            raise WorkflowError(str(held), code="locked") from held
    return locked


def _check(step, user, locked):
    """Role first (a refusal reveals nothing about the brief), then the state."""
    if not step.allowed(user, locked):
        raise WorkflowError(f"You are not allowed to “{step.label.lower()}” this brief.", code="not_allowed")
    if locked.status in step.sources and not step.possible_from(locked):
        raise WorkflowError(f"“{step.label}” is not possible: {step.unmet}", code="wrong_state")
    if locked.status not in step.sources:
        last = locked.transitions.select_related("by").order_by("-at", "-id").first()
        if last is not None and last.action == step.name:
            who = (last.by.get_full_name() or last.by.get_username()) if last.by else "Someone"
            raise WorkflowError(
                f"Already done: {who} chose “{step.label.lower()}” for this brief at "
                f"{timezone.localtime(last.at):%H:%M:%S} on {timezone.localtime(last.at):%d %B %Y}. "
                "Nothing more was changed.",
                code="already_done",
            )
        allowed_from = " or ".join(sorted(str(Status(s).label).lower() for s in step.sources))
        raise WorkflowError(
            f"“{step.label}” is not possible: the brief is {locked.get_status_display().lower()}, "
            f"and this step needs it {allowed_from}.",
            code="wrong_state",
        )


def _move(step, locked, *, by, note="", fields=()):
    """Save the new status with the fields `prepare` changed, and record the transition."""
    from_status = locked.status
    locked.status = step.target
    locked.save(update_fields=["status", "version", "updated_at", *fields])
    changes.record(changes.BRIEF_VISIBILITY, [locked.pk])
    return Transition.objects.create(
        brief=locked, action=step.name, from_status=from_status, to_status=step.target, by=by, note=note
    )


def _sync(brief, locked):
    """Give the caller's instance the saved values."""
    for field in Brief._meta.concrete_fields:
        setattr(brief, field.attname, getattr(locked, field.attname))


def _admin_url(brief):
    return absolute_url(reverse("admin:briefs_brief_change", args=[brief.pk]))


def _mail_later(subject, message, recipient, *, kind, brief):
    """Queue the mail with the step: it goes out once the step commits, retried until delivered
    (background.mail); a mail that cannot be delivered never undoes the step."""
    if recipient and recipient.email:
        queue_mail(to=recipient.email, subject=subject, body=message, kind=kind, about=str(brief))


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
def set_expiry(brief, *, by, expire_at=None, successor=None):
    """When a live brief leaves the lists (None: never), and the newer brief that replaces it.

    Its page stays up, with a notice that links to the successor; lists, feeds and search drop it
    at `expire_at`. Moderators only; the successor must be a published brief other than this one."""
    locked = _lock(brief, by)
    if not permissions.can_moderate(by, locked):
        raise WorkflowError("Only moderators decide when a brief leaves the lists.", code="not_allowed")
    if locked.status != Status.PUBLISHED:
        raise WorkflowError("Only a published brief can be given an end date.", code="wrong_state")
    if successor is not None and (successor.pk == locked.pk or successor.status != Status.PUBLISHED):
        raise WorkflowError(
            "The replacement must be another published (or scheduled) brief.", code="bad_successor"
        )
    locked.expire_at, locked.superseded_by = expire_at, successor
    locked.save(update_fields=["expire_at", "superseded_by", "version", "updated_at"])
    _sync(brief, locked)
    parts = [
        f"Leaves the lists {timezone.localtime(expire_at):%d %B %Y %H:%M %Z}" if expire_at else "Stays listed"
    ]
    if successor is not None:
        parts.append(f"replaced by “{successor.headline}”")
    changes.record(changes.BRIEF_VISIBILITY, [locked.pk])
    return Transition.objects.create(
        brief=locked,
        action="set_expiry",
        from_status=locked.status,
        to_status=locked.status,
        by=by,
        note="; ".join(parts),
    )


@transaction.atomic
def assign(brief, *, by, to, due=None):
    """Give a brief in review to a moderator, with an optional due date; the assignee is emailed."""
    locked = _lock(brief, by)
    if locked.status != Status.IN_REVIEW:
        raise WorkflowError("Only a brief in review can be assigned.", code="wrong_state")
    if not permissions.can_moderate(by, locked):
        raise WorkflowError("You are not allowed to assign briefs.", code="not_allowed")
    if to is not None and not (to.is_active and (to.is_superuser or permissions.is_moderator(to))):
        raise WorkflowError(f"{to} is not a moderator and cannot review briefs.", code="not_moderator")
    locked.assignee = to
    locked.review_due = due
    locked.save(update_fields=["assignee", "review_due", "version", "updated_at"])
    _sync(brief, locked)
    note = f"Assigned to {to.get_full_name() or to.get_username()}" if to else "Unassigned"
    if to and due:
        note += f", due {due:%d %B %Y}"
    transition = Transition.objects.create(
        brief=locked, action="assign", from_status=locked.status, to_status=locked.status, by=by, note=note
    )
    if to:
        _mail_later(
            f"For review: {brief.headline}",
            f"{by.get_full_name() or by.get_username()} assigned you the brief “{brief.headline}”"
            + (f", due {due:%d %B %Y}" if due else "")
            + f".\n\nReview it here: {_admin_url(brief)}\n",
            to,
            kind="assigned",
            brief=brief,
        )
    return transition


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
