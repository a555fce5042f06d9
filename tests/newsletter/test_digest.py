"""The digest as a reader receives it, through a real SMTP server."""

import datetime as dt
from email.utils import parsedate_to_datetime

import pytest
from django.test import Client
from django.urls import reverse

from newsletter import issues, mail
from newsletter.models import Delivery, DeliveryStatus, IssueStatus, SubscriberStatus

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def send_issue(run_tasks, frequency="weekly", now=None):
    with_callbacks = issues.build_issue(frequency=frequency, now=now)
    run_tasks()
    issue, _ = with_callbacks
    issue.refresh_from_db()
    return issue


@pytest.fixture
def sent(smtp, published_week, run_tasks, django_capture_on_commit_callbacks):
    reader = SubscriberFactory(email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        issue, _ = issues.build_issue(frequency="weekly")
    run_tasks()
    issue.refresh_from_db()
    (received,) = smtp.messages
    return {"issue": issue, "reader": reader, "received": received, **published_week}


def test_the_digest_is_multipart_text_then_html(sent):
    message = sent["received"].message
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in message.iter_parts())
    assert not any(part.get_content_disposition() == "attachment" for part in message.walk())


def test_the_digest_carries_list_unsubscribe_message_id_and_date(sent):
    message = sent["received"].message
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://briefs.example/newsletter/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == delivery.message_id == mail.message_id(delivery)
    assert message["Message-ID"] == f"<digest.{delivery.issue_id}.{delivery.pk}@briefs.example>"
    assert parsedate_to_datetime(message["Date"]) == delivery.sent_at
    assert message["To"] == "ada@example.org"
    assert message["From"] == "Briefs <digest@briefs.example>"
    assert message["List-Id"].endswith("<digest.briefs.example>")


def test_the_digest_holds_each_brief_with_points_terms_and_source(sent):
    message = sent["received"].message
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        for brief in sent["briefs"]:
            assert brief.headline in body
            assert brief.dek in body
            for point in brief.points.all():
                assert point.text in body
        assert "Scaling law" in body
        assert "How a model's loss falls as it grows." in body.replace("&#x27;", "'")
        assert "Read full story at AI Alignment Forum" in body
        assert "https://www.alignmentforum.org/posts/example" in body
    assert 'href="https://www.alignmentforum.org/posts/example"' in html
    assert f'href="https://briefs.example/briefs/{sent["briefs"][0].slug}/"' in html


def test_a_draft_term_never_reaches_the_mail(sent):
    body = sent["received"].content.decode()
    assert "Secret sauce" not in body
    assert "unapproved draft definition" not in body


def test_the_html_works_in_dark_mode_is_accessible_and_tracks_nothing(sent):
    html = sent["received"].message.get_body(("html",)).get_content()
    assert '<html lang="en"' in html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert "@media (prefers-color-scheme: dark)" in html  # kept for clients that honour it
    assert 'style="' in html  # light colours inlined for the rest
    assert "<h1" in html and "<h2" in html and "<h3" in html
    assert 'role="presentation"' in html
    assert "<img" not in html  # no pixel, nothing loaded from us when the mail is opened
    hrefs = [chunk.split('"', 1)[0] for chunk in html.split('href="')[1:]]
    assert hrefs
    assert all(h.startswith(("https://briefs.example/", "https://www.alignmentforum.org/")) for h in hrefs)


def test_the_unsubscribe_link_in_the_mail_works_without_logging_in(sent, client):
    html = sent["received"].message.get_body(("html",)).get_content()
    link = html.split('href="https://briefs.example/newsletter/unsubscribe/', 1)[1].split('"', 1)[0]
    path = f"/newsletter/unsubscribe/{link}"
    page = client.get(path)
    assert page.status_code == 200
    assert b"Unsubscribe</button>" in page.content
    sent["reader"].refresh_from_db()
    assert sent["reader"].status == SubscriberStatus.ACTIVE  # a GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert b"You are unsubscribed" in done.content
    sent["reader"].refresh_from_db()
    assert sent["reader"].status == SubscriberStatus.UNSUBSCRIBED


def test_the_one_click_post_from_a_mail_client_unsubscribes_and_can_be_repeated(sent):
    url = sent["received"].message["List-Unsubscribe"].strip("<>")
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token: RFC 8058
    for _ in range(2):
        response = mail_client.post(
            url.replace("https://briefs.example", ""),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
    sent["reader"].refresh_from_db()
    assert sent["reader"].status == SubscriberStatus.UNSUBSCRIBED
    assert sent["reader"].unsubscribed_at is not None


def test_the_next_issue_holds_only_what_was_published_since(
    sent, smtp, run_tasks, django_capture_on_commit_callbacks
):
    issue = sent["issue"]
    later = issue.period_end + dt.timedelta(days=7, minutes=5)
    newer = sent["briefs"][0]
    newer.published_at = issue.period_end + dt.timedelta(days=1)
    newer.save()
    with django_capture_on_commit_callbacks(execute=True):
        second, created = issues.build_issue(frequency="weekly", now=later)
    assert created
    run_tasks()
    assert len(smtp.messages) == 2
    text = smtp.messages[1].message.get_body(("plain",)).get_content()
    assert newer.headline in text
    assert sent["briefs"][1].headline not in text
    assert Delivery.objects.get(issue=second).since == issue.period_end


def test_nothing_is_sent_when_nothing_new_was_published(
    smtp, week, run_tasks, django_capture_on_commit_callbacks
):
    SubscriberFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        issue, _ = issues.build_issue(frequency="weekly")
    run_tasks()
    assert issue.status == IssueStatus.NOTHING_NEW
    assert not issue.deliveries.exists()
    assert smtp.messages == []


def test_topics_choose_the_briefs_and_no_match_sends_nothing(
    smtp, published_week, tags, run_tasks, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="safety@example.org", topics=[tags["safety"]])
    SubscriberFactory(email="two@example.org", topics=[tags["theory"], tags["vision"]])
    SubscriberFactory(email="all@example.org")
    unmatched = tags["safety"].__class__.objects.create(name="robotics", slug="robotics")
    SubscriberFactory(email="robots@example.org", topics=[unmatched])
    with django_capture_on_commit_callbacks(execute=True):
        issues.build_issue(frequency="weekly")
    run_tasks()
    headlines = {
        address: {
            b.headline for b in published_week["briefs"] if b.headline in smtp.to(address)[0].content.decode()
        }
        for address in ("safety@example.org", "two@example.org", "all@example.org")
    }
    assert headlines["safety@example.org"] == {"A safety finding"}
    assert headlines["two@example.org"] == {"A theory finding", "A vision finding"}
    assert len(headlines["all@example.org"]) == 3
    assert smtp.to("robots@example.org") == []
    assert Delivery.objects.get(subscriber__email="robots@example.org").status == DeliveryStatus.SKIPPED


def test_an_editor_reads_the_exact_mail_a_subscriber_received(sent, editor, client):
    delivery = Delivery.objects.get()
    received = sent["received"].message
    client.force_login(editor)
    page = client.get(reverse("admin:newsletter_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    shown = page.context["mail"]
    headers = dict(shown["headers"])
    for name in ("Subject", "From", "To", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"):
        assert headers[name] == received[name], name
    # On the wire every line ends in CRLF; the parts are otherwise the same, character for character.
    assert shown["text"] == wire_text(received.get_body(("plain",)))
    assert shown["html"] == wire_text(received.get_body(("html",)))
    frame = client.get(reverse("admin:newsletter_delivery_mail", args=[delivery.pk]))
    assert frame.content.decode() == shown["html"]


def wire_text(part):
    return part.get_content().replace("\r\n", "\n")
