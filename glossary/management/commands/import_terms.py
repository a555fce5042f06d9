from django.core.management.base import BaseCommand, CommandError

from glossary.csvio import import_terms_from_bytes


class Command(BaseCommand):
    help = (
        "Add or update glossary terms from a CSV file (name, slug, definition, aliases, related). "
        "A row whose slug exists updates that term. If any row is bad, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file to read (UTF-8).")

    def handle(self, *args, path, **options):
        try:
            with open(path, "rb") as source:
                data = source.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        report = import_terms_from_bytes(data)
        if not report.ok:
            lines = "\n".join(f"  line {line}: {message}" for line, message in report.errors)
            raise CommandError(f"Nothing was imported; {len(report.errors)} problem(s):\n{lines}")
        self.stdout.write(f"Imported {report.created} new and {report.updated} updated terms.")
