import json
from pathlib import Path

from django.core.management.base import BaseCommand

from briefs.backup import create_backup


class Command(BaseCommand):
    help = "Write a full backup (content, history, accounts, media list) to a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write, e.g. backups/2026-11-28.json")

    def handle(self, *args, path, **options):
        backup = create_backup()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(backup, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(
            f"Backed up {len(backup['records'])} records and {len(backup['media'])} media references "
            f"to {target} (checksum {backup['checksum'][:16]}…). Copy MEDIA_ROOT alongside it."
        )
