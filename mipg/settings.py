"""MIPG settings, read from environment variables (see .env.example).

Defaults give a working local install: SQLite, Celery tasks run inline when no broker is
configured, DEBUG only when asked for.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mipg.core.env import (
    check_secret_key,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
    meta_header_name,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}
_DEV_SECRET_KEY = "insecure-local-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if SECRET_KEY == _DEV_SECRET_KEY and not DEBUG and not set(ALLOWED_HOSTS) <= _LOCAL_HOSTS:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when the site is served to hosts other than localhost."
    )
check_secret_key(SECRET_KEY, debug=DEBUG)

INSTALLED_APPS = [
    "mipg.core.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "mipg.core",
    "planning",
    "management",
    "evaluation",
    "mipg.traceability",
    "accountability",
    "mipg",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mipg.core.security.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The citizen portal's pages from the cache, before sessions and authentication
    # (accountability.views.caching).
    "accountability.views.caching.PortalCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a login refused by django-axes into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mipg.urls"
WSGI_APPLICATION = "mipg.wsgi.application"
AUTH_USER_MODEL = "mipg.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TEMPLATE_OVERRIDES = env_str("MIPG_TEMPLATE_OVERRIDES")
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # MIPG_TEMPLATE_OVERRIDES: a folder whose templates replace the project's, e.g. the
        # entity's own GOV.CO bar or footer (accountability/public/govco_bar.html).
        "DIRS": [
            *([Path(TEMPLATE_OVERRIDES)] if TEMPLATE_OVERRIDES else []),
            BASE_DIR / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mipg.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    schemes={"sqlite", "postgres", "postgresql", "pgsql"},
)
# Connections are kept open between requests in production (DEBUG off) and checked before
# reuse, so a database restart costs one failed check instead of an error page.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
elif not env_bool("DB_JIT", False):
    # PostgreSQL's JIT compiles the dashboard's and the roll-ups' larger queries again on
    # every request (tens of ms each) and never pays back on queries this short: off for
    # the application's connections (docs/benchmarks.md). DB_JIT=true keeps the server's.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# The citizen portal keeps whole pages here (accountability.views.caching), as does API
# throttling. Redis when MIPG_CACHE_URL is set (shared by every web process), otherwise the
# memory of each process.
MIPG_CACHE_URL = env_url("MIPG_CACHE_URL", "", schemes={"redis", "rediss"})
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": MIPG_CACHE_URL,
            "KEY_PREFIX": "mipg",
        }
        if MIPG_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mipg"}
    )
}

# --- Celery ---------------------------------------------------------------------------
# Without a broker, tasks run inline (eagerly) in the web process.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", "", schemes={"redis", "rediss", "amqp", "memory"})
CELERY_RESULT_BACKEND = (
    env_url(
        "CELERY_RESULT_BACKEND",
        CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "",
        schemes={"redis", "rediss"},
    )
    or None
)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "America/Bogota"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing a task from a request gives up within a few seconds when the broker or the
# result store does not answer (mipg.core.queueing turns that into a message), instead of
# Celery's 20 retries a second. A worker's connection to the broker still retries until the
# broker is back (CELERY_BROKER_CONNECTION_RETRY*); storing a result gets the same bounds.
_QUEUE_TIMEOUT = env_int("CELERY_QUEUE_TIMEOUT", 2, minimum=1)
_QUEUE_RETRIES = env_int("CELERY_QUEUE_RETRIES", 1, minimum=0)
_QUEUE_RETRY_POLICY = {
    "max_retries": _QUEUE_RETRIES,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = _QUEUE_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_QUEUE_RETRY_POLICY,
    "socket_connect_timeout": _QUEUE_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = _QUEUE_RETRY_POLICY
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = _QUEUE_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _QUEUE_RETRY_POLICY}
CELERY_BEAT_SCHEDULE = {
    # Daily at 7:00 (CELERY_TIMEZONE): e-mail Responsables their overdue reports.
    "send-report-reminders": {
        "task": "management.send_report_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every 5 minutes: reports whose generation stopped (a worker died) become "failed".
    "fail-stale-reports": {
        "task": "accountability.fail_stale_reports_task",
        "schedule": crontab(minute="*/5"),
    },
}
# A queued or generating report without progress for this long is failed with a retry
# button (accountability.services.fail_stale_reports): its worker died and the broker did
# not hand the job to another one. Keep it above the slowest step (the PDF).
MIPG_REPORT_STALE_SECONDS = env_int("MIPG_REPORT_STALE_SECONDS", 900, minimum=60)

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "es-co"
LANGUAGES = [("es-co", _("Español (Colombia)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_TZ = True
# Colombian formatting: 1.234.567,89 (es_CO locale formats, thousands separator on).
USE_THOUSAND_SEPARATOR = True
CURRENCY_SYMBOL = "$"

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Pinned front-end packages installed by `npm ci` (package-lock.json).
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# A Plan de Acción import of more rows than this runs as a Celery task with its progress
# shown (mipg.traceability.spreadsheet.jobs); smaller ones run in the request.
IMPORT_QUEUE_ROWS = env_int("IMPORT_QUEUE_ROWS", 500, minimum=0)

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env_choice(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    },
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mipg@localhost")

# --- Security -------------------------------------------------------------------------
# HTTPS. Behind a proxy that terminates TLS, SECURE_PROXY_SSL_HEADER names the header it
# sets to "https" (e.g. X-Forwarded-Proto); set it only when the proxy always sets or strips
# that header, since anyone else could send it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The health probe is called over plain HTTP from inside the host or container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (
    (meta_header_name("SECURE_PROXY_SSL_HEADER", _proxy_ssl_header), "https")
    if _proxy_ssl_header
    else None
)
# Cookies travel only over HTTPS unless DEBUG is on (or SECURE_COOKIES=false is said).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only this site's own scripts, styles, fonts and
# images; no inline script or style. Bootstrap's CSS draws its icons with data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (mipg.core.security.PermissionsPolicyMiddleware): MIPG uses none of
# these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Client IP address (login lockout, API throttling). Behind a reverse proxy, name the header
# the proxy writes the client address into (X-Forwarded-For or X-Real-IP); the proxy must
# overwrite or append to it. MIPG_PROXY_COUNT is the number of proxies that append to it
# (the client is that many entries from the right of X-Forwarded-For).
_client_ip_header = env_str("MIPG_CLIENT_IP_HEADER", "")
MIPG_CLIENT_IP_HEADER = (
    meta_header_name("MIPG_CLIENT_IP_HEADER", _client_ip_header) if _client_ip_header else None
)
MIPG_PROXY_COUNT = env_int("MIPG_PROXY_COUNT", 1, minimum=1)

# Login throttling (django-axes): AXES_FAILURE_LIMIT failed logins of one user name from one
# IP lock that pair out for AXES_COOLOFF_MINUTES. `manage.py axes_reset_username USER` or the
# admin ("Access attempts") unlocks earlier.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "mipg.core.security.client_ip"
AXES_LOCKOUT_CALLABLE = "mipg.core.security.lockout_response"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
}

# History: change reasons (required when editing approved figures) may be long.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- REST API (/api/v1/) ----------------------------------------------------------------
# Requests per client IP allowed to anonymous clients, "<n>/<second|minute|hour|day>", or
# "off" for no limit. Authenticated clients are not throttled.
API_ANON_RATE = env_str("API_ANON_RATE", "60/minute")
_requests, _slash, _span = API_ANON_RATE.partition("/")
if API_ANON_RATE.lower() == "off":
    API_ANON_RATE = None
elif not (
    _requests.isdigit()
    and int(_requests) > 0
    and _span in {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
):
    raise ImproperlyConfigured(f"API_ANON_RATE={API_ANON_RATE!r} must look like 60/minute or off.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mipg.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mipg.core.api.permissions.ApiPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["mipg.core.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["mipg.core.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "mipg.core.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["mipg.core.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    "EXCEPTION_HANDLER": "mipg.core.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "mipg.core.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MIPG · API",
    "DESCRIPTION": (Path(__file__).parent / "api" / "description.md").read_text("utf-8"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "mipg.core.models.ReviewStatus",
        "PlanStatusEnum": "planning.models.StrategicPlan.Status",
        "PlanKindEnum": "planning.models.StrategicPlan.Kind",
        "ReportStatusEnum": "accountability.models.AccountabilityReport.Status",
        "ReportKindEnum": "accountability.models.AccountabilityReport.Kind",
        "QuestionStatusEnum": "accountability.models.CitizenQuestion.Status",
        "SemaforoStateEnum": "evaluation.selectors.SemaforoState",
        "BudgetModificationKindEnum": "management.models.BudgetModification.Kind",
    },
}
