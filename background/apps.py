from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    """Work done outside the request: the task worker, its heartbeat, and mail that must not be lost."""

    name = "background"
    verbose_name = "Background work"

    def ready(self):
        from core.health import register_check

        from .worker import worker_health

        register_check("worker", worker_health)
