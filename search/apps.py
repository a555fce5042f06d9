from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from core import changes
        from pagecache.registry import cache_pages

        from . import tasks

        cache_pages(
            "search",
            invalidated_by=[changes.BRIEF_CONTENT, changes.BRIEF_VISIBILITY, changes.TERMS, changes.TAGS],
        )
        # The index follows every change, in the background.
        changes.subscribe(changes.BRIEF_CONTENT, tasks.on_brief_content)
        changes.subscribe(changes.BRIEF_VISIBILITY, tasks.on_brief_visibility)
        changes.subscribe(changes.TERMS, tasks.on_terms)
