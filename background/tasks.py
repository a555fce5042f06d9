"""Housekeeping of the task queue itself, as periodic jobs (django-crontask)."""

from crontask import cron
from django.conf import settings
from django.core.management import call_command
from django.tasks import task


@cron("30 3 * * *")
@task
def prune_finished_tasks():
    """Finished tasks are kept 14 days for the monitor (failed ones 30), then removed."""
    if settings.TASKS_BACKEND == "database":
        call_command(
            "prune_db_task_results",
            "--queue-name",
            "*",
            "--min-age-days",
            "14",
            "--failed-min-age-days",
            "30",
        )
