from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self):
        from PIL import Image

        from core import changes
        from glossary.usage import register_brief_count
        from pagecache.registry import cache_pages

        from . import reading, selectors, services, sourcing, tasks
        from .images import MAX_PIXELS

        # Pillow warns above this and refuses at twice it, from the header alone.
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS

        # Before the page cache purges on the same change: no card is kept with an old count.
        changes.subscribe(changes.BRIEF_CONTENT, reading.refresh_word_counts)
        cache_pages(
            "briefs",
            invalidated_by=[
                changes.BRIEF_CONTENT,
                changes.BRIEF_VISIBILITY,
                changes.RENDITIONS,
                changes.TERMS,
                changes.TAGS,
                changes.PEOPLE,
                changes.OUTLETS,
                changes.LINK_STATES,
            ],
            private=["shared"],  # briefs:shared, the share-link view of an unpublished brief
            next_change=selectors.next_visibility_change,
        )
        changes.subscribe(changes.HERO_IMAGE, tasks.on_hero_image)
        register_brief_count(selectors.published_brief_count)
        changes.subscribe(changes.ACCESS, services.revoke_share_links_of)
        # New and changed source links join the link checker's list.
        changes.subscribe(changes.BRIEF_CONTENT, sourcing.track_links_of)
