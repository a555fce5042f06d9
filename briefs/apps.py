from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self):
        from PIL import Image

        from .images import MAX_PIXELS

        # Pillow warns above this and refuses at twice it, from the header alone.
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS

        from briefs.renditions import connect_signals as connect_renditions
        from briefs_cms.caching import connect_signals as connect_page_cache

        connect_page_cache()
        connect_renditions()
