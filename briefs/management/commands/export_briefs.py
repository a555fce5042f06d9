from django.core.management.base import BaseCommand

from briefs.transfer import export_briefs


class Command(BaseCommand):
    help = (
        "Write every brief (any status) to a JSON Lines file, one brief per line. See docs/import-export.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="File to write, e.g. briefs.jsonl; '-' writes to standard output.")

    def handle(self, *args, out, **options):
        if out == "-":
            count = export_briefs(self.stdout)
        else:
            with open(out, "w", encoding="utf-8", newline="\n") as stream:
                count = export_briefs(stream)
        self.stderr.write(f"Exported {count} brief(s).")
