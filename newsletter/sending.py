"""Sending an issue, batch by batch, so that every subscriber gets it once.

A batch *claims* up to BATCH_SIZE queued deliveries (SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL; elsewhere one UPDATE statement, which SQLite runs one writer at a time), renders
each distinct digest once, then for each mail: marks the delivery `sending`, hands the mail to
the mail server, and marks it `sent` as soon as the server has accepted it. A delivery is only
ever taken from `queued`, so one that is sent is never sent again.

If the worker dies, its deliveries stay `claimed` (never tried: safely queued again) or, for
the one mail in flight, `sending`. Only that one is uncertain: the server may have accepted it
just before the crash. `recover` sends it again with the same Message-ID (RESEND_UNCERTAIN)
or marks it failed; docs/newsletter.md describes the window.
"""

import logging
import secrets
import smtplib
import time
from dataclasses import dataclass
from enum import Enum

from django.db import connection, transaction
from django.db.models import Count, F, Min, Prefetch, Q
from django.utils import timezone
from taggit.models import Tag

from . import conf, mail, rendering, selectors
from .models import (
    IN_PROGRESS,
    Delivery,
    DeliveryStatus,
    DigestContent,
    Issue,
    IssueStatus,
    Subscriber,
    SubscriberStatus,
)

logger = logging.getLogger("newsletter.sending")

try:  # django-anymail's errors, when a provider sends the mail
    from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused
except ImportError:  # pragma: no cover
    AnymailInvalidAddress = AnymailRecipientsRefused = ()


class Outcome(Enum):
    FAILED = "failed"  # this address refused for good
    RETRY = "retry"  # this address, later
    STOP = "stop"  # the mail server or provider: stop the batch, try again later


def classify(exc):
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return Outcome.FAILED if codes and all(code >= 500 for code in codes) else Outcome.RETRY
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return Outcome.STOP
    if isinstance(exc, smtplib.SMTPResponseException):
        if exc.smtp_code == 421:  # the server is closing the connection
            return Outcome.STOP
        return Outcome.FAILED if exc.smtp_code >= 500 else Outcome.RETRY
    if AnymailRecipientsRefused and isinstance(exc, AnymailRecipientsRefused | AnymailInvalidAddress):
        return Outcome.FAILED
    return Outcome.STOP


def describe(exc, address=""):
    """The error as an editor reads it, without the recipient's address."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{code} {reply.decode(errors='replace')}" for code, reply in exc.recipients.values()
        )
    elif isinstance(exc, smtplib.SMTPResponseException):
        reply = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        text = f"{exc.smtp_code} {reply}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if address:
        text = text.replace(address, "<recipient>").replace(address.lower(), "<recipient>")
    return text[:1000]


@dataclass
class BatchReport:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    skipped: int = 0
    stopped: str = ""  # "paused", "server" or "not sending" when the batch ended early
    next_run: object = None  # when the next batch should run; None: nothing to continue
    finished: bool = False

    def as_dict(self):
        return {
            "sent": self.sent,
            "failed": self.failed,
            "retry": self.retry,
            "skipped": self.skipped,
            "stopped": self.stopped,
            "finished": self.finished,
        }


def batch_size():
    """BATCH_SIZE, made small enough that a batch is sent well within CLAIM_TIMEOUT."""
    size = int(conf.get("BATCH_SIZE"))
    rate = float(conf.get("SEND_RATE"))
    if rate > 0:
        size = min(size, max(1, int(rate * float(conf.get("CLAIM_TIMEOUT")) / 2)))
    return size


def _ready(issue_id, now):
    return Delivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def claim(issue_id, size, *, token, now):
    """Take up to `size` queued deliveries for this worker; no two workers get the same one."""
    todo = _ready(issue_id, now).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(todo.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
            if ids:
                Delivery.objects.filter(pk__in=ids).update(
                    status=DeliveryStatus.CLAIMED, claim=token, claimed_at=now
                )
    else:
        Delivery.objects.filter(pk__in=todo.values("pk")[:size], status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.CLAIMED, claim=token, claimed_at=now
        )
    return list(
        Delivery.objects.filter(claim=token, status=DeliveryStatus.CLAIMED)
        .select_related("subscriber")
        # Only the ids matter: which topics a subscriber chose.
        .prefetch_related(Prefetch("subscriber__topics", queryset=Tag.objects.only("pk")))
        .order_by("pk")
    )


def _plan(issue, deliveries, now):
    """[(delivery, content)] to send, and the deliveries with nothing to send."""
    live, skipped = [], []
    for delivery in deliveries:
        subscriber = delivery.subscriber
        (live if subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE else skipped).append(
            delivery
        )
    if not live:
        return [], skipped
    briefs = selectors.digest_briefs(after=min(d.since for d in live), until=issue.period_end, now=now)
    groups = {}
    for delivery in live:
        topics = frozenset(tag.pk for tag in delivery.subscriber.topics.all())
        groups.setdefault((delivery.since, topics), []).append(delivery)
    selections, members = {}, {}
    for (since, topics), group in groups.items():
        selection = selectors.pick(briefs, since=since, topic_ids=topics)
        if not selection:
            skipped.extend(group)
            continue
        key = rendering.content_key(selection, issue.frequency)
        selections[key] = selection
        members.setdefault(key, []).extend(group)
    contents = contents_for(issue, selections)
    plan = [(delivery, contents[key]) for key, group in members.items() for delivery in group]
    plan.sort(key=lambda item: item[0].pk)
    return plan, skipped


def contents_for(issue, selections):
    """{key: DigestContent} for each selection, rendering only those no batch has rendered yet."""
    found = {c.key: c for c in DigestContent.objects.filter(issue=issue, key__in=list(selections))}
    missing = [key for key in selections if key not in found]
    if missing:
        new = []
        for key in missing:
            rendered = rendering.render_digest(
                selections[key], frequency=issue.frequency, issue_date=issue.period_end
            )
            new.append(
                DigestContent(
                    issue=issue,
                    key=key,
                    subject=rendered.subject,
                    html=rendered.html,
                    text=rendered.text,
                    brief_ids=[brief.pk for brief in selections[key].briefs],
                )
            )
        # Another worker may have stored the same digest a moment ago: keep theirs.
        DigestContent.objects.bulk_create(new, ignore_conflicts=True)
        found.update({c.key: c for c in DigestContent.objects.filter(issue=issue, key__in=missing)})
    return found


class _Pace:
    """At most SEND_RATE mails per second from this worker."""

    def __init__(self):
        rate = float(conf.get("SEND_RATE"))
        self.interval = 1 / rate if rate > 0 else 0
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        delay = self.next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.next_at = max(self.next_at, time.monotonic()) + self.interval


def run_batch(issue_id, chain, *, now=None):
    """Send one batch of the issue if `chain` still owns it; say what should happen next."""
    now = now or timezone.now()
    report = BatchReport()
    owned = Issue.objects.filter(pk=issue_id, chain=chain, status=IssueStatus.SENDING).update(
        heartbeat_at=now
    )
    if not owned:
        report.stopped = "not sending"
        return report
    issue = Issue.objects.get(pk=issue_id)
    token = secrets.token_hex(16)
    deliveries = claim(issue_id, batch_size(), token=token, now=now)
    plan, skipped = _plan(issue, deliveries, now) if deliveries else ([], [])
    if skipped:
        Delivery.objects.filter(pk__in=[d.pk for d in skipped], claim=token).update(
            status=DeliveryStatus.SKIPPED, claim=""
        )
        report.skipped = len(skipped)
    if plan:
        _send(issue, plan, token, report)
    # Whatever this batch did not get to goes back to the queue.
    Delivery.objects.filter(claim=token, status=DeliveryStatus.CLAIMED).update(
        status=DeliveryStatus.QUEUED, claim=""
    )
    _decide_next(issue, report, timezone.now())
    return report


def _send(issue, plan, token, report):
    pace = _Pace()
    sent_to = []
    connection_ = mail.mailer()
    try:
        connection_.open()
    except Exception as exc:
        _stop(issue, report, describe(exc))
        return
    try:
        for delivery, content in plan:
            subscriber = delivery.subscriber
            try:
                sent_at = timezone.now().replace(microsecond=0)
                message = mail.digest_message(
                    content, delivery=delivery, subscriber=subscriber, sent_at=sent_at
                )
            except Exception as exc:  # a mail that cannot be built fails alone
                logger.exception("Could not build the mail of delivery %s", delivery.pk)
                _record_failure(delivery, token, Outcome.FAILED, describe(exc, subscriber.email), report)
                continue
            pace.wait()
            moved = Delivery.objects.filter(
                pk=delivery.pk, claim=token, status=DeliveryStatus.CLAIMED, issue__status=IssueStatus.SENDING
            ).update(
                status=DeliveryStatus.SENDING,
                claimed_at=timezone.now(),
                attempts=F("attempts") + 1,
                content=content,
                message_id=mail.message_id(delivery),
            )
            if not moved:
                if not Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).exists():
                    report.stopped = "paused"
                    break
                continue  # erased or taken back meanwhile
            try:
                accepted = connection_.send_messages([message])
                if not accepted:
                    raise smtplib.SMTPException("The mail backend sent nothing.")
            except Exception as exc:
                outcome = classify(exc)
                _record_failure(delivery, token, outcome, describe(exc, subscriber.email), report)
                if outcome is Outcome.STOP:
                    _stop(issue, report, describe(exc, subscriber.email))
                    break
                continue
            # The mail server has the mail: record it at once (the only window of doubt is here).
            Delivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.SENT).update(
                status=DeliveryStatus.SENT, sent_at=sent_at, claim="", last_error=""
            )
            report.sent += 1
            sent_to.append(subscriber.pk)
    finally:
        try:
            connection_.close()
        except Exception:  # the server may already have hung up
            logger.info("Closing the mail connection failed", exc_info=True)
    if sent_to:
        Subscriber.objects.filter(pk__in=sent_to).filter(
            Q(last_issue_at__isnull=True) | Q(last_issue_at__lt=issue.period_end)
        ).update(last_issue_at=issue.period_end)
    if not report.stopped and issue.last_error:
        Issue.objects.filter(pk=issue.pk).update(last_error="")


def _record_failure(delivery, token, outcome, error, report):
    rows = Delivery.objects.filter(pk=delivery.pk, claim=token)
    if outcome is Outcome.STOP:
        # Not this address's fault: back in the queue, the attempt not counted.
        rows.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.QUEUED, claim="", attempts=F("attempts") - 1, last_error=error
        )
        return
    attempts = Delivery.objects.filter(pk=delivery.pk).values_list("attempts", flat=True).first() or 1
    if outcome is Outcome.RETRY and attempts < int(conf.get("MAX_ATTEMPTS")):
        later = timezone.now() + conf.seconds("RETRY_DELAY") * attempts
        rows.update(status=DeliveryStatus.QUEUED, claim="", next_attempt_at=later, last_error=error)
        report.retry += 1
    else:
        rows.update(status=DeliveryStatus.FAILED, claim="", last_error=error)
        report.failed += 1


def _stop(issue, report, error):
    report.stopped = "server"
    Issue.objects.filter(pk=issue.pk).update(last_error=f"Sending stopped, will try again: {error}"[:1000])
    logger.warning("Sending issue %s stopped: %s", issue.pk, error)


def _decide_next(issue, report, now):
    if report.stopped == "paused":
        return
    if report.stopped == "server":
        report.next_run = now + conf.seconds("RETRY_DELAY")
        return
    state = Delivery.objects.filter(issue=issue, status__in=IN_PROGRESS).aggregate(
        ready=Count(
            "pk",
            filter=Q(status=DeliveryStatus.QUEUED)
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)),
        ),
        waiting=Min("next_attempt_at", filter=Q(status=DeliveryStatus.QUEUED)),
        held=Count("pk", filter=Q(status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SENDING])),
    )
    if state["ready"]:
        report.next_run = now
    elif state["waiting"]:
        report.next_run = state["waiting"]
    elif state["held"]:
        # Another worker holds the rest; if it vanished, `recover` gives them back.
        report.next_run = now + conf.seconds("CLAIM_TIMEOUT")
    else:
        report.finished = bool(
            Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
                status=IssueStatus.SENT, finished_at=now, chain=""
            )
        )


def new_chain():
    return secrets.token_hex(16)


def recover(now):
    """Give back what vanished workers held and restart stalled issues; returns issue ids to send."""
    cutoff = now - conf.seconds("CLAIM_TIMEOUT")
    Delivery.objects.filter(status=DeliveryStatus.CLAIMED, claimed_at__lt=cutoff).update(
        status=DeliveryStatus.QUEUED, claim=""
    )
    uncertain = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=cutoff)
    if conf.get("RESEND_UNCERTAIN"):
        uncertain.update(
            status=DeliveryStatus.QUEUED,
            claim="",
            last_error="Interrupted while being sent; sent again with the same Message-ID.",
        )
    else:
        uncertain.update(
            status=DeliveryStatus.FAILED,
            claim="",
            last_error="Interrupted while being sent; not sent again, so that nobody gets it twice.",
        )
    restarted = []
    stalled = Issue.objects.filter(status=IssueStatus.SENDING).filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff)
    )
    for issue_id in stalled.values_list("pk", flat=True):
        chain = new_chain()
        if (
            Issue.objects.filter(pk=issue_id, status=IssueStatus.SENDING)
            .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff))
            .update(chain=chain, heartbeat_at=now)
        ):
            restarted.append((issue_id, chain))
    return restarted
