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
NEXUS_OPEN_HOURS = None  # e.g. (18, 21): requests only from 18:00 to 20:59, in TIME_ZONE
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
