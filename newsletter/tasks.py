"""Background work of the newsletter. Each task takes ids and is safe to run twice."""

import logging

from crontask import cron
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import conf, issues, links, mail, rendering, sending
from .models import Frequency, Issue, Subscriber, SubscriberStatus

logger = logging.getLogger("newsletter.tasks")


@task
def build_issue(frequency):
    """Create the issue of the latest due period of `frequency` and its deliveries, if missing."""
    if frequency not in Frequency.values:
        raise ValueError(f"Unknown frequency {frequency!r}")
    issue, created = issues.build_issue(frequency=frequency)
    return {"issue": issue.pk, "created": created, "status": issue.status}


@task
def send_batch(issue_id, chain=""):
    """Send the next batch of an issue, then queue the batch after it (later, when the mail
    server is unreachable). A chain that no longer owns the issue stops."""
    report = sending.run_batch(issue_id, chain)
    if report.next_run is not None:
        now = timezone.now()
        run_after = report.next_run if report.next_run > now else None
        with transaction.atomic():
            if Issue.objects.filter(pk=issue_id, chain=chain).update(heartbeat_at=max(now, report.next_run)):
                issues.enqueue_batch(issue_id, chain, run_after=run_after)
    return report.as_dict()


@cron("*/5 * * * *")
@task
def send_due_digests_task():
    """The periodic job as a task, for schedulers that enqueue tasks (e.g. django-crontask)."""
    return issues.send_due_digests()


NOTICES = {
    # kind: (template, subject, status the subscriber must still have)
    "confirm": ("confirm", "Confirm your subscription to {site}", SubscriberStatus.PENDING),
    "welcome": ("welcome", "Welcome to the {site} digest", SubscriberStatus.ACTIVE),
    "already": ("already_subscribed", "You are already subscribed to {site}", SubscriberStatus.ACTIVE),
}


@task
def send_notice(subscriber_id, kind):
    """A sign-up mail, if the subscriber is still in the state it was meant for."""
    template, subject, status = NOTICES[kind]
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=status).prefetch_related("topics").first()
    if subscriber is None:
        return {"sent": False}
    context = {
        "frequency": subscriber.get_frequency_display().lower(),
        "topics": [tag.name for tag in subscriber.topics.all()],
    }
    if kind == "confirm":
        context["confirm_url"] = links.confirm_url(subscriber)
    else:
        context["manage_url"] = links.manage_url(subscriber)
        context["unsubscribe_url"] = links.unsubscribe_url(subscriber)
    rendered = rendering.render_notice(template, subject.format(site=settings.SITE_NAME), **context)
    listed = subscriber if kind != "confirm" else None
    mail.notice_message(rendered, to=subscriber.email, subscriber=listed).send(using=conf.get("MAILER"))
    return {"sent": True}
