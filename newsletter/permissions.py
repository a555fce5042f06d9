"""Who may do what with the newsletter. Moderators manage sending and subscribers, editors read,
contributors see nothing; superusers pass every check (see migration 0002_roles)."""


def _staff(user):
    return user.is_active and user.is_staff


def can_read(user):
    """See issues, deliveries, sent mails and subscribers."""
    return _staff(user) and user.has_perm("newsletter.view_issue")


def can_manage_sending(user):
    """Start, pause and resume issues; send tests."""
    return _staff(user) and user.has_perm("newsletter.manage_sending")


def can_export(user):
    return _staff(user) and user.has_perm("newsletter.export_subscriber")


def can_erase(user):
    return _staff(user) and user.has_perm("newsletter.erase_subscriber")
