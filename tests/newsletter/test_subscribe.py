"""Signing up: the form, double opt-in with signed links, no hint of who is subscribed, rate limit."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from newsletter import consent, tokens
from newsletter.models import Subscriber, SubscriberStatus

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https://briefs\.example(/newsletter/confirm/[^/\s\"]+/)")


def sign_up(client, email="new@example.org", **extra):
    data = {"email": email, "frequency": "weekly", **extra}
    return client.post(reverse("newsletter:subscribe"), data, REMOTE_ADDR=extra.pop("ip", "203.0.113.9"))


def confirmation_path(received):
    return CONFIRM_LINK.search(received.message.get_body(("plain",)).get_content()).group(1)


@pytest.fixture
def signed_up(client, smtp, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    run_tasks()
    return response


def test_every_page_links_to_the_subscribe_page_and_stays_cacheable(client):
    home = client.get("/")
    assert b'href="/newsletter/"' in home.content
    assert b"csrfmiddlewaretoken" not in home.content
    assert "csrftoken" not in home.cookies
    assert client.get("/").headers["X-Page-Cache"] == "hit"


def test_the_subscribe_page_is_a_form_outside_the_page_cache(client, tags, published_week):
    page = client.get(reverse("newsletter:subscribe"))
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" in page.content
    assert "X-Page-Cache" not in page.headers
    html = page.content.decode()
    assert 'type="email"' in html and 'name="frequency"' in html
    for name in ("safety", "theory", "vision"):
        assert f">{name}</label>" in html
    assert consent.wording(consent.CURRENT, "AI Research Briefs") in html


def test_signing_up_records_consent_and_mails_a_confirmation_link(signed_up, smtp):
    assert signed_up.status_code == 302
    assert signed_up["Location"] == reverse("newsletter:check-inbox")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.consent_version == consent.CURRENT and subscriber.consent_at
    (received,) = smtp.messages
    assert received.to == "new@example.org"
    assert "Confirm your subscription" in received.message["Subject"]
    assert confirmation_path(received)


def test_following_the_confirmation_link_subscribes_and_sends_a_welcome(
    signed_up, smtp, client, run_tasks, django_capture_on_commit_callbacks
):
    path = confirmation_path(smtp.messages[0])
    page = client.get(path)
    assert page.status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING  # a link scanner's GET does nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path)
    run_tasks()
    assert b"You are subscribed" in done.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.ACTIVE and subscriber.confirmed_at
    welcome = smtp.messages[-1]
    assert "Welcome" in welcome.message["Subject"]
    assert welcome.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def expired_confirm_token(subscriber):
    class FourDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 4 * 86400)

    return FourDaysAgo(salt=tokens.CONFIRM).sign_object([subscriber.pk, subscriber.token_key])


def test_an_expired_confirmation_link_says_so_and_changes_nothing(client):
    subscriber = SubscriberFactory(pending=True)
    path = reverse("newsletter:confirm", args=[expired_confirm_token(subscriber)])
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert b"This confirmation link has expired" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1],  # signature changed
        lambda t: "W1" + t[2:],  # payload changed
        lambda t: t.split(":")[0],  # signature cut off
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_confirmation_link_is_a_clear_page_not_an_error(client, tamper):
    subscriber = SubscriberFactory(pending=True)
    path = reverse("newsletter:confirm", args=[tamper(tokens.confirm_token(subscriber))])
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert b"This link does not work" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_a_link_made_for_one_purpose_does_not_work_for_another(client):
    subscriber = SubscriberFactory(pending=True)
    unsubscribe = tokens.personal_token(subscriber, tokens.UNSUBSCRIBE)
    assert client.post(reverse("newsletter:confirm", args=[unsubscribe])).status_code == 404
    assert client.post(reverse("newsletter:manage", args=[unsubscribe])).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_the_answer_is_the_same_for_a_new_a_pending_and_an_active_address(
    client, smtp, run_tasks, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="pending@example.org", pending=True)
    active = SubscriberFactory(email="active@example.org", frequency="daily")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for address in ("new@example.org", "pending@example.org", "active@example.org"):
            response = sign_up(client, address)
            page = client.get(response["Location"])
            answers.append((response.status_code, response["Location"], page.status_code, page.content))
    run_tasks()
    assert answers[0] == answers[1] == answers[2]
    active.refresh_from_db()
    assert active.frequency == "daily"  # someone knowing the address cannot change the choices
    assert [m.to for m in smtp.messages] == ["new@example.org", "pending@example.org", "active@example.org"]
    assert "already subscribed" in smtp.to("active@example.org")[0].message["Subject"]
    assert (
        "/newsletter/confirm/"
        not in smtp.to("active@example.org")[0].message.get_body(("plain",)).get_content()
    )


def test_signing_up_again_soon_sends_no_second_mail(
    client, smtp, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "twice@example.org")
        sign_up(client, "Twice@EXAMPLE.org")
    run_tasks()
    assert len(smtp.messages) == 1
    assert Subscriber.objects.count() == 1


def test_an_invalid_address_is_a_form_error(client):
    response = sign_up(client, "not an address")
    assert response.status_code == 400
    assert b"Enter an email address like name@example.com." in response.content
    assert not Subscriber.objects.exists()


def test_the_form_is_rate_limited_per_client_address(client, settings):
    settings.NEWSLETTER_SUBSCRIBE_RATE = "3/h"
    for i in range(3):
        assert sign_up(client, f"r{i}@example.org", ip="198.51.100.7").status_code == 302
    limited = sign_up(client, "r9@example.org", ip="198.51.100.7")
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert b"Too many sign-ups from here" in limited.content
    assert not Subscriber.objects.filter(email="r9@example.org").exists()
    assert sign_up(client, "other@example.org", ip="198.51.100.8").status_code == 302


def test_preferences_change_from_the_link_in_a_mail(client, tags, published_week):
    subscriber = SubscriberFactory(frequency="weekly")
    path = reverse("newsletter:manage", args=[tokens.personal_token(subscriber, tokens.MANAGE)])
    assert client.get(path).status_code == 200
    response = client.post(path, {"frequency": "daily", "topics": [tags["safety"].pk]})
    assert response.status_code == 200 and b"Saved." in response.content
    subscriber.refresh_from_db()
    assert subscriber.frequency == "daily"
    assert list(subscriber.topics.values_list("name", flat=True)) == ["safety"]


def test_a_reader_can_delete_their_address_after_unsubscribing(client):
    subscriber = SubscriberFactory(email="gone@example.org")
    token = tokens.personal_token(subscriber, tokens.UNSUBSCRIBE)
    client.post(reverse("newsletter:unsubscribe", args=[token]))
    response = client.post(reverse("newsletter:erase", args=[token]))
    assert b"Your address is deleted" in response.content
    assert not Subscriber.objects.filter(email="gone@example.org").exists()
    # Every link of the erased subscriber is dead now.
    assert client.get(reverse("newsletter:unsubscribe", args=[token])).status_code == 404
