from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from briefs.transfer import ImportRefused, import_briefs


class Command(BaseCommand):
    help = (
        "Create or update briefs by slug from a JSON Lines file written by export_briefs. Every record is "
        "checked first; if any is bad, every problem is listed and nothing is written. "
        "See docs/import-export.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .jsonl file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--create-terms",
            action="store_true",
            help="Add glossary terms the file uses but this site lacks, from the records' term_definitions.",
        )
        parser.add_argument(
            "--user",
            help=(
                "Username of the person importing. Statuses and dates are kept only if they may publish; "
                "otherwise briefs arrive as drafts. Briefs whose author has no account here become theirs."
            ),
        )

    def handle(self, *args, path, dry_run=False, create_terms=False, user=None, **options):
        importer = None
        if user:
            User = get_user_model()
            try:
                importer = User.objects.get_by_natural_key(user)
            except User.DoesNotExist:
                raise CommandError(f"There is no user {user!r}.") from None
        try:
            result = import_briefs(path, user=importer, create_terms=create_terms, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(str(refused)) from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {len(result.created) + len(result.updated)} brief(s): {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.terms_created)} new term(s)."
        )
        if result.made_drafts:
            who = f"{user} may not publish" if user else "no --user who may publish was given"
            self.stdout.write(f"{len(result.made_drafts)} brief(s) arrive as drafts: {who}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
