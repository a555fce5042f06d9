"""Holding a brief while working on it.

The author or a moderator (anyone who may edit the brief or review it) can lock it. Everyone
else then sees who holds it and since when, and their saves and workflow steps are refused
with that message. A lock expires after BRIEF_LOCK_MINUTES (taking it again renews it), so an
abandoned one never blocks work for ever; a moderator can break it, and that is recorded in the
brief's history. This sits beside the stale-save check, which still refuses a save made on an
older version.
"""

from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import Brief, BriefLock, Transition, lock_expiry


class LockHeld(Exception):
    """Someone else holds the brief."""

    def __init__(self, lock):
        self.lock = lock
        super().__init__(describe(lock))


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def describe(lock):
    since = timezone.localtime(lock.locked_at)
    until = timezone.localtime(lock.expires_at)
    return (
        f"{_name(lock.holder)} is working on this brief (locked since {since:%H:%M} on {since:%d %B}, "
        f"until {until:%H:%M} unless they release it). Nothing was changed; ask them, or a moderator "
        "can break the lock."
    )


def active_lock(brief):
    return (
        BriefLock.objects.select_related("holder").filter(brief=brief, expires_at__gt=timezone.now()).first()
    )


def ensure_free_for(brief, user):
    """Raise LockHeld when someone other than `user` holds `brief`."""
    lock = active_lock(brief)
    if lock is not None and lock.holder_id != user.pk:
        raise LockHeld(lock)


def may_lock(user, brief):
    return permissions.can_edit(user, brief) or permissions.can_moderate(user, brief)


@transaction.atomic
def take(brief, *, by):
    """Lock (or renew the lock on) `brief` for `by`; refused when someone else holds it."""
    Brief.objects.select_for_update().filter(pk=brief.pk).first()
    if not may_lock(by, brief):
        raise PermissionError("You cannot work on this brief, so you cannot lock it.")
    ensure_free_for(brief, by)
    lock, _ = BriefLock.objects.update_or_create(
        brief=brief, defaults={"holder": by, "locked_at": timezone.now(), "expires_at": lock_expiry()}
    )
    return lock


@transaction.atomic
def release(brief, *, by):
    """The holder lets go of the brief (a lock that expired is simply removed)."""
    lock = BriefLock.objects.select_for_update().filter(brief=brief).first()
    if lock is None:
        return False
    if lock.is_active and lock.holder_id != by.pk:
        raise LockHeld(lock)
    lock.delete()
    return True


@transaction.atomic
def break_lock(brief, *, by, note=""):
    """A moderator takes the lock away from its holder; recorded in the brief's history."""
    if not permissions.can_moderate(by, brief):
        raise PermissionError("Only moderators can break a lock.")
    lock = BriefLock.objects.select_for_update().select_related("holder").filter(brief=brief).first()
    if lock is None:
        return None
    holder = _name(lock.holder)
    lock.delete()
    return Transition.objects.create(
        brief=brief,
        action="lock_broken",
        from_status=brief.status,
        to_status=brief.status,
        by=by,
        note=f"Broke {holder}'s lock" + (f": {note}" if note else ""),
    )
