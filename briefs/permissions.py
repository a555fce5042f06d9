"""Who may do what with one brief: the object rules the services, admin and previews all use.

Roles are Django groups carrying model permissions (see migration 0002_roles):
Contributor has the brief model permissions, Editor adds `edit_any_brief`,
Moderator adds `publish_brief`. Superusers pass every check.
"""

from .models import Status

CONTRIBUTOR_EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED}


def is_moderator(user):
    return user.is_active and user.has_perm("briefs.publish_brief")


def is_editor(user):
    """Editors and moderators: may work on anyone's brief."""
    return user.is_active and user.has_perm("briefs.edit_any_brief")


def is_own(user, brief):
    return brief.author_id is not None and brief.author_id == user.pk


def can_view(user, brief):
    """See the brief in the admin, preview it, read its history: editors any, contributors their own."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("briefs.view_brief"):
        return False
    return is_editor(user) or is_own(user, brief)


def can_edit(user, brief):
    """Change the brief's content. Archived briefs are frozen until restored."""
    if not can_view(user, brief) or not user.has_perm("briefs.change_brief"):
        return False
    if user.is_superuser:
        return True
    if brief.status == Status.ARCHIVED:
        return False
    if is_editor(user):
        return True
    return is_own(user, brief) and brief.status in CONTRIBUTOR_EDITABLE


def can_delete(user, brief):
    """Only briefs readers never saw can be deleted, and only by moderators; the rest are archived."""
    if user.is_superuser and user.is_active:
        return True
    return (
        can_view(user, brief)
        and is_moderator(user)
        and user.has_perm("briefs.delete_brief")
        and brief.first_published_at is None
    )


def can_moderate(user, brief):
    """Publish, schedule, request changes, unpublish, archive, restore, assign, share, correct."""
    return can_view(user, brief) and is_moderator(user)


def can_submit(user, brief):
    return can_view(user, brief) and (is_editor(user) or is_own(user, brief))
