"""Sending an issue: batches, queries per mail, the mail server failing midway, pause and resume,
and the one uncertain mail after a crash."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter import issues, sending, services
from newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    def make(frequency="weekly", now=None):
        with django_capture_on_commit_callbacks(execute=True):
            issue, _ = issues.build_issue(frequency=frequency, now=now)
        return issue

    return make


def assert_each_got_exactly_one(smtp, addresses):
    assert sorted(smtp.recipients()) == sorted(addresses)  # nobody twice, nobody skipped
    assert len(set(m.message["Message-ID"] for m in smtp.messages)) == len(addresses)


def queries_for_one_batch(issue):
    with CaptureQueriesContext(connection) as queries:
        report = sending.run_batch(issue.pk, issue.chain)
    return len(queries), report


@pytest.mark.parametrize("topics", [False, True])
def test_queries_per_mail_do_not_grow_with_the_batch(smtp, published_week, tags, build, settings, topics):
    """One batch of 1 and one of 50: every extra mail costs the same two statements (marked
    sending, marked sent); briefs, terms and digests are read once per batch."""
    settings.NEWSLETTER_BATCH_SIZE = 100
    choices = [[tags["safety"], tags["theory"]], [tags["vision"]], []]
    counts = {}
    for size in (1, 50):
        Subscriber.objects.all().delete()
        Issue.objects.all().delete()
        for i in range(size):
            SubscriberFactory(topics=choices[i % 3] if topics else [])
        issue = build()
        counts[size], report = queries_for_one_batch(issue)
        assert report.sent == size
    assert counts[50] - counts[1] == 2 * 49
    assert counts[1] <= 24  # the fixed cost of a batch (one-time rendering included)


def test_a_batch_reads_what_it_needs_in_a_fixed_number_of_queries(
    smtp, published_week, build, django_assert_max_num_queries
):
    SubscriberFactory.create_batch(30)
    issue = build()
    with django_assert_max_num_queries(24 + 2 * 30):
        sending.run_batch(issue.pk, issue.chain)


def test_the_mail_server_refusing_after_37_mails_resumes_with_no_duplicate_and_nobody_skipped(
    smtp, published_week, build, run_tasks, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 20
    settings.NEWSLETTER_RETRY_DELAY = 3600
    readers = [s.email for s in SubscriberFactory.create_batch(100)]
    smtp.refuse_after = 37
    build()
    run_tasks()
    issue = Issue.objects.get()
    assert len(smtp.messages) == 37
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 37
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED).count() == 63
    assert not Delivery.objects.filter(status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]).exists()
    assert issue.status == IssueStatus.SENDING
    assert "421" in issue.last_error
    # Nothing in the queue was counted against the readers: the server was at fault.
    assert set(Delivery.objects.filter(status=DeliveryStatus.QUEUED).values_list("attempts", flat=True)) == {
        0
    }

    smtp.refuse_after = None  # the server is back; the scheduler notices the stalled send
    with django_capture_on_commit_callbacks(execute=True):
        summary = issues.send_due_digests(now=timezone.now() + dt.timedelta(hours=2))
    assert summary["restarted"] == [issue.pk]
    run_tasks()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.last_error == ""
    assert_each_got_exactly_one(smtp, readers)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 100


def test_a_delivery_sent_is_never_sent_again(smtp, published_week, build, run_tasks):
    SubscriberFactory.create_batch(5)
    issue = build()
    run_tasks()
    assert len(smtp.messages) == 5
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING, chain="again")
    report = sending.run_batch(issue.pk, "again")
    assert report.sent == 0 and report.finished
    assert len(smtp.messages) == 5


def test_building_an_issue_twice_is_the_same_issue(smtp, published_week, build):
    SubscriberFactory.create_batch(3)
    first = build()
    second = build()
    assert first.pk == second.pk
    assert Delivery.objects.count() == 3
    issues.send_due_digests()
    assert Issue.objects.filter(frequency="weekly").count() == 1


def test_pause_stops_sending_and_resume_sends_the_rest_once(
    smtp, published_week, build, run_tasks, moderator, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 4
    readers = [s.email for s in SubscriberFactory.create_batch(10)]
    issue = build()
    sending.run_batch(issue.pk, issue.chain)  # the first batch goes out
    services.pause_issue(issue=issue, by=moderator)
    run_tasks()  # the queued next batch sees the pause and stops
    assert len(smtp.messages) == 4
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PAUSED
    with django_capture_on_commit_callbacks(execute=True):
        services.resume_issue(issue=issue, by=moderator)
    run_tasks()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert_each_got_exactly_one(smtp, readers)


def test_a_pause_takes_effect_between_two_mails_of_a_batch(smtp, published_week, build, moderator):
    SubscriberFactory.create_batch(6)
    issue = build()
    claimed = sending.claim(issue.pk, 6, token="t", now=timezone.now())
    services.pause_issue(issue=issue, by=moderator)
    report = sending.BatchReport()
    plan, _ = sending._plan(issue, claimed, timezone.now())
    sending._send(issue, plan, "t", report)
    assert report.stopped == "paused" and report.sent == 0
    assert smtp.messages == []


def test_an_address_refused_for_good_fails_alone(smtp, published_week, build, run_tasks):
    readers = [s.email for s in SubscriberFactory.create_batch(4)]
    smtp.reject[readers[1]] = f"550 5.1.1 <{readers[1]}>: no such mailbox"
    build()
    run_tasks()
    assert sorted(smtp.recipients()) == sorted(readers[:1] + readers[2:])
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.subscriber.email == readers[1]
    assert "550" in failed.last_error
    assert readers[1] not in failed.last_error  # the address is not copied into the error
    assert Issue.objects.get().status == IssueStatus.SENT


def test_an_address_refused_for_now_is_tried_again_later_then_given_up(
    smtp, published_week, build, run_tasks, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    settings.NEWSLETTER_RETRY_DELAY = 60
    (busy,) = [SubscriberFactory().email]
    smtp.reject[busy] = "450 4.2.1 Mailbox busy"
    issue = build()
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()
    Delivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        issues.send_due_digests(now=timezone.now() + dt.timedelta(hours=1))
    run_tasks()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


@pytest.mark.parametrize("resend", [True, False])
def test_the_one_mail_in_flight_at_a_crash_is_sent_again_with_the_same_message_id_or_failed(
    smtp, published_week, build, run_tasks, settings, resend, django_capture_on_commit_callbacks
):
    """A worker died after handing a mail to the server and before recording it (the only
    window of doubt): the delivery stays `sending`, the rest of its batch `claimed`."""
    settings.NEWSLETTER_RESEND_UNCERTAIN = resend
    readers = [s.email for s in SubscriberFactory.create_batch(3)]
    issue = build()
    crashed_at = timezone.now() - dt.timedelta(hours=1)
    first, *rest = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=first.pk).update(
        status=DeliveryStatus.SENDING, claim="dead", claimed_at=crashed_at, attempts=1
    )
    Delivery.objects.filter(pk__in=[d.pk for d in rest]).update(
        status=DeliveryStatus.CLAIMED, claim="dead", claimed_at=crashed_at
    )
    Issue.objects.filter(pk=issue.pk).update(heartbeat_at=crashed_at)
    with django_capture_on_commit_callbacks(execute=True):
        issues.send_due_digests()
    run_tasks()
    first.refresh_from_db()
    if resend:
        assert first.status == DeliveryStatus.SENT
        assert sorted(smtp.recipients()) == sorted(readers)
        resent = smtp.to(first.subscriber.email)[0]
        assert resent.message["Message-ID"] == f"<digest.{issue.pk}.{first.pk}@briefs.example>"
        assert "same Message-ID" in first.last_error or first.last_error == ""
    else:
        assert first.status == DeliveryStatus.FAILED
        assert "not sent again" in first.last_error
        assert sorted(smtp.recipients()) == sorted(set(readers) - {first.subscriber.email})


def test_unsubscribing_or_erasing_during_an_issue_sends_them_nothing(smtp, published_week, build, run_tasks):
    stays, leaves, erased = SubscriberFactory.create_batch(3)
    issue = build()
    services.unsubscribe(subscriber=leaves)
    from newsletter import privacy

    privacy.erase([erased.pk])
    run_tasks()
    assert smtp.recipients() == [stays.email]
    assert Delivery.objects.filter(issue=issue).count() == 2  # the erased one's queued mail is gone
    assert Delivery.objects.get(subscriber=leaves).status == DeliveryStatus.SKIPPED


def test_the_send_rate_spaces_the_mails(smtp, published_week, build, settings):
    settings.NEWSLETTER_SEND_RATE = 20  # mails per second
    SubscriberFactory.create_batch(6)
    issue = build()
    started = timezone.now()
    sending.run_batch(issue.pk, issue.chain)
    elapsed = (timezone.now() - started).total_seconds()
    assert len(smtp.messages) == 6
    assert elapsed >= 5 / 20


def test_claims_never_overlap(published_week, build):
    SubscriberFactory.create_batch(10)
    issue = build()
    now = timezone.now()
    first = {d.pk for d in sending.claim(issue.pk, 6, token="a", now=now)}
    second = {d.pk for d in sending.claim(issue.pk, 6, token="b", now=now)}
    assert len(first) == 6 and len(second) == 4
    assert not first & second
