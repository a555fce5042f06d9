"""Changes around a brief that leave its status alone: who reviews it by when (`assign`), and when
a live brief leaves the lists and which brief replaces it (`set_expiry`).

Like the steps, each checks the user's role and the brief's state on a locked row, raises
`WorkflowError` and changes nothing when it is not allowed, and records a `Transition`.
"""

from django.db import transaction
from django.utils import timezone

from core import changes

from . import permissions
from .models import Status, Transition
from .workflow_common import _admin_url, _lock, _mail_later, _sync
from .workflow_steps import WorkflowError


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
