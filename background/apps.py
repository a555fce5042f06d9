from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    """Work done outside the request: the task worker, its heartbeat, and mail that must not be lost."""

    name = "background"
    verbose_name = "Background work"
