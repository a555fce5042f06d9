import sys

from django.core.management.base import BaseCommand

from glossary.csvio import export_terms


class Command(BaseCommand):
    help = "Write every glossary term to a CSV file: name, slug, definition, aliases, related."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the CSV file; “-” for standard output.")

    def handle(self, *args, path, **options):
        if path == "-":
            count = export_terms(sys.stdout)
        else:
            with open(path, "w", encoding="utf-8", newline="") as out:
                count = export_terms(out)
            self.stderr.write(f"Exported {count} terms to {path}.")
