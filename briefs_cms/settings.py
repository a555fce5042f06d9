"""Briefs CMS settings: one module, configured from the environment.

Every value that differs between a laptop and production comes from an
environment variable (see `.env.example`). Without `DEBUG` the site refuses to
start unless the secrets it needs are given, so a forgotten variable fails
loudly instead of running with a development default.
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DEBUG=1 for local development with a throwaway key."
        )
    SECRET_KEY = "dev-" + get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in feeds, sitemaps, canonical links and emails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# In development, pages link to the address they are browsed at (core/site.py); on by
# default when SITE_URL is not set. Production always uses SITE_URL.
SITE_URL_FROM_REQUEST = DEBUG and env_bool("SITE_URL_FROM_REQUEST", env("SITE_URL") is None)
SITE_NAME = env("SITE_NAME", "AI Research Briefs")

INSTALLED_APPS = [
    "core.admin_site.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "core.apps.TagsConfig",  # taggit, titled "Tags"
    "reversion",
    "axes",
    "ninja",
    "core",
    "pagecache",
    "accounts",
    "glossary",
    "briefs",
    "api",
    "search",
    "django_tasks_db",
    "crontask",
    "background",
    "newsletter",
    "sources",
]
# Benchmark tools (the archive generator) where the checkout has them; the production image leaves them out.
if importlib.util.find_spec("bench") is not None and env_bool("BENCH_TOOLS", True):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.site.RequestSiteURLMiddleware",
    "core.middleware.DropNulFromQueryMiddleware",
    "core.ratelimit.RequestRateLimitMiddleware",
    "pagecache.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.outage.DatabaseOutageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "api.middleware.ContentApiMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Serves fingerprinted, compressed static files in production (runserver does it in DEBUG).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "briefs_cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.context_processors.site",
                "core.context_processors.site_links",
                "pagecache.fragments.fragment_context",
            ],
        },
    },
]

WSGI_APPLICATION = "briefs_cms.wsgi.application"
ASGI_APPLICATION = "briefs_cms.asgi.application"

# The embedded default is a SQLite file in the project folder; production sets
# DATABASE_URL=postgres://user:password@host:5432/name.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write at once (web workers, the task worker): writers queue for the lock
    # (IMMEDIATE takes it at BEGIN, so no transaction fails halfway with "database is locked"),
    # and WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(env("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "briefs"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole-page cache of anonymous public pages (the pagecache app); PUBLIC_PAGE_CACHE=0 turns it off.
PUBLIC_PAGE_CACHE_ENABLED = env_bool("PUBLIC_PAGE_CACHE", True)
PUBLIC_PAGE_CACHE_TIMEOUT = int(env("PUBLIC_PAGE_CACHE_TIMEOUT", "300"))
# Without Redis, numbers every process must see (the page cache's generation, the glossary
# matcher's version) are kept in small files here, shared by all processes of this machine.
SHARED_COUNTERS_DIR = Path(env("SHARED_COUNTERS_DIR", BASE_DIR / ".state"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins: after 5 failures for one account from one address, that account is refused
# from that address for an hour. A superuser unlocks with `manage.py axes_reset_username NAME`
# or `axes_reset_ip IP`.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
# A lockout holds one account from one address: a colleague behind the same address still signs in.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
PROXY_COUNT = int(env("PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None

# Requests per client address to the costly public endpoints (core/ratelimit.py); "" turns one off.
REQUEST_RATE_LIMITS = {
    "/search/": env("SEARCH_RATE_LIMIT", "30/m"),
    "/api/": env("API_RATE_LIMIT", "120/m"),
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One date format across the admin (briefs_cms/formats): the time zone named, the year kept.
FORMAT_MODULE_PATH = ["briefs_cms.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several app servers need shared media: MEDIA_STORAGE=s3 stores uploads and renditions in any
# S3-compatible object storage through django-storages.
MEDIA_STORAGE = env("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE is 'filesystem' (the default) or 's3'.")
# The text of a form post (files not counted): the longest brief form with every field full is
# under 150 KB, so a bigger body is refused before it is read. Hero images have their own 15 MB
# limit, and nginx's client_max_body_size matches both (deploy/nginx.conf).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "briefs.tagging.parse_tags"

# Attach every glossary term found in a brief's text when an editor saves it (else: suggest only).
GLOSSARY_AUTO_ATTACH_TERMS = env_bool("GLOSSARY_AUTO_ATTACH_TERMS", False)

# Link checking (sources/; docs/sources.md). Timeouts and intervals in seconds unless named in hours.
SOURCES_CONNECT_TIMEOUT = float(env("SOURCES_CONNECT_TIMEOUT", "5"))  # to open a connection
SOURCES_READ_TIMEOUT = float(env("SOURCES_READ_TIMEOUT", "10"))  # for each read of an answer
SOURCES_URL_DEADLINE = float(env("SOURCES_URL_DEADLINE", "30"))  # for a URL and all its redirects
SOURCES_MAX_BODY_BYTES = int(env("SOURCES_MAX_BODY_BYTES", str(64 * 1024)))  # read at most, then hang up
SOURCES_MAX_REDIRECTS = int(env("SOURCES_MAX_REDIRECTS", "10"))
SOURCES_HOST_INTERVAL = float(env("SOURCES_HOST_INTERVAL", "1"))  # pause between two requests to one host
SOURCES_CHECK_WORKERS = int(env("SOURCES_CHECK_WORKERS", "16"))  # hosts checked at once
SOURCES_CHECK_BATCH = int(env("SOURCES_CHECK_BATCH", "500"))  # links per periodic run
SOURCES_MIN_RECHECK_SECONDS = int(env("SOURCES_MIN_RECHECK_SECONDS", "60"))  # a repeated request is skipped
# Broken = at least this many failures in a row, spread over at least this many hours.
SOURCES_BROKEN_AFTER_FAILURES = int(env("SOURCES_BROKEN_AFTER_FAILURES", "3"))
SOURCES_BROKEN_AFTER_HOURS = float(env("SOURCES_BROKEN_AFTER_HOURS", "48"))
# How long until the next check, by state.
SOURCES_RECHECK_OK_HOURS = float(env("SOURCES_RECHECK_OK_HOURS", str(24 * 7)))
SOURCES_RECHECK_FAILING_HOURS = float(env("SOURCES_RECHECK_FAILING_HOURS", "6"))
SOURCES_RECHECK_BROKEN_HOURS = float(env("SOURCES_RECHECK_BROKEN_HOURS", "24"))
SOURCES_KEEP_CHECKS_DAYS = int(env("SOURCES_KEEP_CHECKS_DAYS", "365"))  # check history kept
SOURCES_TLS_CA_FILE = env("SOURCES_TLS_CA_FILE")  # extra CA bundle; the system's by default
# Lets the checker fetch 127.0.0.1 and ::1 (nothing else private). Only tests set it; never the
# environment. `check --deploy` fails when it is on.
SOURCES_ALLOW_LOOPBACK_FOR_TESTS = False

# Security headers. The Content Security Policy allows no inline script or style.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_URL = env("EMAIL_HOST")
if EMAIL_URL:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_URL,
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsroom@localhost")

# Background work (Django's tasks framework), run by `manage.py run_worker`. TASKS_BACKEND picks
# where queued tasks wait: "database" (the embedded default: rows next to the content, so a task
# commits with the change that queued it), "redis" (RQ, for sites that outgrow one machine), or
# "immediate" (run at once, in the process that queued them: tests and one-off scripts).
TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "redis": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
TASKS_BACKEND = env("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND is one of {', '.join(TASK_BACKENDS)}; got {TASKS_BACKEND!r}.")
TASKS = {"default": TASK_BACKENDS[TASKS_BACKEND]}
if TASKS_BACKEND == "redis":
    TASKS_REDIS_URL = env("TASKS_REDIS_URL", REDIS_URL)
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL (or TASKS_REDIS_URL).")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
# A worker that has not been heard from for this long is presumed dead: its running tasks run again.
WORKER_HEARTBEAT_SECONDS = int(env("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_PRESUMED_DEAD_SECONDS = int(env("WORKER_PRESUMED_DEAD_SECONDS", "30"))
# The periodic jobs' scheduler (django-crontask): with Redis, only one scheduler runs at a time.
CRONTASK = {"REDIS_URL": REDIS_URL}

# The email digest (newsletter/conf.py has every setting and its default; docs/newsletter.md explains).
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
NEWSLETTER_TIME_ZONE = env("NEWSLETTER_TIME_ZONE", TIME_ZONE)
NEWSLETTER_SEND_RATE = float(env("NEWSLETTER_SEND_RATE", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

LOGIN_URL = "admin:login"
# Where a sign-in lands when its `next` was refused (there is no public profile page).
LOGIN_REDIRECT_URL = "admin:index"
