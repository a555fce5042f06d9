"""Queued work: tasks commit with their change, a dead worker's tasks run again, mail is retried,
and staff see (and can retry) what failed."""

import datetime as dt
import subprocess
import sys

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.mail import deliver_mail, queue_mail
from background.models import MailStatus, OutgoingMail, WorkerHeartbeat
from background.worker import requeue_tasks_of_dead_workers
from tests.conftest import skip_or_fail
from tests.servers import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": settings.TASK_BACKENDS["database"]}
    settings.TASKS_BACKEND = "database"


class BrokenMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")

    def close(self):
        pass


def test_a_queued_mail_and_its_task_vanish_with_a_rolled_back_step(database_queue):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(to="a@example.com", subject="Hi", body="Hello", kind="test")
        raise RuntimeError("the step fails after queueing its mail")
    assert not OutgoingMail.objects.exists() and not DBTaskResult.objects.exists()


def test_a_queued_mail_waits_in_the_database_queue_until_a_worker_runs_it(database_queue):
    kept = queue_mail(to="a@example.com", subject="Hi", body="Hello", kind="test")
    (queued,) = DBTaskResult.objects.ready()
    assert queued.task_path == "background.mail.deliver_mail" and queued.args_kwargs["args"] == [kept.pk]
    deliver_mail.call(kept.pk)
    deliver_mail.call(kept.pk)  # run twice (a worker restarted): sent once
    assert len(django_mail.outbox) == 1
    kept.refresh_from_db()
    assert kept.status == MailStatus.SENT and kept.message_id.startswith("<outgoing-")
    assert django_mail.outbox[0].extra_headers["Message-ID"] == kept.message_id


def test_a_failed_delivery_is_retried_later_with_back_off(database_queue, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}
    kept = queue_mail(to="a@example.com", subject="Hi", body="Hello", kind="test")
    before = timezone.now()
    deliver_mail.call(kept.pk)
    kept.refresh_from_db()
    assert (
        kept.status == MailStatus.QUEUED and kept.attempts == 1 and "mail server is down" in kept.last_error
    )
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after >= before + dt.timedelta(seconds=29)


def test_running_tasks_of_a_silent_worker_are_queued_again_but_not_those_of_a_live_one(database_queue):
    from background.mail import deliver_mail as task

    long_ago = timezone.now() - dt.timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1, backend="database")
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="h", pid=2, backend="database", seen_at=long_ago
    )
    orphan, busy = task.enqueue(1).id, task.enqueue(2).id
    DBTaskResult.objects.filter(pk=orphan).update(status="RUNNING", started_at=long_ago, worker_ids=["dead"])
    DBTaskResult.objects.filter(pk=busy).update(status="RUNNING", started_at=long_ago, worker_ids=["alive"])
    assert requeue_tasks_of_dead_workers() == 1
    assert DBTaskResult.objects.get(pk=orphan).status == "READY"
    assert DBTaskResult.objects.get(pk=busy).status == "RUNNING"


def test_health_names_the_database_the_cache_and_the_worker(client, database_queue):
    response = client.get("/health/")
    assert response.status_code == 503  # no worker has been heard from
    body = response.json()
    assert body["database"]["ok"] and body["cache"]["ok"] and not body["worker"]["ok"]
    assert response["Retry-After"]
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, backend="database")
    body = client.get("/health/").json()
    assert body["status"] == "ok" and body["worker"]["workers"] == 1


def test_staff_see_undelivered_mail_and_send_it_again(client, moderator, contributor, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}
    kept = queue_mail(to="a@example.com", subject="Changes requested", body="Hello", kind="test")
    kept.refresh_from_db()
    assert kept.status == MailStatus.FAILED
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    url = reverse("admin:background_outgoingmail_changelist")

    client.force_login(contributor)
    assert client.get(url).status_code == 403
    client.post(url, {"action": "send_again", "_selected_action": [kept.pk]})
    kept.refresh_from_db()
    assert kept.status == MailStatus.FAILED

    client.force_login(moderator)
    assert "Changes requested" in client.get(url + "?status=failed").text
    client.post(url, {"action": "send_again", "_selected_action": [kept.pk]})
    kept.refresh_from_db()
    assert kept.status == MailStatus.SENT and len(django_mail.outbox) == 1


def test_a_failed_task_is_shown_with_its_error_and_runs_again_from_the_admin(
    client, superuser, database_queue
):
    from background.mail import deliver_mail as task

    failed = task.enqueue(12345)
    DBTaskResult.objects.filter(pk=failed.id).update(
        status="FAILED", exception_class_path="builtins.ValueError", traceback="ValueError: boom"
    )
    client.force_login(superuser)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = client.get(url).text
    assert "1 failed" in page and "ValueError" in page
    client.post(url, {"action": "run_again", "_selected_action": [str(failed.id)]})
    assert DBTaskResult.objects.ready().count() == 1


def test_the_redis_backend_runs_tasks_through_a_real_rq_worker(tmp_path):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/14", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    redis.Redis.from_url("redis://127.0.0.1:6379/14").flushdb()
    env_text = {
        "DEBUG": "1",
        "SECRET_KEY": "rq-test",
        "TASKS_BACKEND": "redis",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rq.sqlite3'}",
        "SHARED_COUNTERS_DIR": str(tmp_path / "counters"),
        "PATH": "/usr/bin:/bin",
    }
    import os

    env = {**os.environ, **env_text}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "-v0").returncode == 0
    queued = manage(
        "shell",
        "-c",
        "from background.mail import queue_mail; "
        "m = queue_mail(to='r@example.com', subject='Through Redis', body='Hi', kind='test'); print(m.pk)",
    )
    assert queued.returncode == 0, queued.stderr
    worker = manage("run_worker", "--batch")
    assert worker.returncode == 0, worker.stderr
    status = manage(
        "shell", "-c", "from background.models import OutgoingMail; print(OutgoingMail.objects.get().status)"
    )
    assert status.stdout.strip().splitlines()[-1] == "sent", worker.stdout + worker.stderr
    redis.Redis.from_url("redis://127.0.0.1:6379/14").flushdb()
