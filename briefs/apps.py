from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self):
        from PIL import Image

        from .images import MAX_PIXELS

        # Pillow warns above this and refuses at twice it, from the header alone.
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
