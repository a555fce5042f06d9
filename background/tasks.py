"""Housekeeping of the task queue and the database, as periodic jobs (django-crontask)."""

from crontask import cron
from django.conf import settings
from django.core.management import call_command
from django.db import connection
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


@cron("50 3 * * *")
@task
def refresh_database_statistics():
    """SQLite plans its queries from statistics only ANALYZE gathers (PostgreSQL's autovacuum keeps
    its own): without them it reads a term's or a tag's briefs by scanning the archive."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
