"""What follows when a person's access shrinks: their sessions end, and what they handed out stops working.

Deactivating someone, or taking them out of a role (or out of staff), ends every session they
have, so reactivating them later does not bring an old session back, and records an `ACCESS`
change; the briefs app revokes the share links they created (briefs.apps).
"""

from django.contrib.sessions.models import Session
from django.db import transaction

from core import changes

from .models import UserSession


def remember_session(user, session_key):
    if session_key:
        UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def forget_session(session_key):
    UserSession.objects.filter(session_key=session_key).delete()


def access_of(user):
    """What a person may do, as far as ending their access is concerned."""
    return {
        "active": user.is_active,
        "staff": user.is_staff,
        "superuser": user.is_superuser,
        "groups": set(user.groups.values_list("pk", flat=True)) if user.pk else set(),
    }


def lost_access(before, after):
    return (
        (before["active"] and not after["active"])
        or (before["staff"] and not after["staff"])
        or (before["superuser"] and not after["superuser"])
        or bool(before["groups"] - after["groups"])
    )


@transaction.atomic
def end_access(user):
    """End every session of `user` and say so; returns how many sessions ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    changes.record(changes.ACCESS, [user.pk])
    return len(keys)
