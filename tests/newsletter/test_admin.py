"""The newsletter in the admin, by direct requests as each role: moderators manage sending and
subscribers, editors read, contributors get nothing, superusers everything."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from newsletter import issues, services
from newsletter.models import Delivery, Issue, IssueStatus, Subscriber

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db

ROLES = ["contributor", "editor", "moderator", "superuser"]
READERS = {"editor", "moderator", "superuser"}
MANAGERS = {"moderator", "superuser"}


@pytest.fixture
def issue(smtp, published_week, run_tasks, django_capture_on_commit_callbacks):
    SubscriberFactory(email="ada@example.org")
    SubscriberFactory(email="=HYPERLINK(evil)@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        built, _ = issues.build_issue(frequency="weekly")
    run_tasks()
    built.refresh_from_db()
    return built


@pytest.fixture
def as_role(client, request):
    def login(role):
        user = request.getfixturevalue(role)
        user.email = f"{role}@newsroom.example"
        user.save()
        client.force_login(user)
        return user

    return login


def read_urls(issue):
    delivery = Delivery.objects.filter(issue=issue).first()
    return [
        reverse("admin:newsletter_subscriber_changelist"),
        reverse("admin:newsletter_subscriber_change", args=[Subscriber.objects.first().pk]),
        reverse("admin:newsletter_issue_changelist"),
        reverse("admin:newsletter_issue_change", args=[issue.pk]),
        reverse("admin:newsletter_issue_preview", args=[issue.pk]),
        reverse("admin:newsletter_issue_preview_document", args=[issue.pk]),
        reverse("admin:newsletter_delivery_changelist"),
        reverse("admin:newsletter_delivery_change", args=[delivery.pk]),
        reverse("admin:newsletter_delivery_mail", args=[delivery.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_who_can_read_the_newsletter_pages(issue, client, as_role, role):
    as_role(role)
    for url in read_urls(issue):
        response = client.get(url)
        assert response.status_code == (200 if role in READERS else 403), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_who_can_pause_and_resume(issue, client, as_role, role, django_capture_on_commit_callbacks):
    as_role(role)
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING)
    response = client.post(reverse("admin:newsletter_issue_pause", args=[issue.pk]))
    issue.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302 and issue.status == IssueStatus.PAUSED
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("admin:newsletter_issue_resume", args=[issue.pk]))
        issue.refresh_from_db()
        assert issue.status == IssueStatus.SENDING
    else:
        assert response.status_code == 403 and issue.status == IssueStatus.SENDING
        assert client.post(reverse("admin:newsletter_issue_resume", args=[issue.pk])).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_send_a_test_to_me(issue, client, as_role, role, smtp):
    user = as_role(role)
    before = len(smtp.messages)
    response = client.post(reverse("admin:newsletter_issue_send_test", args=[issue.pk]), follow=True)
    if role in MANAGERS:
        assert response.status_code == 200
        (test,) = smtp.messages[before:]
        assert test.to == user.email
        assert test.message["Subject"].startswith("[Test] Weekly briefs:")
        assert "List-Unsubscribe" not in test.message
        assert "A test of this issue was sent" in response.content.decode()
    else:
        assert response.status_code == 403
        assert len(smtp.messages) == before


def test_services_check_the_role_whoever_calls_them(issue, editor, contributor):
    for user in (editor, contributor):
        for action in (services.pause_issue, services.resume_issue, services.start_issue, services.send_test):
            with pytest.raises(PermissionDenied):
                action(issue=issue, by=user)
        with pytest.raises(PermissionDenied):
            services.erase_subscribers(subscribers=Subscriber.objects.all(), by=user)
        with pytest.raises(PermissionDenied):
            services.export_subscribers_csv(subscribers=Subscriber.objects.all(), by=user)


def test_a_refused_action_is_a_message_not_an_error(issue, client, as_role):
    as_role("moderator")
    response = client.post(reverse("admin:newsletter_issue_pause", args=[issue.pk]), follow=True)
    assert response.status_code == 200
    assert "Only an issue that is sending can be paused." in response.content.decode()


def post_action(client, action, subscribers, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [s.pk for s in subscribers], **extra}
    return client.post(reverse("admin:newsletter_subscriber_changelist"), data)


@pytest.mark.parametrize("role", ROLES)
def test_export_subscribers_as_csv(issue, client, as_role, role):
    as_role(role)
    response = post_action(client, "export_csv", Subscriber.objects.all())
    if role not in MANAGERS:
        # The action is not offered: the list comes back (or access is refused), no file.
        assert response.status_code in (200, 302, 403)
        assert not response.get("Content-Type", "").startswith("text/csv")
        assert b"ada@example.org" not in response.content or role == "editor"
        return
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["email"] for row in rows} == {"ada@example.org", "'=HYPERLINK(evil)@example.org"}
    assert all(row["consent_version"] and row["consent_at"] and row["confirmed_at"] for row in rows)


@pytest.mark.parametrize("role", ROLES)
def test_erase_asks_first_then_removes_the_address(issue, client, as_role, role):
    as_role(role)
    ada = Subscriber.objects.get(email="ada@example.org")
    first = post_action(client, "erase_selected", [ada])
    if role not in MANAGERS:
        assert first.status_code in (200, 302, 403)
        post_action(client, "erase_selected", [ada], confirm="yes")
        assert Subscriber.objects.filter(pk=ada.pk).exists()
        return
    assert first.status_code == 200 and b"Yes, erase them" in first.content
    assert Subscriber.objects.filter(pk=ada.pk).exists()  # nothing happens before confirming
    post_action(client, "erase_selected", [ada], confirm="yes")
    assert not Subscriber.objects.filter(pk=ada.pk).exists()
    sent = Delivery.objects.filter(issue=issue, subscriber__isnull=True)
    assert sent.count() == 1  # the sent mail is still counted, with no one behind it


def test_the_sent_mail_is_shown_in_a_sandboxed_frame_with_a_strict_policy(issue, client, as_role):
    as_role("editor")
    delivery = Delivery.objects.filter(issue=issue).first()
    page = client.get(reverse("admin:newsletter_delivery_change", args=[delivery.pk]))
    html = page.content.decode()
    assert "<iframe" in html and " sandbox " in html
    frame = client.get(reverse("admin:newsletter_delivery_mail", args=[delivery.pk]))
    policy = frame["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert "frame-ancestors 'self'" in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in frame["Cache-Control"]


def test_the_preview_shows_the_digest_as_a_given_subscriber_gets_it(issue, client, as_role, tags):
    as_role("editor")
    reader = SubscriberFactory(email="vision@example.org", topics=[tags["vision"]])
    url = reverse("admin:newsletter_issue_preview", args=[issue.pk])
    everyone = client.get(url)
    assert everyone.context["rendered"].subject.startswith("Weekly briefs:")
    one = client.get(url, {"subscriber": reader.email})
    text = one.context["rendered"].text
    assert "A vision finding" in text and "A safety finding" not in text
    unknown = client.get(url, {"subscriber": "nobody@example.org"})
    assert "No subscriber has this address" in unknown.content.decode()


def test_issue_list_counts_come_in_a_fixed_number_of_queries(
    issue, client, as_role, django_assert_max_num_queries
):
    as_role("moderator")
    for day in range(1, 6):
        Issue.objects.create(
            frequency="daily",
            period_start=issue.period_start - dt.timedelta(days=day),
            period_end=issue.period_end - dt.timedelta(days=day),
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:newsletter_issue_changelist"))
    assert response.status_code == 200
    assert {row._sent for row in response.context["cl"].result_list} == {0, 2}


def test_subscriber_list_queries_do_not_grow_with_subscribers(
    issue, client, as_role, tags, django_assert_max_num_queries
):
    as_role("moderator")
    for _ in range(30):
        SubscriberFactory(topics=[tags["safety"], tags["vision"]])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:newsletter_subscriber_changelist"))
    assert response.status_code == 200
