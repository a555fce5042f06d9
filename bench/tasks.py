"""Tasks that exist only to measure the worker."""

from django.tasks import task


@task
def noop():
    """Nothing: what is measured is the queue and the worker around it."""
