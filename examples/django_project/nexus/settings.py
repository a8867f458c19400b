"""Settings for the example project the notes use.

Every value that differs between a laptop, CI and production comes from the environment,
with defaults that are safe for local development and tests only.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --8<-- [start:environment]
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
    }
}
# --8<-- [end:environment]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Third-party
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "graphene_django",
    # The example apps
    "messaging",
    "crm",
    "ip_tracking",  # Security note: request logs, blocked and suspicious IPs, rate-limited views
    "api_demo",  # API design note: problem details, idempotency keys, fields, versions
    "django_ratelimit",  # its system check refuses a cache that is not shared (see the Security note block)
    "corsheaders",  # its checks validate the CORS_* settings; CorsMiddleware is added where it is used
    "properties",
    "travel",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # --8<-- [start:middleware_order]
    # The middleware note's classes, outermost first; each is inert until its setting is set
    # (see "Middleware note" at the end of this file). All come after AuthenticationMiddleware.
    "messaging.middleware.RequestLoggingMiddleware",  # sees every response the ones below return
    "messaging.middleware.OpeningHoursMiddleware",  # cheapest refusal first: no cache, no user
    "messaging.middleware.PostRateLimitMiddleware",  # counts only requests that passed the clock
    "messaging.middleware.StaffOnlyPathsMiddleware",  # reads request.user
    # --8<-- [end:middleware_order]
    # --8<-- [start:security_middleware]
    # Security note: inert outside NEXUS_IP_TRACKING_PREFIXES; then 403 for blocked IPs, a log row for all.
    "ip_tracking.middleware.IPTrackingMiddleware",
    # django-ratelimit: turns its Ratelimited exception into RATELIMIT_VIEW's 429 (nothing else).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # --8<-- [end:security_middleware]
]

ROOT_URLCONF = "nexus.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "nexus.wsgi.application"
ASGI_APPLICATION = "nexus.asgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Settings that belong to one note's examples follow, one block per note.

# Middleware note: settings of docs/technologies/django/middleware.md and signals.md
# (messaging/middleware.py, messaging/signals.py). Each default leaves its middleware inert;
# the tests switch a behaviour on with pytest-django's `settings` fixture.
# --8<-- [start:middleware_settings]
NEXUS_LOG_REQUEST_USER = False  # True: log the username too (costs the session and user queries)
# e.g. (18, 21): requests only from 18:00 to 20:59, in the current time zone (TIME_ZONE unless
# timezone.activate() is called)
NEXUS_OPEN_HOURS = None
NEXUS_POST_RATE_LIMIT = None  # e.g. (5, 60): at most 5 POSTs per client IP per 60-second window
NEXUS_STAFF_ONLY_PREFIXES = ["/moderation/"]  # only staff and superusers may open these paths
# --8<-- [end:middleware_settings]

# --8<-- [start:logging]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,  # True would silence loggers created before this runs
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        # Without a handler and a level, Python shows only WARNING and above: INFO lines vanish.
        "nexus.requests": {"handlers": ["console"], "level": os.environ.get("NEXUS_REQUEST_LOG_LEVEL", "INFO")},
    },
}
# --8<-- [end:logging]

# The signals note e-mails notifications; in development the console backend prints them.
# (Tests always use the in-memory backend: Django's test setup replaces this setting.)
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# GraphQL note: the crm app's schema, served at /graphql/ (docs/technologies/graphql/).
# --8<-- [start:graphene]
GRAPHENE = {
    "SCHEMA": "crm.schema.schema",
    # Every connection (allCustomers, allProducts, allOrders) must be asked for a page
    # with `first` or `last`, and a page holds at most 50 rows.
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": True,
    "RELAY_CONNECTION_MAX_LIMIT": 50,
}
# --8<-- [end:graphene]

# REST framework note: the messaging API in messaging/api/ (docs/technologies/drf/).
from datetime import timedelta  # noqa: E402  (kept next to the only settings that use it)

# --8<-- [start:rest_framework]
REST_FRAMEWORK = {
    # Who is calling: a JWT in "Authorization: Bearer <token>". Listed first, it also makes
    # unauthenticated requests 401 with a WWW-Authenticate header instead of 403.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    # Deny by default: every view needs a user unless it says otherwise.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A JSON API: request bodies are JSON only (no form or multipart parsing).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # /api/v1/...: the version is part of the URL and lands in request.version.
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    # Every list is paginated unless a view chooses another paginator.
    "DEFAULT_PAGINATION_CLASS": "messaging.api.pagination.ConversationPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Throttle classes that read their rates from settings on every request (see throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["messaging.api.throttling.AnonThrottle", "messaging.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "600/minute", "login": "10/minute"},
    # One error shape for every error response.
    "EXCEPTION_HANDLER": "messaging.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# --8<-- [end:rest_framework]

# --8<-- [start:simple_jwt]
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),  # short: an access token cannot be revoked
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "ROTATE_REFRESH_TOKENS": True,  # every refresh returns a new refresh token...
    "BLACKLIST_AFTER_ROTATION": True,  # ...and the one just used stops working
    "AUTH_HEADER_TYPES": ("Bearer",),
}
# --8<-- [end:simple_jwt]

# --8<-- [start:spectacular]
SPECTACULAR_SETTINGS = {
    "TITLE": "Nexus messaging API",
    "DESCRIPTION": "Conversations and messages between users (the DRF notes of ALX Project Nexus).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,  # keep /api/schema/ itself out of the schema
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",  # tags from the segment after it: conversations, auth
    "COMPONENT_SPLIT_REQUEST": True,  # separate request and response components (read-only fields)
    # Swagger UI and ReDoc from the drf-spectacular-sidecar package: no CDN, same origin only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "messaging.api.schema.add_error_responses",
    ],
}
# --8<-- [end:spectacular]

# CI/CD note: PostgreSQL instead of SQLite when DJANGO_DB_HOST is set (docs/technologies/ci-cd/).
# The example workflow and Jenkinsfile point these at their PostgreSQL service; unset, nothing changes.
# --8<-- [start:postgresql_from_env]
if os.environ.get("DJANGO_DB_HOST"):
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ["DJANGO_DB_HOST"],
        "PORT": os.environ.get("DJANGO_DB_PORT", "5432"),
        "NAME": os.environ.get("DJANGO_DB_NAME", "nexus"),
        "USER": os.environ.get("DJANGO_DB_USER", "nexus"),
        "PASSWORD": os.environ.get("DJANGO_DB_PASSWORD", ""),
    }
# --8<-- [end:postgresql_from_env]

# Background jobs and payments note: Celery (nexus/celery.py) and Chapa (travel/chapa.py) settings of
# docs/technologies/background-jobs/ and payments.md. Unset, nothing leaves the process: tasks go to an
# in-memory broker, results are not stored, and Chapa calls fail for want of a key. The tests point the
# broker and results at a throw-away Redis and Chapa at a local stand-in server.
# --8<-- [start:celery_settings]
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")  # e.g. amqp://user:pass@rabbitmq:5672/nexus
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None  # None: results are not stored
CELERY_TASK_SERIALIZER = "json"  # task arguments are ids and strings, never model instances
CELERY_RESULT_EXPIRES = timedelta(hours=1)  # results are read once, soon after the task ends
CELERY_TIMEZONE = TIME_ZONE  # beat's crontab() entries are read in this time zone
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}  # Redis/SQS only: seconds before redelivery
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with acks_late: one unacknowledged task per worker process
# --8<-- [end:celery_settings]
# --8<-- [start:chapa_settings]
# CHASECK_TEST-... or the live key: never logged, never committed.
CHAPA_SECRET_KEY = os.environ.get("CHAPA_SECRET_KEY", "")
CHAPA_WEBHOOK_SECRET = os.environ.get("CHAPA_WEBHOOK_SECRET", "")  # empty: every webhook is rejected
CHAPA_WEBHOOK_SIGNATURE_HEADER = os.environ.get("CHAPA_WEBHOOK_SIGNATURE_HEADER", "x-chapa-signature")
CHAPA_BASE_URL = os.environ.get("CHAPA_BASE_URL", "https://api.chapa.co")
CHAPA_TIMEOUT_SECONDS = 10
TRAVEL_BOOKING_HOLD_MINUTES = 30  # an unpaid booking expires after this long
# --8<-- [end:chapa_settings]

# Docker note: the health endpoints of nexus/health.py (docs/technologies/docker/ and kubernetes.md).
# Probes speak plain HTTP from inside the container or from the node, so when the production settings
# turn SECURE_SSL_REDIRECT on, these paths must still answer instead of redirecting to https://.
# --8<-- [start:redirect_exempt]
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # regexes matched against the path without its leading slash
# --8<-- [end:redirect_exempt]

# Caching note: the cache of docs/concepts/caching/ (the properties app). Local memory unless
# DJANGO_REDIS_CACHE_URL is set, so other notes' tests are unaffected; the caching tests point it
# at a throw-away Redis (database 3) with pytest-django's `settings` fixture and redis_cache().
# --8<-- [start:caches]
def redis_cache(url: str) -> dict:
    """A CACHES entry for django-redis, e.g. redis_cache("redis://127.0.0.1:6379/3")."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "nexus",  # every key becomes "nexus:<version>:<key>": apps can share a Redis
        "TIMEOUT": 300,  # seconds, for cache.set() calls that give no timeout
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }


REDIS_CACHE_URL = os.environ.get("DJANGO_REDIS_CACHE_URL")  # e.g. redis://redis:6379/0
CACHES = {
    "default": redis_cache(REDIS_CACHE_URL) if REDIS_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
PROPERTIES_CACHE_TIMEOUT = 60 * 60  # the property listing stays cached for an hour
# --8<-- [end:caches]
LOGGING["loggers"]["properties"] = {"handlers": ["console"], "level": "INFO"}  # the cache metrics log line

# Security note: settings of docs/concepts/security.md and api-design.md (apps ip_tracking, api_demo).
from corsheaders.defaults import default_headers  # noqa: E402  (the library's list, extended below)

# --8<-- [start:security_settings]
NEXUS_IP_TRACKING_PREFIXES = ["/security/"]  # requests logged and checked against BlockedIP; ["/"]: all
NEXUS_TRUSTED_PROXIES = 0  # proxies in front that append to X-Forwarded-For; 0: trust REMOTE_ADDR only
NEXUS_ANOMALY_REQUESTS_PER_HOUR = 100  # more than this from one IP in an hour: flagged
NEXUS_ANOMALY_SENSITIVE_PATHS = ["/admin/", "/security/login/"]
NEXUS_ANOMALY_SENSITIVE_HITS_PER_HOUR = 10  # this many requests to those paths in an hour: flagged

# django-ratelimit counts in its own cache. It must be shared by every worker process and increment
# atomically: Redis in production (NEXUS_RATELIMIT_REDIS_URL, e.g. redis://redis:6379/4). Without it,
# local memory counts correctly for one runserver process only, so the library's check that rejects
# it (E003) is silenced in exactly that case, and in no other.
RATELIMIT_REDIS_URL = os.environ.get("NEXUS_RATELIMIT_REDIS_URL", "")
CACHES["ratelimit"] = (  # CACHES comes from the caching note's block above
    redis_cache(RATELIMIT_REDIS_URL) if RATELIMIT_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
)
RATELIMIT_USE_CACHE = "ratelimit"
SILENCED_SYSTEM_CHECKS = [] if RATELIMIT_REDIS_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_IP_META_KEY = "ip_tracking.network.client_ip"  # the same address the IP tracking uses
RATELIMIT_VIEW = "ip_tracking.views.ratelimited"  # 429 with Retry-After instead of Django's 403

# CORS (django-cors-headers): which other origins' browser code may read API responses.
CORS_ALLOWED_ORIGINS = env_list("DJANGO_CORS_ALLOWED_ORIGINS", "http://localhost:3000")
CORS_URLS_REGEX = r"^/(api|api-design)/"  # the JSON APIs only, never the admin or the pages
CORS_ALLOW_HEADERS = [*default_headers, "idempotency-key"]  # request headers a preflight may ask for
CORS_EXPOSE_HEADERS = ["Location", "Retry-After", "RateLimit", "RateLimit-Policy"]  # readable by the page's code
# --8<-- [end:security_settings]
