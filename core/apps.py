from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class CoreConfig(AppConfig):
    """Helpers every app shares: text hygiene, site addresses, the one path for side effects."""

    name = "core"
    verbose_name = "Core"


class TagsConfig(TaggitAppConfig):
    """Taggit, titled "Tags" in the admin (its own name is the library's)."""

    verbose_name = "Tags"
