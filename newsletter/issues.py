"""Making issues: the scheduler's side of the digest. Safe to run any number of times."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from briefs.models import Brief

from . import conf, schedule, sending
from .models import Delivery, Frequency, Issue, IssueStatus, Subscriber, SubscriberStatus

logger = logging.getLogger("newsletter.issues")


def build_issue(*, frequency, now=None):
    """The issue of the latest due period of `frequency`, created with its deliveries if it is
    not there yet. Returns (issue, created)."""
    now = now or timezone.now()
    start, end = schedule.current_period(frequency, now)
    with transaction.atomic():
        issue, created = Issue.objects.get_or_create(
            frequency=frequency, period_end=end, defaults={"period_start": start}
        )
        if not created:
            return issue, False
        lookback = end - dt.timedelta(days=int(conf.get("MAX_LOOKBACK_DAYS")))
        rows = []
        for pk, last in Subscriber.objects.filter(
            status=SubscriberStatus.ACTIVE, frequency=frequency, confirmed_at__lte=end
        ).values_list("pk", "last_issue_at"):
            since = max(last or start, lookback)
            if since < end:
                rows.append(Delivery(issue=issue, subscriber_id=pk, since=since))
        earliest = min((row.since for row in rows), default=None)
        if earliest is None or not (
            Brief.objects.published(now).filter(published_at__gt=earliest, published_at__lte=end).exists()
        ):
            issue.status, issue.finished_at = IssueStatus.NOTHING_NEW, now
            issue.save(update_fields=["status", "finished_at"])
            return issue, True
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        if conf.get("AUTO_SEND"):
            start_sending(issue, now=now)
        logger.info("Issue %s built with %s deliveries", issue.pk, len(rows))
        return issue, True


def start_sending(issue, *, now=None):
    """Hand the issue to a new sending chain (after the transaction commits)."""
    issue.status = IssueStatus.SENDING
    issue.started_at = issue.started_at or now or timezone.now()
    issue.chain = sending.new_chain()
    issue.heartbeat_at = now or timezone.now()
    issue.save(update_fields=["status", "started_at", "chain", "heartbeat_at"])
    enqueue_batch(issue.pk, issue.chain)


def enqueue_batch(issue_id, chain, run_after=None):
    from .tasks import send_batch

    def enqueue():
        task = send_batch.using(run_after=run_after) if run_after else send_batch
        task.enqueue(issue_id, chain)

    transaction.on_commit(enqueue)


def send_due_digests(now=None):
    """What the scheduler calls, every few minutes: build the issues that are due, pick up
    stalled sends, apply the retention rules. Idempotent."""
    from .privacy import purge

    now = now or timezone.now()
    built = [build_issue(frequency=frequency, now=now) for frequency in Frequency.values]
    restarted = sending.recover(now)
    for issue_id, chain in restarted:
        enqueue_batch(issue_id, chain)
    purged = purge(now=now)
    return {
        "issues": [issue.pk for issue, created in built if created],
        "restarted": [issue_id for issue_id, _ in restarted],
        **purged,
    }
