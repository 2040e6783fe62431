"""One settings file, driven by environment variables (see docs/operations.md)."""

import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envsecret(name: str, default: str) -> str:
    """Read NAME, or the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", False)
# The demo's key: `mac serve` refuses it on any address but the local host, and
# `mac check --deploy` reports it (mac/core/checks.py).
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = envsecret("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "mac.core",
    "mac.accounts",
    "mac.centers",
    "mac.catalog",
    "mac.queueing",
    "mac.screens",
    "mac.notify",
    "mac.appointments",
    "mac.quality",
    "mac.surveys",
    "mac.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mac.core.middleware.ApiBodyMiddleware",
    "mac.core.middleware.ApiRefusalMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "mac.core.middleware.RefuseNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mac.core.middleware.HtmxSignInMiddleware",
    "mac.core.middleware.HtmxForbiddenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mac.urls"
WSGI_APPLICATION = "mac.wsgi.application"
ASGI_APPLICATION = "mac.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mac" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mac.core.context_processors.data_lang",
            ],
        },
    }
]

# Unset DATABASE_URL means an SQLite file in the project, in WAL mode so that
# readers never wait for the writer.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"]["NAME"] = os.environ.get("TEST_DATABASE_NAME", "test_mac")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The staff's sign-in page: the back office's own login takes only accounts
# with back-office access (is_staff), which advisors and desks do not have.
LOGIN_URL = "accounts:sign_in"
CSRF_FAILURE_VIEW = "mac.core.views.csrf_failure"

# Quechua is not among Django's built-in languages; declare it.
LANG_INFO["qu"] = {"bidi": False, "code": "qu", "name": "Quechua", "name_local": "Runasimi"}
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("qu", _("Runasimi (quechua)"))]
LOCALE_PATHS = [BASE_DIR / "mac" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Lima"  # display and "today"; storage is UTC (USE_TZ)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files (attachments of complaints) hold personal data: they are
# never served as static media, only through access-checked staff views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Search: how many results a page shows and the largest query accepted.
SEARCH_PAGE_SIZE = envint("SEARCH_PAGE_SIZE", 20)
SEARCH_MAX_QUERY = envint("SEARCH_MAX_QUERY", 200)
# How often a worker checks whether the catalog changed under it (other workers'
# edits: the configuration generation, mac.core.generation); its own edits
# through actions refresh the index at once.
SEARCH_INDEX_CHECK_SECONDS = float(os.environ.get("SEARCH_INDEX_CHECK_SECONDS", "1.0"))

# Ticket printer of the center kiosks and the orientation desk (mac/screens/printing.py):
# "network:HOST:PORT", "usb:VENDOR:PRODUCT" (hex), "file:/dev/usb/lp0", "dummy" or "none".
TICKET_PRINTER = os.environ.get("TICKET_PRINTER", "none")
# A printer per center, by slug: "lima-norte=network:10.1.0.20:9100,arequipa=usb:04b8:0202";
# a center not named here uses TICKET_PRINTER.
TICKET_PRINTERS = os.environ.get("TICKET_PRINTERS", "")
TICKET_PRINTER_TIMEOUT = envint("TICKET_PRINTER_TIMEOUT", 5)
# After a failed print, the printer is skipped for these seconds (the ticket is
# shown on screen): a dead printer costs one timeout, not one per ticket.
TICKET_PRINTER_DOWN_SECONDS = envint("TICKET_PRINTER_DOWN_SECONDS", 60)
# The display board announces (voice, chime, highlight) a call replayed after a
# network cut only if it is at most this old (seconds); older ones are listed only.
BOARD_ANNOUNCE_SECONDS = envint("BOARD_ANNOUNCE_SECONDS", 45)
# How long a kiosk stays authorised after a coordinator sets it up (days).
KIOSK_DEVICE_DAYS = envint("KIOSK_DEVICE_DAYS", 365)
# Seconds without a touch or a key before a kiosk goes back to its start screen.
KIOSK_IDLE_SECONDS = envint("KIOSK_IDLE_SECONDS", 60)

# -- Notifications and background tasks (mac/notify) ---------------------------
# Background tasks (delivery retries, reminders) are rows in this database;
# `mac worker` runs them (`mac demo` and `mac serve` start one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Email: SMTP in production (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# with EMAIL_HOST and friends); by default every mail is written as a file to
# var/mail/ so that demo users can read what citizens would get.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Plataforma MAC <no-responder@localhost>")
# SMS: "mac.notify.sms.ConsoleBackend" (prints them; the default),
# "mac.notify.sms.HttpGatewayBackend" (POSTs {"to", "message", "id"} as JSON to
# SMS_GATEWAY_URL with "Authorization: Bearer SMS_GATEWAY_TOKEN" and an
# "Idempotency-Key" equal to "id", the same on every attempt; see README.md) or
# "mac.notify.sms.LocmemBackend" (tests).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "mac.notify.sms.ConsoleBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = envsecret("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = envint("SMS_GATEWAY_TIMEOUT", 10)
# A message that fails is tried again after these minutes (the last wait
# repeats), up to NOTIFY_MAX_ATTEMPTS attempts in all; then it is marked failed.
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", 4)
NOTIFY_RETRY_MINUTES = [
    int(m) for m in os.environ.get("NOTIFY_RETRY_MINUTES", "1,5,30").split(",") if m.strip()
]
# A message still queued, due for a retry or being sent this many minutes
# after the delivery last touched it lost its task (a failed enqueue, a worker
# stopped in the middle of a send): the sweep, every NOTIFY_SWEEP_MINUTES in
# `mac worker` and at the start of `mac worker --batch`, hands it back.
NOTIFY_STUCK_MINUTES = envint("NOTIFY_STUCK_MINUTES", 15)
NOTIFY_SWEEP_MINUTES = envint("NOTIFY_SWEEP_MINUTES", 5)
# At most this many messages to one citizen's address or number per hour (0:
# no cap); beyond it a message is logged as failed, not sent, so that nobody
# can flood a stranger's phone through the platform. Staff alerts are exempt.
NOTIFY_MAX_PER_RECIPIENT_HOUR = envint("NOTIFY_MAX_PER_RECIPIENT_HOUR", 10)
# Housekeeping (mac.core.housekeeping), every HOUSEKEEPING_MINUTES in `mac
# worker` and at the start of `mac worker --batch`: live events are kept
# EVENTS_KEEP_DAYS days (screens that reconnect replay them), finished
# background tasks TASK_RESULTS_KEEP_DAYS days.
HOUSEKEEPING_MINUTES = envint("HOUSEKEEPING_MINUTES", 60)
EVENTS_KEEP_DAYS = envint("EVENTS_KEEP_DAYS", 3)
TASK_RESULTS_KEEP_DAYS = envint("TASK_RESULTS_KEEP_DAYS", 14)
