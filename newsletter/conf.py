"""The digest's settings and their defaults; each can be set in settings.py as NEWSLETTER_<NAME>."""

import datetime as dt
import zoneinfo

from django.conf import settings

DEFAULTS = {
    # Who mails come from, and which MAILERS alias sends them (an anymail provider, or SMTP).
    "FROM_EMAIL": None,  # DEFAULT_FROM_EMAIL
    "MAILER": "default",
    # Optional: a mailbox that unsubscribes whoever writes to it, added to List-Unsubscribe.
    "UNSUBSCRIBE_MAILTO": "",
    # Shown in every mail's footer when set (some countries require a postal address).
    "POSTAL_ADDRESS": "",
    # When digests go out, in the newsroom's time zone: daily at DAILY_HOUR, weekly on
    # WEEKLY_DAY (0 = Monday) at WEEKLY_HOUR.
    "TIME_ZONE": None,  # TIME_ZONE
    "DAILY_HOUR": 7,
    "WEEKLY_DAY": 0,
    "WEEKLY_HOUR": 7,
    # Issues start sending on their own; False makes them drafts a moderator starts.
    "AUTO_SEND": True,
    # Sending: deliveries per task, mails per second per worker (0 = as fast as the server takes
    # them), attempts for one address, and when a stalled send is picked up again.
    "BATCH_SIZE": 100,
    "SEND_RATE": 10.0,
    "MAX_ATTEMPTS": 3,
    "RETRY_DELAY": 300,  # seconds before a send stopped by an unreachable mail server tries again
    "CLAIM_TIMEOUT": 900,  # seconds after which deliveries a vanished worker held are taken back
    # A mail interrupted between the server's acceptance and our record of it: send it again
    # (with the same Message-ID) rather than risk that the reader gets nothing.
    "RESEND_UNCERTAIN": True,
    # What a digest holds: at most MAX_BRIEFS briefs, never older than MAX_LOOKBACK_DAYS.
    "MAX_BRIEFS": 20,
    "MAX_LOOKBACK_DAYS": 31,
    "DEFINITION_LENGTH": 180,
    # Sign-up: confirmation links last CONFIRM_DAYS; one address gets at most one confirmation
    # mail every CONFIRM_RESEND_MINUTES; the form takes SUBSCRIBE_RATE posts per client address.
    "CONFIRM_DAYS": 3,
    "CONFIRM_RESEND_MINUTES": 10,
    "SUBSCRIBE_RATE": "10/h",
    "TOPIC_CHOICES": 30,
    # Retention (see docs/newsletter.md): unconfirmed sign-ups and unsubscribed addresses are
    # erased after these many days; the stored text of sent mails after KEEP_MAILS_DAYS.
    "PURGE_PENDING_DAYS": 7,
    "PURGE_UNSUBSCRIBED_DAYS": 30,
    "KEEP_MAILS_DAYS": 90,
}


def get(name):
    value = getattr(settings, f"NEWSLETTER_{name}", DEFAULTS[name])
    if value is None and name == "FROM_EMAIL":
        return settings.DEFAULT_FROM_EMAIL
    if value is None and name == "TIME_ZONE":
        return settings.TIME_ZONE
    return value


def newsroom_zone():
    return zoneinfo.ZoneInfo(get("TIME_ZONE"))


def seconds(name):
    return dt.timedelta(seconds=float(get(name)))
