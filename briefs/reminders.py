"""Reminders the newsroom gets without asking: a scheduled brief has gone live, a review is overdue.

Both are periodic jobs (briefs.tasks) and idempotent: each reminder is recorded in the brief's
history (a Transition), and a brief that already has it is skipped, however often the job runs.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from background.mail import queue_mail
from core import changes
from core.site import absolute_url

from .models import Brief, Status, Transition

WENT_LIVE = "went_live"
OVERDUE_REMINDER = "overdue_reminder"
LOOK_BACK = dt.timedelta(days=7)


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def announce_briefs_gone_live(now=None):
    """Tell the author of each scheduled brief whose time has come that it is live; returns how many."""
    now = now or timezone.now()
    candidates = (
        Brief.objects.published(now)
        .filter(published_at__gte=now - LOOK_BACK)
        .exclude(transitions__action=WENT_LIVE)
        .values_list("pk", flat=True)
    )
    announced = 0
    for pk in list(candidates):
        with transaction.atomic():
            brief = Brief.objects.select_for_update().select_related("author").filter(pk=pk).first()
            if brief is None or not brief.is_published or brief.transitions.filter(action=WENT_LIVE).exists():
                continue
            step = (
                brief.transitions.filter(action__in=["publish", "reschedule"]).order_by("-at", "-id").first()
            )
            if step is None or step.at >= brief.published_at:
                continue  # published on the spot: the author was told then
            Transition.objects.create(
                brief=brief,
                action=WENT_LIVE,
                from_status=Status.PUBLISHED,
                to_status=Status.PUBLISHED,
                note="Went live at its scheduled time",
                at=brief.published_at,
            )
            if brief.author.email:
                queue_mail(
                    to=brief.author.email,
                    subject=f"Now live: {brief.headline}",
                    body=f"Your brief “{brief.headline}” went live as scheduled.\n\n"
                    f"{absolute_url(brief.get_absolute_url())}\n",
                    kind="now live",
                    about=str(brief),
                )
            changes.record(changes.BRIEF_VISIBILITY, [brief.pk])
            announced += 1
    return announced


def remind_overdue_reviews(today=None):
    """Mail each assignee of a brief whose review is overdue, once a day; returns how many."""
    today = today or timezone.localdate()
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    overdue = Brief.objects.filter(
        status=Status.IN_REVIEW, assignee__isnull=False, review_due__lt=today
    ).exclude(transitions__action=OVERDUE_REMINDER, transitions__at__gte=start_of_day)
    reminded = 0
    for pk in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            brief = Brief.objects.select_for_update().select_related("assignee").filter(pk=pk).first()
            if (
                brief is None
                or brief.status != Status.IN_REVIEW
                or brief.assignee is None
                or brief.transitions.filter(action=OVERDUE_REMINDER, at__gte=start_of_day).exists()
            ):
                continue
            days = (today - brief.review_due).days
            Transition.objects.create(
                brief=brief,
                action=OVERDUE_REMINDER,
                from_status=brief.status,
                to_status=brief.status,
                note=f"Reminded {_name(brief.assignee)}: review {days} day{'s' if days != 1 else ''} late",
            )
            queue_mail(
                to=brief.assignee.email,
                subject=f"Review overdue: {brief.headline}",
                body=f"The review of “{brief.headline}” was due on {brief.review_due:%d %B %Y} "
                f"({days} day{'s' if days != 1 else ''} ago).\n\n"
                f"Review it here: {absolute_url(f'/admin/briefs/brief/{brief.pk}/change/')}\n",
                kind="review overdue",
                about=str(brief),
            )
            reminded += 1
    return reminded
