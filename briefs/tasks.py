"""Background work of the briefs app: renditions, and the reminders of the periodic jobs."""

from django.tasks import task

from . import renditions


@task
def build_renditions(brief_ids=None):
    """Resized copies of the hero images of these briefs (all when None) that are out of date."""
    return renditions.refresh_renditions(brief_ids)


def on_hero_image(ids):
    build_renditions.enqueue(None if ids is None else sorted(ids))
