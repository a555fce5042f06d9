"""What every workflow change shares: the brief's row locked for the transaction, the caller's
copy brought up to date afterwards, and the mail that goes out once the change commits."""

from django.urls import reverse

from background.mail import queue_mail
from core.site import absolute_url

from .models import Brief
from .workflow_steps import WorkflowError


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
