"""The least that works is kept, for a limited time, and erasing removes an address everywhere."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from newsletter import issues, privacy, services
from newsletter.models import Delivery, DeliveryStatus, DigestContent, Subscriber, SubscriberStatus

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db

ADDRESS = "Grace.Hopper@Example.org"


def places_holding(text):
    """Every (model, field) of every installed app whose stored value contains `text`."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                rows = model._base_manager.filter(**{f"{field.attname}__icontains": text})
            elif isinstance(field, models.JSONField):
                rows = model._base_manager.annotate(_text=Cast(field.attname, models.TextField())).filter(
                    _text__icontains=text
                )
            else:
                continue
            if rows.exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_erasing_a_subscriber_leaves_their_address_nowhere(
    smtp, published_week, run_tasks, moderator, django_capture_on_commit_callbacks
):
    reader = SubscriberFactory(email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        issue, _ = issues.build_issue(frequency="weekly")
    run_tasks()
    assert smtp.to(ADDRESS)
    # An error quoting the address, as some mail servers write them, and an admin history entry.
    Delivery.objects.filter(subscriber=reader).update(last_error=f"550 <{ADDRESS}> refused")
    LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(reader.pk),
        object_repr=ADDRESS,
        action_flag=CHANGE,
    )
    assert places_holding(ADDRESS.lower())

    services.erase_subscribers(subscribers=Subscriber.objects.filter(pk=reader.pk), by=moderator)

    assert places_holding(ADDRESS.lower()) == []
    assert places_holding(ADDRESS.split("@")[0].lower()) == []
    delivery = Delivery.objects.get(issue=issue)
    assert delivery.subscriber is None and delivery.status == DeliveryStatus.SENT  # still counted


def test_stored_mails_hold_no_address(smtp, published_week, run_tasks, django_capture_on_commit_callbacks):
    SubscriberFactory(email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        issues.build_issue(frequency="weekly")
    run_tasks()
    content = DigestContent.objects.get()
    assert ADDRESS.lower() not in (content.html + content.text + content.subject).lower()
    assert "/newsletter/unsubscribe/" not in content.html  # personal links are filled in per mail


def test_unconfirmed_sign_ups_and_old_unsubscriptions_are_erased_by_the_periodic_job(settings):
    now = timezone.now()
    old_pending = SubscriberFactory(pending=True, consent_at=now - dt.timedelta(days=8))
    new_pending = SubscriberFactory(pending=True, consent_at=now - dt.timedelta(days=6))
    gone = SubscriberFactory(
        status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=now - dt.timedelta(days=31)
    )
    recent = SubscriberFactory(
        status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=now - dt.timedelta(days=2)
    )
    active = SubscriberFactory()
    summary = issues.send_due_digests(now=now)
    assert summary["erased"] == 2
    left = set(Subscriber.objects.values_list("pk", flat=True))
    assert left == {new_pending.pk, recent.pk, active.pk}
    assert old_pending.pk not in left and gone.pk not in left


def test_the_text_of_sent_mails_is_deleted_after_the_retention_period(
    smtp, published_week, run_tasks, client, editor, django_capture_on_commit_callbacks
):
    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        issues.build_issue(frequency="weekly")
    run_tasks()
    DigestContent.objects.update(created_at=timezone.now() - dt.timedelta(days=91))
    assert privacy.purge()["mails_purged"] == 1
    content = DigestContent.objects.get()
    assert content.html == content.text == "" and content.purged_at
    client.force_login(editor)
    page = client.get(reverse("admin:newsletter_delivery_change", args=[Delivery.objects.get().pk]))
    assert "this one's has been deleted" in page.content.decode()
