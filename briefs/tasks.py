"""Background work of the briefs app: renditions, and the periodic reminders and link tracking
(django-crontask)."""

from crontask import cron
from django.tasks import task

from . import kept_upload, reminders, renditions, sourcing


@task
def build_renditions(brief_ids=None):
    """Resized copies of the hero images of these briefs (all when None) that are out of date."""
    return renditions.refresh_renditions(brief_ids)


def on_hero_image(ids):
    build_renditions.enqueue(None if ids is None else sorted(ids))


@cron("* * * * *")
@task
def announce_briefs_gone_live():
    return reminders.announce_briefs_gone_live()


@cron("0 8 * * *")
@task
def remind_overdue_reviews():
    return reminders.remind_overdue_reviews()


@cron("5 * * * *")
@task
def track_source_links():
    """Every source link's URL is on the link checker's list, even links written in bulk. Returns how
    many URLs were new."""
    return sourcing.track_all_links()


@cron("30 3 * * *")
@task
def sweep_kept_uploads():
    """Hero images kept for a refused form whose tokens have run out: nobody can use them any more."""
    return kept_upload.sweep_kept_uploads()
