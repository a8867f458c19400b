#!/bin/sh
# The image's ENTRYPOINT (docs/technologies/docker/compose.md): secret files become environment
# variables, then the command runs.
#
# Compose and Kubernetes can mount a secret as a file, /run/secrets/<name>; Django's settings
# read the environment. For each NAME below, if NAME_FILE is set, this exports NAME with the
# file's content. Then `exec` replaces the shell with the command (gunicorn, celery, manage.py
# ...), so the command is PID 1 and receives the SIGTERM of `docker stop` itself.
set -eu

# --8<-- [start:file_env]
# A fixed list: other *_FILE variables (SSL_CERT_FILE, for one) are paths programs want as paths.
for name in DJANGO_SECRET_KEY DATABASE_URL CHAPA_SECRET_KEY CHAPA_WEBHOOK_SECRET; do
    path="$(printenv "${name}_FILE" || true)"
    [ -n "$path" ] || continue
    if printenv "$name" >/dev/null; then
        echo "entrypoint: both $name and ${name}_FILE are set; set only one" >&2
        exit 1
    fi
    if [ ! -r "$path" ]; then
        echo "entrypoint: ${name}_FILE names $path, which cannot be read" >&2
        exit 1
    fi
    value="$(cat "$path")" # $(...) drops the trailing newline an editor adds
    export "$name=$value"
    unset "${name}_FILE"
done
# --8<-- [end:file_env]

exec "$@"
