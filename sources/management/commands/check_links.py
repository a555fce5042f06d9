from django.core.management.base import BaseCommand

from sources import services


class Command(BaseCommand):
    help = (
        "Check the source links that are due (or the URLs given) and record what was found. "
        "Run it every hour or so (cron, a systemd timer or django-crontask); running it twice does no harm."
    )

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", help="check these URLs now instead of the due ones")
        parser.add_argument("--prune", action="store_true", help="also delete check history past its age")

    def handle(self, *args, urls, prune, **options):
        if urls:
            for url, state in services.check_urls(urls, force=True).items():
                detail = state.last_status_code or state.get_last_outcome_display()
                self.stdout.write(f"{state.get_state_display()} ({detail}): {url}")
        else:
            self.stdout.write(f"Checked {services.check_due_links()} due link(s).")
        if prune:
            self.stdout.write(f"Deleted {services.prune_checks()} old check(s).")
