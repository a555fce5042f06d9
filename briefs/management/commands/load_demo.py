from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from briefs.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts, load_demo


class Command(BaseCommand):
    help = (
        "Create the demo briefs and glossary that are missing (existing records are never changed). "
        "--reset puts them back as shipped; --accounts also creates demo logins (DEBUG only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Create demo staff accounts for each role. Refused unless DEBUG is on.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Rewrite the demo briefs and terms as shipped, undoing any edits made to them.",
        )

    def handle(self, *args, accounts=False, reset=False, **options):
        if accounts and not settings.DEBUG:
            raise CommandError("Demo accounts have a published password; they are only created with DEBUG=1.")
        data = load_demo(reset=reset)
        self.stdout.write(f"Demo content: {len(data['briefs'])} briefs, {len(data['terms'])} terms.")
        if accounts:
            create_demo_accounts()
            names = ", ".join(name for name, _, _ in DEMO_ACCOUNTS)
            self.stdout.write(f"Demo accounts ({names}) with password “{DEMO_PASSWORD}”.")
