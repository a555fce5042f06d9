"""Sending goes through Django's mail API only: a django-anymail provider sends the same mail,
headers included, and its refusals are understood."""

import pytest
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core import mail

from newsletter import issues, sending
from newsletter.models import Delivery, DeliveryStatus

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def test_an_anymail_provider_sends_the_digest_with_its_list_headers(
    settings, published_week, run_tasks, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.test.EmailBackend"}}
    SubscriberFactory(email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        issues.build_issue(frequency="weekly")
    run_tasks()
    (sent,) = mail.outbox
    params = sent.anymail_test_params
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert [a.addr_spec for a in params["to"]] == ["ada@example.org"]
    headers = params["extra_headers"]
    assert headers["List-Unsubscribe"].startswith("<https://briefs.example/newsletter/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"] == delivery.message_id
    assert "Date" in headers
    assert params["html_body"] and params["text_body"]


def test_anymail_refusals_fail_the_address_and_api_errors_stop_the_batch():
    assert sending.classify(AnymailRecipientsRefused()) is sending.Outcome.FAILED
    assert sending.classify(AnymailAPIError("provider down")) is sending.Outcome.STOP
