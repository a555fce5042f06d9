import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from briefs.backup import RestoreError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup written by `backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            backup = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            digest = restore_backup(backup)
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {len(backup['records'])} records; checksum {digest[:16]}… matches.")
