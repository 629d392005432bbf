"""Settings of EMA, read once from environment variables.

Development defaults (DEBUG on, a SQLite file in the project) let `make run` work on a fresh
machine; production refuses to start without a SECRET_KEY.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ema.apps.EmaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "ema",
    "ema.accounts",
    "residents",
    "interventions",
    "partners",
    "collective",
    "team",
    "empowerment",
    "privacy",
    "incidents",
    "support",
    "reports",
    "offline",
    "reminders",
    "downloads",
    "evaluation",
]
# The demo data generators and `seed_demo` (accounts with a published password): in development,
# in the tests, or on a throw-away database that asks for them; never in production.
if DEBUG or env_bool("EMA_TESTING") or env_bool("EMA_DEMO"):
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ema.locale.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ema.accounts.middleware.RoleRequiredMiddleware",
    "ema.accounts.two_factor.TwoFactorMiddleware",
    "ema.security.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so that the page it sends to can say why the session ended.
    "ema.accounts.sessions.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must come last so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ema.urls"
WSGI_APPLICATION = "ema.wsgi.application"

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
                "ema.access.permissions",
                "ema.accounts.two_factor.session_complete",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A read replica (docs/operations.md, "Read replica"): a streaming standby of the primary's
# PostgreSQL, from which the dashboards, reports and exports read their figures (ema.replica).
# Without it, one database does everything.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # A physical replica copies the primary's whole server: its database has the same name.
    # Another name is a mistake (a URL left from another environment) that would show figures
    # of another database.
    if DATABASES["replica"].get("NAME") != DATABASES["default"].get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name the same database as DATABASE_URL."
        )
    # The tests make no database on the standby (it is read-only): the alias reads the test
    # database of default (tests/conftest.py), except in the replica's own test.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ema.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First the (username, address) lock, then the password behind the per-username delay.
    "axes.backends.AxesStandaloneBackend",
    "ema.accounts.backends.ThrottledModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Logins resist password guessing without letting a stranger lock someone out
# (ema.accounts.throttle). First line: AXES_FAILURE_LIMIT failures on one username from one
# address lock that pair for AXES_COOLOFF_MINUTES; the person elsewhere is not locked.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies that each append to
# X-Forwarded-For, the address the outermost one saw. Left at 0 behind a proxy, everyone
# would share the proxy's address, and one lock.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "ema.accounts.throttle.client_address"
# A browser holding its device cookie (set at a successful login) is not locked by a pair.
AXES_WHITELIST_CALLABLE = "ema.accounts.throttle.is_trusted_browser"
AXES_LOCKOUT_CALLABLE = "ema.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Second line: past LOGIN_THROTTLE_THRESHOLD failures on one username, from any addresses, in
# the last LOGIN_THROTTLE_WINDOW_HOURS, each attempt waits after the last failure: the first
# delay, doubled at each further failure, up to the maximum; browsers with their device
# cookie (valid LOGIN_DEVICE_COOKIE_DAYS) do not wait.
LOGIN_THROTTLE_THRESHOLD = int(os.environ.get("LOGIN_THROTTLE_THRESHOLD", "40"))
LOGIN_THROTTLE_WINDOW = timedelta(hours=int(os.environ.get("LOGIN_THROTTLE_WINDOW_HOURS", "24")))
LOGIN_THROTTLE_FIRST_DELAY = timedelta(
    seconds=int(os.environ.get("LOGIN_THROTTLE_FIRST_DELAY_SECONDS", "60"))
)
LOGIN_THROTTLE_MAX_DELAY = timedelta(
    minutes=int(os.environ.get("LOGIN_THROTTLE_MAX_DELAY_MINUTES", "15"))
)
LOGIN_DEVICE_COOKIE_AGE = timedelta(days=int(os.environ.get("LOGIN_DEVICE_COOKIE_DAYS", "180")))

# Two-factor authentication (django-otp): codes from an authenticator app, recovery codes.
OTP_TOTP_ISSUER = "EMA"
# Administrators may delete a locked-out person's devices, but never read a secret or a code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Who read which personal information (the application's pages, its exports and the Django
# admin) goes into the read log, which lives above the domain apps: the core's port
# (ema.read_log) hands each reading to the function named here.
READ_LOG_WRITER = "privacy.services.read_event_create"

# Partner links (partners/links.py): a partner's contact answers a referral from a link sent by
# email, without an account. A link works PARTNER_LINK_DAYS days (unless revoked or the
# referral closed); each link, and each address, may open or answer so many times an hour.
PARTNER_LINK_DAYS = int(os.environ.get("PARTNER_LINK_DAYS", "30"))
PARTNER_LINK_HOURLY_PER_LINK = int(os.environ.get("PARTNER_LINK_HOURLY_PER_LINK", "30"))
PARTNER_LINK_HOURLY_PER_ADDRESS = int(os.environ.get("PARTNER_LINK_HOURLY_PER_ADDRESS", "60"))

# The research data set (evaluation/): residents' codes are an HMAC of their number with this
# key, kept on the server only, so that a person has the same code in every export. Without
# it, a key derived from SECRET_KEY (changing SECRET_KEY would then change every code).
RESEARCH_PSEUDONYM_KEY = (
    os.environ.get("RESEARCH_PSEUDONYM_KEY", "")
    or hashlib.sha256(f"ema-research-pseudonyms:{SECRET_KEY}".encode()).hexdigest()
)
# The largest shift, in days, of the per-person date shift that an export may ask for.
RESEARCH_DATE_SHIFT_DAYS = int(os.environ.get("RESEARCH_DATE_SHIFT_DAYS", "14"))

# The organisation's name, as partners read it in the emails it sends.
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "L’Entre-Maisons Ahuntsic")

LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Montreal"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ema.formats"]

# The organisation's fiscal year starts on this month and day (April 1 by default).
FISCAL_YEAR_START_MONTH = int(os.environ.get("FISCAL_YEAR_START_MONTH", "4"))
FISCAL_YEAR_START_DAY = int(os.environ.get("FISCAL_YEAR_START_DAY", "1"))

# Retention (Law 25): a household's file is anonymised this many months after its last
# activity or its move-out (`manage.py apply_retention`); 84 months is seven years.
RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "84"))

# A new consent to share with a partner ends this many months after the day it was given,
# unless the person who records it types another end date (residents.services.consent_record).
CONSENT_VALIDITY_MONTHS = int(os.environ.get("CONSENT_VALIDITY_MONTHS", "12"))

# The first year of the organisation's records: no intervention or referral is dated earlier
# (ema.dates), so that a mistyped year never drops out of every report unseen.
FIRST_RECORD_YEAR = int(os.environ.get("FIRST_RECORD_YEAR", "2000"))

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Bootstrap, Tom Select and idb come from the npm registry (npm ci) and are served from our own
# origin: only the files the pages load (ema.vendor).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "ema.vendor.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("EMA_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("EMA_TESTING")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security: the app holds files on families and minors.
# A session ends after 30 idle minutes and after 12 hours in all (ema.accounts.sessions).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(12 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: our own scripts and styles only, no inline script, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Imports of the organisation's spreadsheets: the file's size and rows to import; the lines
# read, blank ones included; a cell's characters; and, for an XLSX (a zip archive), the size of
# its content once uncompressed, how many times any part of it may expand, and its cells in all
# (docs/operations.md).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "2000"))
IMPORT_MAX_LINES = int(os.environ.get("IMPORT_MAX_LINES", "10000"))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "1000"))
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("IMPORT_MAX_UNZIPPED_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_ZIP_RATIO = int(os.environ.get("IMPORT_MAX_ZIP_RATIO", "100"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "200000"))

# Backups (manage.py backup, restore): the directory of the timestamped files, and the Fernet
# key that encrypts them (several keys separated by commas during a rotation: the first
# encrypts, any decrypts). Without a key, backups are written unencrypted. Keep the key apart
# from the backups: whoever holds both reads every family's file.
BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
BACKUP_ENCRYPTION_KEY = os.environ.get("BACKUP_ENCRYPTION_KEY", "")

# Exports and reports too big to make while a page waits are prepared by a job (downloads/):
# past this many rows for an export, or interventions in the year for the annual report. The
# files wait in PREPARED_FILES_DIR (served by no one but the download view) for a day.
EXPORT_IN_BACKGROUND_ROWS = int(os.environ.get("EXPORT_IN_BACKGROUND_ROWS", "5000"))
ANNUAL_REPORT_IN_BACKGROUND = int(os.environ.get("ANNUAL_REPORT_IN_BACKGROUND", "50000"))
PREPARED_FILES_DIR = os.environ.get("PREPARED_FILES_DIR", str(BASE_DIR / "private"))
PREPARED_FILES_HOURS = int(os.environ.get("PREPARED_FILES_HOURS", "24"))

# The task queue (ema/celery.py): Redis as the broker. Without CELERY_BROKER_URL, tasks run
# in the web process at once (the embedded `make run`, the tests). A task is acknowledged once
# done, so that a worker that dies half-way leaves it to be run again; every task is idempotent.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message not acknowledged within this time goes to another worker (longer than any task).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
# When the scheduler asks: each job checks itself what is due, so a run missed while Redis was
# down is made up by the next one, and a run twice does nothing twice (reminders/tasks.py).
CELERY_BEAT_SCHEDULE = {
    "daily-digests": {
        "task": "reminders.tasks.send_daily_digests",
        "schedule": crontab(minute=5),  # hourly: each person's digest once a day from 6 a.m.
    },
    "weekly-summaries": {
        "task": "reminders.tasks.send_weekly_summaries",
        "schedule": crontab(minute=20),  # hourly: once a week, from Monday 7 a.m.
    },
    "consent-duties": {
        "task": "residents.tasks.run_consent_duties",
        "schedule": crontab(minute=10),  # hourly: who turned 14 today (a run twice marks once)
    },
    "retention-notices": {
        "task": "reminders.tasks.send_retention_notices",
        "schedule": crontab(minute=35),  # hourly: once a month, to the direction
    },
    "old-prepared-files": {
        "task": "downloads.tasks.remove_old_files",
        "schedule": crontab(minute=55),  # hourly: prepared files older than a day go
    },
    "waiting-prepared-files": {
        "task": "downloads.tasks.make_waiting_files",
        "schedule": crontab(minute="*/10"),  # the requests the queue could not take
    },
    "pending-retention-runs": {
        "task": "privacy.tasks.apply_pending_retention_runs",
        "schedule": crontab(minute=50),  # hourly: the confirmed runs left waiting
    },
}

# Email (digests, partner links): Django's backends, from the environment. No EMAIL_HOST in
# development: the messages are printed on the console instead.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "EMA <ne-pas-repondre@ema.example.org>")
# The address the people's emails link to (https://ema.example.org): emails carry links, not data.
EMA_BASE_URL = os.environ.get("EMA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# From which hour (local time) the daily digest leaves, and the weekly summary (on Mondays).
DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "6"))
WEEKLY_SUMMARY_HOUR = int(os.environ.get("WEEKLY_SUMMARY_HOUR", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
