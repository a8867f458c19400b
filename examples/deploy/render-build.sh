#!/usr/bin/env bash
# Render's build command for the Nexus example project (render.yaml), run from the repository
# root with the service's environment variables set. `set -e`: the first failing step fails the build.
set -euo pipefail

# The project's runtime dependencies, pinned (the same file the Docker image installs).
python -m pip install --requirement examples/django_project/requirements.txt
cd examples/django_project
# Hashed and gzipped copies of every static file into STATIC_ROOT, for WhiteNoise to serve.
python manage.py collectstatic --no-input
# Bring the database schema up to date before the new code starts serving.
python manage.py migrate --no-input
