from django.core.management.base import BaseCommand

from newsletter.issues import send_due_digests


class Command(BaseCommand):
    help = (
        "Build the digests that are due, pick up stalled sends and apply the retention rules. "
        "Run it every few minutes (cron, a systemd timer or django-crontask); running it twice does no harm."
    )

    def handle(self, *args, **options):
        summary = send_due_digests()
        self.stdout.write(
            f"New issues: {len(summary['issues'])}; restarted: {len(summary['restarted'])}; "
            f"erased: {summary['erased']}; stored mails deleted: {summary['mails_purged']}"
        )
