"""Samsök settings: one module, every deployment difference read from the environment.

See README.md ("Environment variables") for what each variable does.
"""

import os
import sys
import tempfile
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from django.conf import global_settings

from portal.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    secret_key,
    site_url,
    sqlite_database,
)
from portal.languages import RIGHT_TO_LEFT

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("SAMSOK_DATA_DIR", BASE_DIR / "var")
TESTING = "pytest" in sys.modules or env_bool("SAMSOK_TESTING")

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = secret_key(DATA_DIR, debug=DEBUG or TESTING)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "portal",
    "catalog",
    "harvest",
    "ill",
    "api",
    "opac",
    "oai",
    "sample",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.params.NulCharacterMiddleware",  # before anything queries the database with request text
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.fallback.SwedishFallbackMiddleware",  # Swedish fallback text gets lang="sv"
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "portal.security.PrivatePagesMiddleware",
    "opac.errors.ErrorPageMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opac.context.site",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(DATA_DIR / "samsok.sqlite3")
}
# Each pytest process gets its own test database, so parallel runs never trip over each other.
DATABASES["default"]["TEST"] = {"NAME": f"test_samsok_{os.getpid()}" if DATABASE_URL else None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index's INCLUDE columns (catalog's record_live_idx) let PostgreSQL answer from the index
# alone; SQLite, which has none, builds it as a plain partial index, which is all it needs there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- cache, broker, background work --------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# "counters" holds the login lockout and rate-limit counters (portal.counters): they must be shared
# by every web process and outlive a restart. Without Redis they are files in the data dir (a few
# file operations per login or form post), while the hot search/availability path keeps memory.
if REDIS_URL:
    # Parallel test runs share one Redis: give each its own key space.
    CACHE_KEY_PREFIX = f"samsok-test-{os.getpid()}" if TESTING else env_str("CACHE_KEY_PREFIX", "samsok")
    # A Redis outage degrades to "nothing cached" instead of errors (portal.fail_soft_cache), and
    # short socket timeouts keep an unreachable server from holding each request for seconds.
    REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "portal.fail_soft_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "counters": {
            "BACKEND": "portal.fail_soft_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-counters",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "counters": {
            "BACKEND": "portal.shared_file_cache.SharedFileCache",
            # A test run must neither count on nor clear the instance's own counters.
            "LOCATION": str(
                Path(tempfile.gettempdir()) / f"samsok-test-counters-{os.getpid()}"
                if TESTING
                else DATA_DIR / "counters"
            ),
            # Culling drops live entries too: room for a spray of guessed names before it starts.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

# With no REDIS_URL there is no broker: portal.jobs.enqueue runs the work in-process.
CELERY_BROKER_URL = REDIS_URL or None
CELERY_RESULT_BACKEND = REDIS_URL or None
# Nothing reads what a task returns (the work is recorded in the database: runs, outbox rows,
# index state), so no result is stored; a caller that needs one asks for it with
# apply_async(..., ignore_result=False). It also spares every send a subscription in Redis.
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it has finished, not when it starts: a worker killed in the middle
# of a harvest or an index batch leaves the message to be delivered again, never lost. A pool
# process that dies gives its task back at once (reject on worker lost); a worker killed as a
# whole (SIGKILL, `docker compose stop` past its stop_grace_period) leaves it unacknowledged, and
# Redis hands it out again after the visibility timeout. That timeout must outlast the longest
# task (a full harvest of a big source, rebuild_index at a million titles) and the longest retry
# countdown (the outbox's hour), or a task still running (or waiting for its countdown) would be
# delivered a second time. A harvest cut short does not wait for it: beat resumes the run.
CELERY_TASK_ACKS_LATE = True
# A broker outage must not hold a web request for kombu's default retries (about a second per
# task): two quick tries, then portal.jobs logs it and the scheduled passes pick the work up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 6 * 3600, minimum=2 * 3600),
}
# Celery logs through Django's LOGGING (portal.celery): one format for every process.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat writes the scheduler heartbeat that /healthz checks (portal.beat, portal.heartbeat).
CELERY_BEAT_SCHEDULER = "portal.beat.HeartbeatScheduler"
CELERY_TASK_DEFAULT_QUEUE = "samsok"
# All tantivy index writes go through this queue; run it with --concurrency 1 (one writer).
CELERY_TASK_ROUTES = {"catalog.tasks.index_*": {"queue": "samsok-index"}}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "harvest-due-sources": {"task": "harvest.tasks.harvest_due_sources", "schedule": 300.0},
    "ill-deadlines": {"task": "ill.tasks.advance_overdue_requests", "schedule": 3600.0},
    "ill-outbox": {"task": "ill.tasks.send_outbox", "schedule": 60.0},
    "ill-anonymize": {"task": "ill.tasks.anonymize_closed_requests", "schedule": 86400.0},
}
# Harvest: protocol name (Source.protocol, add_source --protocol) -> driver, a HarvestProtocol.
HARVEST_PROTOCOLS = {
    "oai-pmh": "harvest.protocols.oai_pmh.OaiPmhProtocol",
    "marc-file": "harvest.protocols.marc_file.MarcFileProtocol",
    "libris-export": "harvest.protocols.libris_export.LibrisExportProtocol",
}
# Harvest: a run that would delete more than this share of a source's records stops before
# deleting and waits for staff to confirm (Source.mass_deletion_confirmed).
HARVEST_MASS_DELETE_SHARE = env_int("HARVEST_MASS_DELETE_PERCENT", 20, minimum=0) / 100
# Harvest: pages are fetched, parsed and mapped in a forked reader process beside the writer
# (harvest.reader); off, the run does all of it in one process (a thread fetches one page ahead).
HARVEST_READER_PROCESS = env_bool("HARVEST_READER_PROCESS", default=True)
# Harvest: where listing pages costs little (a local file), this many reader processes prepare
# every n-th page each: preparing a record costs more than storing it.
HARVEST_PAGE_READERS = env_int("HARVEST_PAGE_READERS", 2, minimum=1, maximum=8)
# Harvest: a run queues its titles' re-indexing as one job when it ends, or after this many seconds
# of a long run (catalog.clustering.reindex_later): each index job is a commit of the index.
HARVEST_INDEX_SECONDS = env_int("HARVEST_INDEX_SECONDS", 300, minimum=0)
# Clustering: a large run on PostgreSQL decides and writes its connected sets in this many processes
# (catalog.clustering.processes); 1 does it all in the run's own process.
CLUSTERING_PROCESSES = env_int("CLUSTERING_PROCESSES", 2, minimum=1, maximum=16)
# Clustering: more records than this are clustered in runs of about this many, each run whole
# connected sets (a run holds about 5 KB a record: 5.3 GB at the default), as a first load of
# millions of records would be.
CLUSTERING_RUN_RECORDS = env_int("CLUSTERING_RUN_RECORDS", 1_000_000, minimum=1000)
# Harvest: MARC file sources read files under this folder only (harvest.locations); unset, the
# data dir's files/ and demo/ folders, never the data dir itself (secret key, database, mail).
HARVEST_FILE_ROOT = env_path("HARVEST_FILE_ROOT", DATA_DIR) if env_str("HARVEST_FILE_ROOT") else None
# Harvest: source URLs that reach loopback, private or link-local addresses are refused unless on.
HARVEST_ALLOW_PRIVATE_URLS = env_bool("HARVEST_ALLOW_PRIVATE_URLS", default=False)
# Harvest: keyword arguments of the OAI-PMH client (harvest.protocols.oai_http.OaiHttpClient):
# seconds a request may take, retries of a timeout, cut connection or 429/5xx answer, the first
# wait between retries (doubling), and the longest Retry-After a repository may ask for.
HARVEST_OAI_HTTP: dict[str, Any] = {
    "timeout": env_int("HARVEST_OAI_TIMEOUT", 60, minimum=1),
    "retries": env_int("HARVEST_OAI_RETRIES", 5, minimum=0),
    "backoff": 2.0,
    "max_retry_after": 600.0,
}
CELERY_TIMEZONE = "Europe/Stockholm"

# --- search ----------------------------------------------------------------------------------
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
# Backend name -> dotted path of a SearchBackend ("BACKEND") and its options; SEARCH is the one used.
SEARCH_BACKENDS = {
    "tantivy": {
        "BACKEND": "catalog.search.backends.tantivy.TantivyBackend",
        "PATH": env_path("SEARCH_INDEX_DIR", DATA_DIR / "index"),
        # The rebuild's one writer thread: tantivy takes a heap of 15 MB to just under 4,294 MB per
        # thread; below about 25 MB a segment holds too few titles for its merges to fold the
        # rebuild's parts into one segment (catalog.search.backends.tantivy_rebuild).
        "REBUILD_MEMORY_MB": env_int("SEARCH_REBUILD_MEMORY_MB", 2000, minimum=50, maximum=4000),
    },
    "elasticsearch": {
        "BACKEND": "catalog.search.backends.elasticsearch.ElasticsearchBackend",
        "URL": ELASTICSEARCH_URL,
        "INDEX": env_str("ELASTICSEARCH_INDEX", "samsok"),
    },
}
SEARCH_BACKEND = env_choice("SEARCH_BACKEND", list(SEARCH_BACKENDS), "tantivy")
SEARCH = SEARCH_BACKENDS[SEARCH_BACKEND]

# --- availability (catalog/availability/) ---------------------------------------------------
# Provider name -> dotted path of an AvailabilityProvider. Library.availability_provider names one
# of these; a library without a live interface uses "harvested" (the status as harvested). Live
# lookups are cached and guarded by a per-library circuit breaker whose state lives in the cache,
# so every process shares it.
AVAILABILITY_PROVIDERS = {
    "harvested": "catalog.availability.providers.harvested.HarvestedProvider",
    "koha-ilsdi": "catalog.availability.providers.koha.KohaIlsDiProvider",
    "daia": "catalog.availability.providers.daia.DaiaProvider",
    "sip2": "catalog.availability.providers.sip2.Sip2Provider",
}
AVAILABILITY_TIMEOUT = env_int("AVAILABILITY_TIMEOUT_MS", 2000, minimum=100) / 1000
AVAILABILITY_CACHE_SECONDS = env_int("AVAILABILITY_CACHE_SECONDS", 120, minimum=0)
AVAILABILITY_BREAKER_FAILURES = env_int("AVAILABILITY_BREAKER_FAILURES", 3, minimum=1)
AVAILABILITY_BREAKER_SECONDS = env_int("AVAILABILITY_BREAKER_SECONDS", 60, minimum=1)
AVAILABILITY_MAX_WORKERS = env_int("AVAILABILITY_MAX_WORKERS", 32, minimum=1)

# --- fjärrlån beyond the county (ISO 18626) ------------------------------------------------------
# The standard's v1.2 schema; every message in and out is validated against it when the file exists.
ISO18626_XSD = env_path(
    "ISO18626_XSD", BASE_DIR.parent / "shared/testdata/iso18626-ill/xsd/ISO-18626-v1_2.xsd"
)

# --- e-mail --------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
# The public address of the portal, for links in e-mails sent by background work (no request).
SITE_URL = site_url(required=not DEBUG and not TESTING)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samsök <noreply@samsok.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Identify's adminEmail of /oai (OAI-PMH): who harvesters write to; the sender's address by default.
OAI_ADMIN_EMAIL = env_str("OAI_ADMIN_EMAIL", parseaddr(DEFAULT_FROM_EMAIL)[1] or "noreply@samsok.invalid")

# --- people and privacy -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout's gate first: every way in (staff login, admin login) is refused while locked.
AUTHENTICATION_BACKENDS = ["portal.lockout.LockoutGate", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ILL_RETENTION_DAYS = env_int("ILL_RETENTION_DAYS", 90, minimum=1)
# Working days a lending library has to answer before the rota asks the next one (ill.clock).
ILL_ANSWER_WORKING_DAYS = env_int("ILL_ANSWER_WORKING_DAYS", 2, minimum=1)
# First wait before a failed notification e-mail is retried by its task (doubling, at most an hour).
ILL_OUTBOX_RETRY_SECONDS = env_int("ILL_OUTBOX_RETRY_SECONDS", 60, minimum=1)

# --- language -----------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
# Each language by its name in itself (the language picker shows these). Adding one is a line here
# and a message file in locale/<code>/LC_MESSAGES/django.po (see the README, "Languages").
LANGUAGES = [
    ("sv", "Svenska"),
    ("en", "English"),
    ("fi", "Suomi"),
    ("fit", "Meänkieli"),
    ("se", "Davvisámegiella"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("so", "Soomaali"),
    ("uk", "Українська"),
]
# Written right to left (<html dir="rtl">): Django's own list and every configured code in RIGHT_TO_LEFT.
LANGUAGES_BIDI = sorted(
    {*global_settings.LANGUAGES_BIDI, *(code for code, _ in LANGUAGES if code in RIGHT_TO_LEFT)}
)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script reads the language; it is sent on same-site navigation only (and over HTTPS only below).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# How many proxies in front append to X-Forwarded-For (portal.proxy): 0 ignores the header.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0, minimum=0, maximum=10)
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- logging: one line per event, no personal data ------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR"], "INFO")
# gunicorn uses the same format (portal/gunicorn_conf.py), Celery this configuration.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "portal.log_format.UtcIsoFormatter"}},
    "filters": {"one_line_warning": {"()": "portal.log_format.AsOneLineWarning"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default handlers would write its records a second time, in another format.
        "django": {"handlers": [], "level": LOG_LEVEL},
        # Request logs would carry query strings (patron searches, tokens): keep only errors.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING" if not DEBUG else "INFO", "propagate": True},
        # A wrong Host header (scanners, all day): one warning line naming it, no traceback.
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
        # Quiet when nothing happens: beat's "Sending due task" every minute, the worker's
        # "received"/"succeeded" for every task (an empty outbox sweep, each index batch) are
        # routine; failures stay (ERROR), and tasks log what they did themselves.
        "celery.beat": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}
