"""Steps of the crash test that run in their own processes, against the test's own database:
`seed N`, `report` (JSON of delivery states), `recover` (the scheduler, two hours later)."""

import datetime as dt
import json
import sys

import django


def seed(count):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from briefs.models import Brief, BriefPoint, LinkKind, SourceLink, Status
    from newsletter import consent, issues, schedule
    from newsletter.models import Subscriber, SubscriberStatus

    start, end = schedule.current_period("weekly", timezone.now())
    author = get_user_model().objects.create(username="author")
    brief = Brief.objects.create(
        headline="What the crash test reads",
        dek="A brief for everyone.",
        author=author,
        status=Status.PUBLISHED,
        published_at=end - dt.timedelta(hours=1),
        first_published_at=end - dt.timedelta(hours=1),
    )
    BriefPoint.objects.create(brief=brief, text="One point.")
    SourceLink.objects.create(
        brief=brief, kind=LinkKind.PRIMARY, publisher="Example", url="https://example.org/"
    )
    confirmed = start - dt.timedelta(days=1)
    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{i}@example.org",
            status=SubscriberStatus.ACTIVE,
            consent_at=confirmed,
            confirmed_at=confirmed,
            consent_version=consent.CURRENT,
        )
        for i in range(count)
    )
    issue, _ = issues.build_issue(frequency="weekly")
    print(json.dumps({"issue": issue.pk, "status": issue.status}))


def report():
    from django.db.models import Count

    from newsletter.models import Delivery, Issue

    states = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by())
    issues = list(Issue.objects.values_list("frequency", "status"))
    print(json.dumps({"deliveries": states, "issues": issues}))


def recover():
    from django.utils import timezone

    from newsletter.issues import send_due_digests

    print(json.dumps(send_due_digests(now=timezone.now() + dt.timedelta(hours=2))))


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    {"seed": lambda: seed(int(args[0])), "report": report, "recover": recover}[command]()
