"""Settings for the worker processes of the crash test: the site's, with small batches."""

from briefs_cms.settings import *  # noqa: F403

NEWSLETTER_BATCH_SIZE = 20
NEWSLETTER_SEND_RATE = 0
NEWSLETTER_TIME_ZONE = "UTC"
NEWSLETTER_RETRY_DELAY = 3600
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
