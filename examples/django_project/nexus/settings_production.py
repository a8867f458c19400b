"""Production settings: the base settings, then every switch a public HTTPS site needs.

Select them with DJANGO_SETTINGS_MODULE=nexus.settings_production. Secrets and addresses come
from the environment only; a required variable that is missing or empty stops the process at
import time with ImproperlyConfigured, so a misconfigured deploy fails at its first command
(`collectstatic`, `migrate`, `check --deploy`) instead of serving traffic with a development key.
"""

import copy
import os
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403  (the base settings; everything below overrides them)
from .settings import BASE_DIR, LOGGING as BASE_LOGGING, MIDDLEWARE as BASE_MIDDLEWARE, env_list


# --8<-- [start:required]
def required(name: str) -> str:
    """The value of an environment variable that has no safe default in production."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: production settings refuse to start without it.")
    return value


def required_list(name: str) -> list[str]:
    """A required comma-separated environment variable, as a list without blanks."""
    return [item.strip() for item in required(name).split(",") if item.strip()]


SECRET_KEY = required("DJANGO_SECRET_KEY")
DEBUG = False  # never read from the environment here: one typo must not turn debug pages on
ALLOWED_HOSTS = required_list("DJANGO_ALLOWED_HOSTS")  # e.g. nexus.example.com,www.nexus.example.com
# Only for *other* origins that POST here (a frontend on another domain); the site's own
# origin passes the CSRF check without it, as long as the proxy headers below are right.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# --8<-- [end:required]

# --8<-- [start:https]
# Behind Nginx or a PaaS router, Django sees plain HTTP from the proxy. The proxy sets
# X-Forwarded-Proto to the scheme the browser used (and must overwrite any value the client
# sent); this tells Django to trust it, so request.is_secure() is True for HTTPS visitors.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True  # plain-HTTP requests get a 301 to https://
SESSION_COOKIE_SECURE = True  # browsers send the session cookie over HTTPS only
CSRF_COOKIE_SECURE = True
# HSTS: browsers refuse plain HTTP for this many seconds after one HTTPS visit. Start with an
# hour; raise it (31536000 is a year) once every page and subdomain works over HTTPS.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "3600"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
# security.W021 asks for SECURE_HSTS_PRELOAD. Preloading is a request to browser vendors to
# hard-code HTTPS for the domain and is slow to undo, so it is a deliberate decision, not a default.
# (Added to whatever the base settings silence, not instead of it.)
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
# --8<-- [end:https]


# --8<-- [start:static]
def with_whitenoise(middleware: list[str]) -> list[str]:
    """WhiteNoise right after SecurityMiddleware: static responses still get the security
    headers and the HTTPS redirect, and skip every middleware below (sessions, auth, CSRF)."""
    position = middleware.index("django.middleware.security.SecurityMiddleware") + 1
    return [*middleware[:position], "whitenoise.middleware.WhiteNoiseMiddleware", *middleware[position:]]


MIDDLEWARE = with_whitenoise(BASE_MIDDLEWARE)
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes each file under a content-hashed name (base.<hash>.css) plus
    # .gz copies, and a manifest that {% static %} reads to print the hashed URL.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# --8<-- [end:static]


# --8<-- [start:database]
def database_from_url(url: str) -> dict:
    """A DATABASES entry from a URL such as the DATABASE_URL a PaaS gives you:
    postgres://user:password@host:5432/name?sslmode=require, or sqlite:////absolute/path.sqlite3."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path[1:])}
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"Unsupported database URL scheme {parts.scheme!r}: use postgres:// or sqlite://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),  # e.g. sslmode=require
        # Keep a connection open for a minute of requests instead of opening one per request,
        # and test it before each request reuses it: a connection the database dropped (a
        # restart, a failover) is replaced instead of failing the request.
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": database_from_url(required("DATABASE_URL"))}
# --8<-- [end:database]

# --8<-- [start:logging]
# Log to standard output and let the platform (journald, Render's log stream) store it: no
# log files to rotate, and every process's lines land in one place with timestamps.
LOGGING = copy.deepcopy(BASE_LOGGING)  # a copy: the base settings' dictionary stays untouched
LOGGING["handlers"]["console"]["stream"] = "ext://sys.stdout"
LOGGING["root"] = {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")}
# --8<-- [end:logging]
