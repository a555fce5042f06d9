"""The link checker's settings, with the defaults used when the project does not set them.

`briefs_cms/settings.py` sets each from the environment and says what it means; the defaults
here keep the app usable on its own.
"""

from django.conf import settings

DEFAULTS = {
    "SOURCES_CONNECT_TIMEOUT": 5.0,
    "SOURCES_READ_TIMEOUT": 10.0,
    "SOURCES_URL_DEADLINE": 30.0,
    "SOURCES_MAX_BODY_BYTES": 64 * 1024,
    "SOURCES_MAX_REDIRECTS": 10,
    "SOURCES_HOST_INTERVAL": 1.0,
    "SOURCES_CHECK_WORKERS": 16,
    "SOURCES_CHECK_BATCH": 500,
    "SOURCES_MIN_RECHECK_SECONDS": 60,
    "SOURCES_BROKEN_AFTER_FAILURES": 3,
    "SOURCES_BROKEN_AFTER_HOURS": 48,
    "SOURCES_RECHECK_OK_HOURS": 24 * 7,
    "SOURCES_RECHECK_FAILING_HOURS": 6,
    "SOURCES_RECHECK_BROKEN_HOURS": 24,
    "SOURCES_KEEP_CHECKS_DAYS": 365,
    "SOURCES_TLS_CA_FILE": None,
    "SOURCES_ALLOW_LOOPBACK_FOR_TESTS": False,
    # Hosts whose links belong to many publishers: never attached to an outlet automatically
    # (an editor may still add one to an outlet by hand).
    "SOURCES_SHARED_DOMAINS": (
        "doi.org",
        "dx.doi.org",
        "archive.org",
        "archive.ph",
        "archive.today",
        "archive.is",
        "t.co",
        "bit.ly",
        "tinyurl.com",
        "ow.ly",
        "lnkd.in",
        "google.com",
        "news.google.com",
        "docs.google.com",
        "drive.google.com",
        "youtube.com",
        "youtu.be",
        "github.com",
        "gitlab.com",
        "huggingface.co",
        "twitter.com",
        "x.com",
        "linkedin.com",
        "facebook.com",
        "reddit.com",
        "medium.com",
        "substack.com",
        "wordpress.com",
        "blogspot.com",
        "github.io",
        "researchgate.net",
        "academia.edu",
        "zenodo.org",
        "osf.io",
        "figshare.com",
        "dropbox.com",
    ),
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])
