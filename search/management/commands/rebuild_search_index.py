from django.core.management.base import BaseCommand

from search.indexing import rebuild_search_index


class Command(BaseCommand):
    help = "Refresh the search entries of every brief and term (after a bulk import or a restore)."

    def handle(self, *args, **options):
        briefs, terms = rebuild_search_index()
        self.stdout.write(f"Search index refreshed: {briefs} briefs, {terms} terms.")
