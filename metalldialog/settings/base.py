"""Settings for metalldialog, read from the environment (django-environ).

With nothing set the app runs on embedded defaults (SQLite, Celery's filesystem
transport and a recording mail backend under var/), which is what `make run` uses.
With DATABASE_URL, CELERY_BROKER_URL/REDIS_URL and EMAIL_URL set it runs on
PostgreSQL, Redis and SMTP: production and the test suite.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-dev-key-only-for-debug")
else:
    try:
        SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        ) from exc

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "anymail",
    # Below every app: the audit trail.
    "core",
    "members",
    "forums",
    "sefex",
    "outbox",
    "funding",
    "cockpit",
    "api",
    "privacy",
    "logins",
    "operations",
    "atlas",
    "crm",
    "circulars",
    "publicpages",
    "django.contrib.sitemaps",
    # Last, so its post_migrate runs when every app's permissions exist.
    "metalldialog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses oversized bodies by Content-Length, before the CSRF check reads the form.
    "core.uploads.RequestSizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without an authenticator app reach only its set-up page.
    "metalldialog.second_factor.SecondFactorSetupMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "metalldialog.urls"
WSGI_APPLICATION = "metalldialog.wsgi.application"

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
                "metalldialog.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file in `make run`: wait for locks, take them early.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    # A new PostgreSQL connection per request costs more than a simple page.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "metalldialog.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="metalldialog"),
        }
    }
    # Every logged-in request reads its session: from Redis, written through to the database
    # (which stays the record, so a Redis restart logs nobody out).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's backends, reading each request's login from the cache.
    "core.auth_backends.CachedModelBackend",
    "core.auth_backends.CachedAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "metalldialog.accounts.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[metalldialog] "
ACCOUNT_SESSION_REMEMBER = None
# Two-factor login (metalldialog/second_factor.py): TOTP with recovery codes, required for
# staff. One time step of clock drift is accepted either way.
MFA_ADAPTER = "metalldialog.second_factor.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MetallDIALOG"
MFA_TOTP_TOLERANCE = 1

# Failed passwords are counted by django-axes (below; the adapter skips allauth's count);
# allauth's "login_failed" limit then only guards the second factor, per login.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key"}
# Reverse proxies in front that append to X-Forwarded-For: allauth's rate limits and the
# lock-out take the visitor's address from there (0: the peer's address).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Lock-out per (e-mail, IP address), plus a much higher ceiling per address against password
# spraying: see core/lockout.py.
AXES_HANDLER = "core.lockout.AccountLockoutHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "core.lockout.login_email"
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_ip"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language (metalldialog/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["metalldialog.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Form fields in memory at most 2.5 MB; a file above 2.5 MB is streamed to a temporary
# file. A body above DATA_UPLOAD_MAX_MEMORY_SIZE reaches only views that take uploads, up
# to their own limit (core/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.static_storage.RememberedUrlManifestStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Mail -----------------------------------------------------------------------
# Without EMAIL_URL every mail is written to var/mail/ and printed on the console.
# Outside debug mode a missing EMAIL_URL is a deployment error: `check --deploy` reports it,
# and the web server and the worker refuse to start (metalldialog/startup.py) rather than
# print login codes to their log. Settings still load without it (tests, bench, image build).
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "metalldialog.mail_backends.RecordingConsoleBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="MetallDIALOG <metalldialog@wfg-heilbronn.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Who sends: named in every mail and page footer (imprint).
SENDER_NAME = env.str("SENDER_NAME", default="Wirtschaftsförderung Raum Heilbronn GmbH")
SENDER_ADDRESS = env.str("SENDER_ADDRESS", default="Koepffstraße 17, 74076 Heilbronn")
SENDER_CONTACT_EMAIL = env.str("SENDER_CONTACT_EMAIL", default="metalldialog@wfg-heilbronn.example")

# Bounces and complaints (outbox.bounces). With an ESP (EMAIL_BACKEND one of django-anymail's),
# its tracking webhook posts to /anymail/<esp>/tracking/ with basic auth "user:password" =
# ANYMAIL_WEBHOOK_SECRET. Without that secret the webhook takes nothing: anymail alone would
# only warn and accept anyone's events, so an unguessable secret nobody knows stands in.
ANYMAIL = {
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="")
    or f"unset:{secrets.token_urlsafe(32)}",
}
# With plain SMTP: each mail's envelope sender is BOUNCE_ADDRESS with the mail's id
# (bounces+<id>-<signature>@domain, which the mailbox must accept), and beat reads that
# mailbox over IMAP. Both empty: no bounce handling over SMTP.
BOUNCE_ADDRESS = env.str("BOUNCE_ADDRESS", default="")
BOUNCE_IMAP_HOST = env.str("BOUNCE_IMAP_HOST", default="")
BOUNCE_IMAP_PORT = env.int("BOUNCE_IMAP_PORT", default=993)
BOUNCE_IMAP_SSL = env.bool("BOUNCE_IMAP_SSL", default=True)
BOUNCE_IMAP_USER = env.str("BOUNCE_IMAP_USER", default="")
BOUNCE_IMAP_PASSWORD = env.str("BOUNCE_IMAP_PASSWORD", default="")
BOUNCE_IMAP_FOLDER = env.str("BOUNCE_IMAP_FOLDER", default="INBOX")

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # Longer than any task runs; beat plans the far future, not ETA tasks.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Bulk sends (thousands of invitations) have their own queue, so a confirmation or a
# reminder never waits behind them. Every worker reads both unless started with -Q.
CELERY_TASK_QUEUES = [Queue("celery"), Queue("bulk")]
CELERY_TASK_ROUTES = {"outbox.batch_chunk": {"queue": "bulk"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "metalldialog.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=6),
    },
    # The outbox: due mails (reminders, retries) go out, stuck ones are rescued.
    "outbox-send-due": {"task": "outbox.send_due", "schedule": timedelta(minutes=1)},
    # Circulars scheduled for a time go out when it has come (cancellable until then).
    "circulars-send-due": {"task": "circulars.send_due", "schedule": timedelta(minutes=1)},
    # Bounce reports in the bounce mailbox (a no-op without BOUNCE_IMAP_HOST).
    "outbox-read-bounces": {"task": "outbox.read_bounces", "schedule": timedelta(minutes=5)},
    # Privacy: anonymise idle prospects without consent (PRIVACY_PROSPECT_RETENTION_MONTHS).
    "privacy-retention": {"task": "privacy.retention", "schedule": timedelta(days=1)},
    # The invitation page's log of member table writes: old rows go, its version stays.
    "forums-audience-log-prune": {
        "task": "forums.audience_log_prune",
        "schedule": crontab(minute=20, hour=3),
    },
    # Funding evidence whose legal keeping period ended, listed once a year for a person to
    # confirm (operations.review); nothing is deleted by the task.
    "operations-retention-review": {
        "task": "operations.retention_review",
        "schedule": crontab(minute=0, hour=6, day_of_month=2, month_of_year=1),
    },
}

# --- REST API (api/) -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Integrations send a token; the browsable API and docs use the login session.
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasRole"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MetallDIALOG API",
    "DESCRIPTION": "Companies, contacts, forums, registrations and SEFEX workshops of the cluster.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from the sidecar package: no CDN needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The test suite checks the schema (tests/api, schemathesis); `check --deploy` stays about
    # deployment (members' method filters are documented as strings, which it would warn about).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# --- Security -------------------------------------------------------------------
# Trust X-Forwarded-Proto only behind a TLS proxy that sets it (else anyone could claim https).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# Load balancers and probes ask for the health over plain HTTP; the answer is kept a few
# seconds, so frequent probes do not each open a broker connection.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
HEALTHZ_CACHE_SECONDS = env.int("HEALTHZ_CACHE_SECONDS", default=10)
# /healthz calls the last backup "stale" after this many hours (the backup service runs daily).
BACKUP_MAX_AGE_HOURS = env.int("BACKUP_MAX_AGE_HOURS", default=26)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp). Scripts only from our own static files: no inline
# script, no event handler attribute, no eval. Styles from our files and inline, because the
# templates carry style="" attributes and the mail previews are inline-styled HTML in srcdoc
# frames, which inherit the page's policy. Images ours, and data: for the icons Bootstrap's
# CSS draws as data: SVG. No page may be framed, except those marked with
# core.embedding.embeddable (EMBED_FRAME_ANCESTORS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["https:"])

# --- Public forum pages (publicpages/) -----------------------------------------------
# Which websites may frame a cluster's embeddable list, by cluster short name, origins
# separated by spaces: "metalldialog=https://www.wfg-heilbronn.de https://wfg.example".
# A cluster not named here falls back to EMBED_FRAME_ANCESTORS.
PUBLIC_EMBED_ORIGINS = {
    slug: origins.split() for slug, origins in env.dict("PUBLIC_EMBED_ORIGINS", default={}).items()
}
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# How long each process serves a public page from its own memory before it asks the cache.
PUBLIC_PAGE_LOCAL_SECONDS = env.float("PUBLIC_PAGE_LOCAL_SECONDS", default=5)
PUBLIC_REGISTRATIONS_PER_IP_HOUR = env.int("PUBLIC_REGISTRATIONS_PER_IP_HOUR", default=10)
PUBLIC_REGISTRATIONS_PER_EMAIL_HOUR = env.int("PUBLIC_REGISTRATIONS_PER_EMAIL_HOUR", default=3)


# Outside debug every log line is one JSON object (python-json-logger) without e-mail
# addresses (operations.monitoring); `make run` keeps plain lines. With SENTRY_DSN, unhandled
# errors and failed tasks also go to Sentry, scrubbed of personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "operations.monitoring.ScrubFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["scrub"],
            "formatter": "plain" if DEBUG else "json",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
# Celery's worker logs through the same handler instead of its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from operations.monitoring import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default=""))

# --- Privacy (privacy/) -------------------------------------------------------
PRIVACY_PROSPECT_RETENTION_MONTHS = env.int("PRIVACY_PROSPECT_RETENTION_MONTHS", default=24)
PRIVACY_CONSENT_LINK_DAYS = env.int("PRIVACY_CONSENT_LINK_DAYS", default=7)
# Who may be invited beyond the outbox's opt-out rules (forums.invitations reads this);
# The default enforces double opt-in for contacts of non-members (UWG §7).
INVITATION_AUDIENCE_FILTERS = env.list(
    "INVITATION_AUDIENCE_FILTERS", default=["privacy.consent.invitation_audience"]
)
