"""Background link checks. Tasks take plain URLs and are safe to run twice; two are periodic jobs
(django-crontask): the due links every hour, old history every night."""

from crontask import cron
from django.tasks import task

from . import services


@task
def check_links(urls: list[str]) -> dict:
    """Check these URLs now (an editor asked, or a link was added); {url: state}."""
    return {url: state.state for url, state in services.check_urls(urls).items()}


@cron("17 * * * *")
@task
def check_due_links() -> int:
    """The periodic run: check every link whose time has come. Returns how many were checked."""
    return services.check_due_links()


@cron("45 3 * * *")
@task
def prune_link_checks() -> int:
    """Periodic clean-up of old check history. Returns how many rows were deleted."""
    return services.prune_checks()
