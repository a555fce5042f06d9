from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self):
        from briefs.renditions import connect_signals as connect_renditions
        from briefs_cms.caching import connect_signals as connect_page_cache

        connect_page_cache()
        connect_renditions()
