from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app shares: text hygiene, site addresses, the one path for side effects."""

    name = "core"
    verbose_name = "Core"
