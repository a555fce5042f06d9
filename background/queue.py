"""Queueing tasks so no work is lost, and retrying them with back-off.

`enqueue_with_change` queues a task as part of the caller's transaction: with the database
backend the task's row is written in that transaction, so the task exists exactly when the
change that needs it committed; other backends are handed the task once the transaction
commits. Tasks take ids and are safe to run twice, so a task run again after a crash does
no harm.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

# Seconds to wait before attempt 2, 3, 4…; the last step repeats.
BACKOFF = (30, 120, 600, 1800, 7200)


def stores_in_database(task):
    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_with_change(task, *args, **kwargs):
    """Queue `task` so that it runs if, and only if, the current transaction commits."""
    if stores_in_database(task) and transaction.get_connection().in_atomic_block:
        return task.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)
    return None


def retry_later(task, attempt, *args, **kwargs):
    """Queue attempt `attempt + 1` of `task` after the back-off for `attempt`."""
    delay = BACKOFF[min(attempt, len(BACKOFF)) - 1]
    backend = task.get_backend()
    if backend.supports_defer:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    return task.enqueue(*args, attempt=attempt + 1, **kwargs)
