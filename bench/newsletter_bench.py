"""`make bench-newsletter`: one weekly issue to N subscribers (two topic choices each) into a
local SMTP sink, through the real task worker. Reports mails per second, SQL queries per mail
(all of them: the sending code's and the task queue's) and peak memory.

Runs on PostgreSQL (database `briefs_newsletter_bench`, created and migrated on first use) or,
with --sqlite, on a SQLite file. The sink (bench/smtp_sink.py) is another process, so counting
mails costs this one nothing. Benchmarks report; they never fail.

    python bench/newsletter_bench.py [--subscribers 1000 10000] [--batch 100] [--sqlite]
"""

import argparse
import datetime as dt
import json
import logging
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "briefs_newsletter_bench"
RESULTS = ROOT / "bench" / "results-newsletter.json"
TOPICS = [f"topic-{i:02d}" for i in range(12)]
BRIEFS = 60


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_postgres_database():
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    return f"{PG_URL}/{DB_NAME}"


def configure(database_url, smtp_port, batch):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="briefs_cms.settings",
        DATABASE_URL=database_url,
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        NEWSLETTER_SEND_RATE="0",
        NEWSLETTER_TIME_ZONE="UTC",
        SITE_URL="https://briefs.example",
    )
    import django
    from django.conf import settings

    django.setup()
    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # one line per task otherwise
    settings.NEWSLETTER_BATCH_SIZE = batch
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed_briefs(period):
    """BRIEFS published briefs in the week, each with 4 points, 3 approved terms, 2 topics, a source."""
    from django.contrib.auth import get_user_model
    from taggit.models import Tag

    from briefs.models import Brief, BriefPoint, BriefTerm, LinkKind, SourceLink, Status
    from glossary.models import Term, TermStatus

    start, end = period
    if Brief.objects.filter(headline__startswith="Bench brief", published_at__gt=start).count() >= BRIEFS:
        return
    Brief.objects.filter(headline__startswith="Bench brief").delete()
    author, _ = get_user_model().objects.get_or_create(username="bench-author")
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TOPICS]
    terms = [
        Term.objects.get_or_create(
            name=f"bench term {i}",
            defaults={
                "definition": f"A plain-words definition of bench term {i}, a sentence or two long.",
                "status": TermStatus.APPROVED,
            },
        )[0]
        for i in range(30)
    ]
    briefs = Brief.objects.bulk_create(
        Brief(
            headline=f"Bench brief {i}: a finding about models and data",
            slug=f"bench-brief-{i}",
            dek="One paragraph that sums the brief up for a reader in a hurry. " * 2,
            author=author,
            status=Status.PUBLISHED,
            published_at=end - dt.timedelta(hours=2 * i + 1),
            first_published_at=end - dt.timedelta(hours=2 * i + 1),
        )
        for i in range(BRIEFS)
    )
    BriefPoint.objects.bulk_create(
        BriefPoint(
            brief=b, text=f"Point {p} of this brief, a sentence of the kind editors write.", position=p
        )
        for b in briefs
        for p in range(4)
    )
    SourceLink.objects.bulk_create(
        SourceLink(
            brief=b, kind=LinkKind.PRIMARY, publisher="arXiv", url=f"https://arxiv.org/abs/2612.{b.pk:05d}"
        )
        for b in briefs
    )
    BriefTerm.objects.bulk_create(
        BriefTerm(brief=b, term=terms[(i + k) % len(terms)], position=k)
        for i, b in enumerate(briefs)
        for k in range(3)
    )
    for i, brief in enumerate(briefs):
        brief.tags.add(tags[i % len(tags)], tags[(i * 5 + 3) % len(tags)])


def seed_subscribers(count, period):
    from taggit.models import Tag

    from newsletter import consent
    from newsletter.models import Delivery, DigestContent, Issue, Subscriber, SubscriberStatus

    Delivery.objects.all().delete()
    DigestContent.objects.all().delete()
    Issue.objects.all().delete()
    Subscriber.objects.all().delete()
    confirmed = period[0] - dt.timedelta(days=1)
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{i}@example.org",
            status=SubscriberStatus.ACTIVE,
            consent_at=confirmed,
            confirmed_at=confirmed,
            consent_version=consent.CURRENT,
        )
        for i in range(count)
    )
    tags = list(Tag.objects.filter(name__in=TOPICS).order_by("name"))
    through = Subscriber.topics.through
    through.objects.bulk_create(
        [
            through(subscriber_id=s.pk, tag_id=tags[k].pk)
            for i, s in enumerate(subscribers)
            for k in {i % len(tags), (i * 7 + 1) % len(tags)}
            | ({(i + 1) % len(tags)} if i % len(tags) == (i * 7 + 1) % len(tags) else set())
        ],
        batch_size=5000,
    )


def run_size(count, batch):
    from django.db import connection, reset_queries
    from django.utils import timezone
    from django_tasks_db.management.commands.db_worker import Worker

    from newsletter import issues, schedule
    from newsletter.models import Delivery, DeliveryStatus

    period = schedule.current_period("weekly", timezone.now())
    seed_briefs(period)
    seed_subscribers(count, period)
    queries = {"n": 0}

    def counting(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    issue, _ = issues.build_issue(frequency="weekly")
    build_seconds = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )
    reset_queries()
    started = time.perf_counter()
    cpu_started = time.process_time()
    with connection.execute_wrapper(counting):
        worker.run()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    sent = Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENT).count()
    distinct = issue.contents.count()
    return {
        "subscribers": count,
        "sent": sent,
        "distinct_digests": distinct,
        "build_seconds": round(build_seconds, 2),
        "send_seconds": round(seconds, 2),
        "mails_per_second": round(sent / seconds, 1),
        "cpu_ms_per_mail": round(1000 * cpu / max(sent, 1), 2),
        "queries": queries["n"],
        "queries_per_mail": round(queries["n"] / max(sent, 1), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_growth_while_sending_mb": round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()

    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port)], stdout=subprocess.PIPE, text=True
    )
    assert sink.stdout.readline().strip() == "ready"
    database = (
        f"sqlite:///{ROOT / 'bench' / '.newsletter-bench.sqlite3'}"
        if args.sqlite
        else ensure_postgres_database()
    )
    try:
        configure(database, port, args.batch)
        from django.db import connection

        rows = [run_size(count, args.batch) for count in args.subscribers]
    finally:
        sink.terminate()
        counted = json.loads(sink.communicate(timeout=30)[0].strip().splitlines()[-1])
    result = {"database": connection.vendor, "batch_size": args.batch, "sink": counted, "runs": rows}
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Newsletter send ({connection.vendor}, batches of {args.batch}, SMTP sink on 127.0.0.1)")
    print(
        f"{'subscribers':>11} {'mails/s':>8} {'queries/mail':>13} {'cpu ms/mail':>12} {'digests':>8} "
        f"{'build s':>8} {'send s':>7} {'peak RSS MB':>12}"
    )
    for row in rows:
        print(
            f"{row['subscribers']:>11,} {row['mails_per_second']:>8} {row['queries_per_mail']:>13} "
            f"{row['cpu_ms_per_mail']:>12} {row['distinct_digests']:>8} {row['build_seconds']:>8} "
            f"{row['send_seconds']:>7} {row['peak_rss_mb']:>12}"
        )
    size = counted["bytes"] / 1e6
    print(f"The sink counted {counted['mails']:,} mails ({size:.1f} MB). Written to {RESULTS}.")


if __name__ == "__main__":
    main()
