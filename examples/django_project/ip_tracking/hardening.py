"""The settings `manage.py check --deploy` asks for, as a production settings module would set them.

The example project keeps its development defaults; the security note's test applies this dict
with the `settings` fixture and shows which deployment warnings disappear.
"""

# --8<-- [start:production]
PRODUCTION_SECURITY = {
    "DEBUG": False,  # never True in production: tracebacks show settings and code
    "SECURE_SSL_REDIRECT": True,  # http:// -> https:// (SECURE_REDIRECT_EXEMPT keeps health probes on http)
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),  # only behind a proxy that sets it
    "SECURE_HSTS_SECONDS": 31_536_000,  # one year; start small (3600) until HTTPS is certain everywhere
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,  # the session cookie never travels over plain HTTP
    "CSRF_COOKIE_SECURE": True,
}
# SECRET_KEY comes from the environment (DJANGO_SECRET_KEY): 50+ random characters, never in Git.
# --8<-- [end:production]
