"""Mail the newsroom sends from its workflow: written to an outbox with the change, delivered by a task.

`queue_mail` stores the message in the caller's transaction, so a workflow step and its mail
commit together or not at all. `deliver_mail` sends it, retries a failed attempt with back-off
and, after the last attempt, leaves it marked "could not be delivered" for staff to see in the
admin (Background work → Outgoing mail) and send again. Each message keeps one Message-ID, so
a rare resend after a crash is the same message to the reader's mail program.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import MailStatus, OutgoingMail
from .queue import enqueue_with_change, retry_later

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def queue_mail(*, to, subject, body, kind, about=""):
    """Keep a mail for delivery after the current transaction commits; None when there is no address."""
    if not to:
        return None
    mail = OutgoingMail.objects.create(to=to, subject=subject[:300], body=body, kind=kind, about=about[:200])
    enqueue_with_change(deliver_mail, mail.pk)
    return mail


def message_id(mail):
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<outgoing-{mail.pk}-{int(mail.created_at.timestamp())}@{domain}>"


@task
def deliver_mail(mail_id, attempt=1):
    """Send one queued mail; safe to run twice (a sent mail is never sent again)."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status in (MailStatus.SENT, MailStatus.FAILED):
            return mail.status if mail else "gone"
        mail.status = MailStatus.SENDING
        mail.attempts += 1
        mail.message_id = mail.message_id or message_id(mail)
        mail.save(update_fields=["status", "attempts", "message_id"])
    message = EmailMessage(mail.subject, mail.body, None, [mail.to], headers={"Message-ID": mail.message_id})
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any delivery failure is retried, then reported
        final = mail.attempts >= MAX_ATTEMPTS
        mail.status = MailStatus.FAILED if final else MailStatus.QUEUED
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        mail.save(update_fields=["status", "last_error"])
        logger.warning("Mail %s to %s failed (attempt %s): %s", mail.pk, mail.to, mail.attempts, error)
        if not final:
            retry_later(deliver_mail, attempt, mail.pk)
        return mail.status
    mail.status = MailStatus.SENT
    mail.sent_at = timezone.now()
    mail.last_error = ""
    mail.save(update_fields=["status", "sent_at", "last_error"])
    return mail.status


@transaction.atomic
def send_again(mail):
    """Staff's retry of a mail that could not be delivered: a fresh round of attempts."""
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.QUEUED, attempts=0, last_error="")
    enqueue_with_change(deliver_mail, mail.pk)
