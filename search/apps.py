from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from core import changes
        from pagecache.registry import cache_pages

        from . import indexing

        cache_pages(
            "search",
            invalidated_by=[changes.BRIEF_CONTENT, changes.BRIEF_VISIBILITY, changes.TERMS, changes.TAGS],
        )
        changes.subscribe(changes.BRIEF_CONTENT, indexing.refresh_briefs)
        changes.subscribe(changes.BRIEF_VISIBILITY, indexing.refresh_publication)
        changes.subscribe(changes.TERMS, indexing.refresh_terms)
