"""Newsletter fixtures: a real SMTP server, the database task worker, and a published week."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from taggit.models import Tag

from newsletter import schedule
from tests.factories import BriefFactory, TermFactory
from tests.smtp import SMTPServer


def ensure_newsletter_roles():
    """Give the role groups their newsletter permissions again after a transactional test's flush."""
    from importlib import import_module

    roles = import_module("newsletter.migrations.0002_roles").ROLES
    for role, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


@pytest.fixture
def editor(editor):
    ensure_newsletter_roles()
    return editor


@pytest.fixture
def moderator(moderator):
    ensure_newsletter_roles()
    return moderator


@pytest.fixture(autouse=True)
def newsletter_settings(settings):
    # Sending is tested with the real embedded queue: tasks wait as rows until a worker runs them.
    settings.TASKS = {"default": settings.TASK_BACKENDS["database"]}
    settings.NEWSLETTER_SEND_RATE = 0
    settings.NEWSLETTER_TIME_ZONE = "UTC"
    settings.NEWSLETTER_FROM_EMAIL = "Briefs <digest@briefs.example>"
    settings.SITE_URL = "https://briefs.example"
    return settings


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and the site's mailer pointed at it. Yields its sink."""
    with SMTPServer() as server:
        settings.MAILERS = server.mailers
        yield server.sink


def run_ready_tasks(limit):
    """What `manage.py db_worker --batch` does, minus its connection recycling, which would
    close the test's transaction: claim each ready task as the worker does and run it."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                break
            result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        if result.status == "FAILED":
            raise AssertionError(f"Task {result.task_path} failed:\n{result.traceback}")
        ran += 1
    return ran


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run queued tasks (and the ones they queue) until none is ready. Returns how many ran."""

    def run(limit=1000):
        total = 0
        while total < limit:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                ran = run_ready_tasks(limit - total)
            total += ran
            if not ran and not callbacks:
                break
        return total

    return run


@pytest.fixture
def week():
    """The latest weekly period (start, end) as the scheduler sees it now."""
    return schedule.current_period("weekly", timezone.now())


@pytest.fixture
def tags(db):
    return {name: Tag.objects.create(name=name, slug=name) for name in ("safety", "theory", "vision")}


@pytest.fixture
def published_week(week, tags):
    """Three briefs published during the week (one per topic), one term approved, one draft."""
    start, end = week
    approved = TermFactory(name="Scaling law", definition="How a model's loss falls as it grows.")
    draft = TermFactory(name="Secret sauce", definition="An unapproved draft definition.", draft=True)
    briefs = []
    for i, tag in enumerate(("safety", "theory", "vision")):
        brief = BriefFactory(
            published=True,
            headline=f"A {tag} finding",
            dek=f"What the {tag} paper shows.",
            points=[f"First {tag} point.", f"Second {tag} point."],
            terms=[approved, draft] if tag == "safety" else [],
            tags=[tags[tag]],
        )
        brief.published_at = end - dt.timedelta(hours=2 + i)
        brief.save()
        briefs.append(brief)
    return {"briefs": briefs, "approved": approved, "draft": draft}
