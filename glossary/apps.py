from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from core import changes
        from pagecache.registry import cache_pages

        from .matcher import invalidate_index

        # Term pages list the briefs using a term, so brief changes purge them too.
        cache_pages(
            "glossary",
            invalidated_by=[
                changes.TERMS,
                changes.BRIEF_CONTENT,
                changes.BRIEF_VISIBILITY,
                changes.RENDITIONS,
            ],
        )
        # Every process rebuilds its term index when the version key moves.
        changes.subscribe(changes.TERMS, lambda ids: invalidate_index())
