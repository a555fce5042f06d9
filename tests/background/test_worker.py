"""The task worker: a real worker process, killed in the middle of a batch, loses no work.

Against a database of the test's own (SQLite file or PostgreSQL), a real SMTP server on
loopback and real `manage.py run_worker` processes.
"""

import collections
import signal
import sys
import time

import pytest

from tests.servers import site_database, stop
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)

MAILS, IMAGES = 450, 50

SEED = f"""
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image
from background.mail import queue_mail
from briefs import services
from briefs.models import Brief
from django.contrib.auth import get_user_model

author = get_user_model().objects.create(username="author")
for n in range({IMAGES}):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (n * 5 % 255, 90, 160)).save(buffer, "PNG")
    brief = Brief(headline=f"Brief {{n}}", author=author, hero_alt="A colour", hero_credit="Test")
    brief.hero_image = SimpleUploadedFile(f"hero-{{n}}.png", buffer.getvalue(), content_type="image/png")
    services.save_brief(brief)
with transaction.atomic():
    for n in range({MAILS}):
        queue_mail(to=f"reader{{n}}@example.com", subject=f"Notice {{n}}", body="Hello.", kind="test")
"""

REPORT = """
import json
from django_tasks_db.models import DBTaskResult
from background.models import OutgoingMail
from briefs.models import Brief
from briefs.renditions import renditions_are_current
statuses = {}
for status in DBTaskResult.objects.values_list("status", flat=True):
    statuses[status] = statuses.get(status, 0) + 1
mails = {}
for status in OutgoingMail.objects.values_list("status", flat=True):
    mails[status] = mails.get(status, 0) + 1
stale = [b.pk for b in Brief.objects.all() if not b.hero_image or not renditions_are_current(b)]
print(json.dumps({"tasks": statuses, "mails": mails, "without_renditions": stale}))
"""


def report(site):
    import json

    return json.loads(site.python(REPORT).stdout.strip().splitlines()[-1])


def start_worker(site, name):
    return site.start(sys.executable, "manage.py", "run_worker", "--worker-id", name, "-v", "0")


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_batch_leaves_every_task_done_exactly_once_in_effect(tmp_path):
    with SMTPServer() as smtp:
        smtp.sink.block_after = 200  # the 201st mail is held: the worker is killed while sending it
        env = {
            "TASKS_BACKEND": "database",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "0",
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_PRESUMED_DEAD_SECONDS": "3",
        }
        with site_database(tmp_path, extra_env=env, demo=False) as site:
            site.python(SEED, timeout=300)
            queued = report(site)["tasks"]
            total = queued["READY"]  # a mail each, and a rendition and an index refresh per brief
            assert set(queued) == {"READY"} and total == MAILS + 2 * IMAGES

            first = start_worker(site, "first")
            assert smtp.sink.blocked.wait(180), "the worker never reached the 201st mail"
            stop(first, signal.SIGKILL)
            smtp.sink.release.set()  # the mail in flight was never accepted by the server
            smtp.sink.block_after = None
            midway = report(site)
            assert midway["tasks"].get("RUNNING") == 1, midway  # the one the dead worker held

            start_worker(site, "second")
            done = wait_until(
                lambda: (r := report(site))["tasks"].get("SUCCESSFUL") == total and r,
                240,
                "every task to finish",
            )

        received = collections.Counter(smtp.sink.recipients())
        assert done["mails"] == {"sent": MAILS}
        assert done["without_renditions"] == []
        assert len(received) == MAILS and set(received.values()) == {1}, received.most_common(3)
