"""Erasing subscribers and applying the retention rules (docs/newsletter.md, "What is kept").

An address lives in one place only, `Subscriber.email`. Erasing deletes that row; deliveries
already sent stay as anonymous counts (no address, no link to anyone); queued ones are deleted;
stored mail text never held an address; errors recorded from mail servers are cleared, since
they can quote one; admin history entries naming the subscriber are deleted.
"""

import datetime as dt

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import conf
from .models import IN_PROGRESS, Delivery, DigestContent, Subscriber, SubscriberStatus


def erase(subscriber_ids):
    """Remove these subscribers' addresses from everywhere we keep data. Returns how many."""
    ids = list(subscriber_ids)
    if not ids:
        return 0
    with transaction.atomic():
        Delivery.objects.filter(subscriber_id__in=ids, status__in=IN_PROGRESS).delete()
        Delivery.objects.filter(subscriber_id__in=ids).exclude(last_error="").update(last_error="")
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Subscriber), object_id__in=[str(pk) for pk in ids]
        ).delete()
        _, deleted = Subscriber.objects.filter(pk__in=ids).delete()
    return deleted.get(Subscriber._meta.label, 0)


def purge(*, now=None):
    """Erase unconfirmed sign-ups and unsubscribed addresses past their time; drop the stored
    text of old mails."""
    now = now or timezone.now()

    def days(name):
        return now - dt.timedelta(days=int(conf.get(name)))

    stale = Subscriber.objects.filter(
        Q(status=SubscriberStatus.PENDING, consent_at__lt=days("PURGE_PENDING_DAYS"))
        | Q(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at__lt=days("PURGE_UNSUBSCRIBED_DAYS"))
    ).values_list("pk", flat=True)
    erased = erase(list(stale))
    mails = DigestContent.objects.filter(
        purged_at__isnull=True, created_at__lt=days("KEEP_MAILS_DAYS")
    ).update(html="", text="", purged_at=now)
    return {"erased": erased, "mails_purged": mails}
