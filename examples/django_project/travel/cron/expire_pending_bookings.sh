#!/usr/bin/env bash
# Expire unpaid bookings; cron runs this every 15 minutes (see nexus.crontab).
#
# Cron starts a job with almost no environment: PATH=/usr/bin:/bin, no virtualenv, the home
# directory as working directory, none of the app's settings. So the script sets up everything
# the management command needs, and takes the rest from an env file.
set -euo pipefail

project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"  # examples/django_project
python="${NEXUS_PYTHON:-$project_dir/../../.venv/bin/python}"
lock_file="${NEXUS_LOCK_DIR:-/tmp}/nexus-expire-pending-bookings.lock"

# Secrets and database settings (DJANGO_SECRET_KEY=..., one per line), readable by this user only.
if [[ -n "${NEXUS_ENV_FILE:-}" ]]; then
    set -a  # export every variable the file assigns
    # shellcheck source=/dev/null
    source "$NEXUS_ENV_FILE"
    set +a
fi
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-nexus.settings}"

cd "$project_dir"
# flock -n: if the previous run still holds the lock, exit 1 at once instead of running twice.
exec flock -n "$lock_file" "$python" manage.py expire_pending_bookings "$@"
