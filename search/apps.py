from django.apps import AppConfig
from django.db.models.signals import post_save

PUBLICATION_FIELDS = {"status", "published_at"}


def _brief_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or PUBLICATION_FIELDS & set(update_fields):
        from .indexing import sync_publication

        sync_publication(instance)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        post_save.connect(_brief_saved, sender="briefs.Brief", dispatch_uid="search-sync-publication")
