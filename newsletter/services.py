"""The newsletter's actions. Readers' actions need only their signed link; staff actions check
the person's role here, whoever calls them (admin, command or test)."""

import csv
import io
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from glossary.csvio import neutralise

from . import conf, consent, issues, mail, permissions, privacy, rendering, selectors
from .models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber, SubscriberStatus

logger = logging.getLogger("newsletter")


class ActionRefused(Exception):
    """The action cannot be taken now; the message says why, for the person who tried."""


def normalise_email(email):
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def _notify_later(kind, subscriber_id):
    from .tasks import send_notice

    transaction.on_commit(lambda: send_notice.enqueue(subscriber_id, kind))


def _may_mail(subscriber, now):
    """At most one sign-up mail per address every CONFIRM_RESEND_MINUTES: the form cannot be
    used to flood someone's inbox."""
    last = subscriber.confirmation_sent_at
    return last is None or (now - last).total_seconds() >= 60 * int(conf.get("CONFIRM_RESEND_MINUTES"))


def subscribe(*, email, frequency, topics=(), now=None):
    """A sign-up from the form. What the person sees never depends on what was on file: a new,
    pending or unsubscribed address gets a confirmation mail, an active one a note that it is
    already subscribed (its choices are not changed by someone who only knows the address)."""
    now = now or timezone.now()
    email = normalise_email(email)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email,
                        frequency=frequency,
                        consent_at=now,
                        consent_version=consent.CURRENT,
                    )
            except IntegrityError:  # the same address sent twice at once
                subscriber = Subscriber.objects.select_for_update().get(email__iexact=email)
        elif subscriber.status != SubscriberStatus.ACTIVE:
            subscriber.status = SubscriberStatus.PENDING
            subscriber.frequency = frequency
            subscriber.consent_at, subscriber.consent_version = now, consent.CURRENT
            subscriber.unsubscribed_at = None
            subscriber.save(
                update_fields=["status", "frequency", "consent_at", "consent_version", "unsubscribed_at"]
            )
        if subscriber.status == SubscriberStatus.PENDING:
            subscriber.topics.set(topics)
        if _may_mail(subscriber, now):
            subscriber.confirmation_sent_at = now
            subscriber.save(update_fields=["confirmation_sent_at"])
            kind = "already" if subscriber.status == SubscriberStatus.ACTIVE else "confirm"
            _notify_later(kind, subscriber.pk)
    return subscriber


def confirm(*, subscriber, now=None):
    """Follow the confirmation link: the subscription starts. Returns the status before."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        before = subscriber.status
        if before == SubscriberStatus.PENDING:
            subscriber.status, subscriber.confirmed_at = SubscriberStatus.ACTIVE, now
            subscriber.save(update_fields=["status", "confirmed_at"])
            _notify_later("welcome", subscriber.pk)
    return before


def unsubscribe(*, subscriber, now=None):
    """Stop every mail at once; safe to repeat (mail clients may post the one-click request twice)."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Subscriber.objects.filter(pk=subscriber.pk).exclude(status=SubscriberStatus.UNSUBSCRIBED)
        if updated.update(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=now):
            Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.QUEUED).update(
                status=DeliveryStatus.SKIPPED
            )


def update_preferences(*, subscriber, frequency, topics=()):
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
            raise ActionRefused("This subscription was cancelled. Subscribe again to get the digest.")
        subscriber.frequency = frequency
        subscriber.save(update_fields=["frequency"])
        subscriber.topics.set(topics)
    return subscriber


def erase_self(*, subscriber):
    """A reader's own request, from the page after unsubscribing."""
    privacy.erase([subscriber.pk])


# Staff actions


def _require(allowed):
    if not allowed:
        raise PermissionDenied("You are not allowed to do this.")


def start_issue(*, issue, by):
    _require(permissions.can_manage_sending(by))
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != IssueStatus.DRAFT:
            raise ActionRefused(
                f"Only a draft issue can be started; this one is “{issue.get_status_display()}”."
            )
        issues.start_sending(issue)
    return issue


def pause_issue(*, issue, by):
    _require(permissions.can_manage_sending(by))
    with transaction.atomic():
        changed = Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
            status=IssueStatus.PAUSED
        )
    if not changed:
        raise ActionRefused("Only an issue that is sending can be paused.")
    logger.info("Issue %s paused by user %s", issue.pk, by.pk)


def resume_issue(*, issue, by):
    _require(permissions.can_manage_sending(by))
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != IssueStatus.PAUSED:
            raise ActionRefused("Only a paused issue can be resumed.")
        issues.start_sending(issue)
    logger.info("Issue %s resumed by user %s", issue.pk, by.pk)


def preview(issue, *, subscriber=None):
    """The issue's digest as `subscriber` would get it now (all topics from the start of the
    period when no subscriber is given), or None when it would hold nothing."""
    since = issue.period_start
    if subscriber is not None:
        since = subscriber.last_issue_at or issue.period_start
        selection = selectors.subscriber_selection(subscriber, since=since, until=issue.period_end)
    else:
        briefs = selectors.digest_briefs(after=since, until=issue.period_end)
        selection = selectors.pick(briefs, since=since, topic_ids=())
    if not selection:
        return None
    return rendering.render_digest(selection, frequency=issue.frequency, issue_date=issue.period_end)


def send_test(*, issue, by):
    """The issue's full digest (every topic) to the signed-in person's own address."""
    _require(permissions.can_manage_sending(by))
    if not by.email:
        raise ActionRefused("Your account has no email address; add one to receive a test.")
    rendered = preview(issue)
    if rendered is None:
        raise ActionRefused("No published brief falls in this issue's period: there is nothing to send.")
    try:
        mail.test_message(rendered, to=by.email).send(using=conf.get("MAILER"))
    except Exception as exc:
        logger.warning("Test digest of issue %s could not be sent: %s", issue.pk, exc)
        raise ActionRefused(f"The mail server did not take the test mail: {exc}") from exc


EXPORT_COLUMNS = [
    "email",
    "status",
    "frequency",
    "topics",
    "consent_at",
    "consent_version",
    "confirmed_at",
    "unsubscribed_at",
    "last_issue_at",
]


def _iso(value):
    return value.isoformat() if value else ""


def export_subscribers_csv(*, subscribers, by):
    """Subscribers as CSV text (cells that a spreadsheet would run as a formula are neutralised)."""
    _require(permissions.can_export(by))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for subscriber in subscribers.order_by("pk").prefetch_related("topics"):
        writer.writerow(
            [
                neutralise(subscriber.email),
                subscriber.status,
                subscriber.frequency,
                neutralise("; ".join(sorted(tag.name for tag in subscriber.topics.all()))),
                _iso(subscriber.consent_at),
                subscriber.consent_version,
                _iso(subscriber.confirmed_at),
                _iso(subscriber.unsubscribed_at),
                _iso(subscriber.last_issue_at),
            ]
        )
    return out.getvalue()


def erase_subscribers(*, subscribers, by):
    _require(permissions.can_erase(by))
    count = privacy.erase(list(subscribers.values_list("pk", flat=True)))
    logger.info("%s subscriber(s) erased by user %s", count, by.pk)
    return count
