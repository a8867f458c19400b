#!/usr/bin/env bash
# After a deploy: wait until every URL answers 200, checking them all at the same time.
#
#   smoke_test.sh https://nexus.example.com/admin/login/ https://nexus.example.com/api/v1/
#
# Each URL gets NEXUS_ATTEMPTS tries (default 6), waiting NEXUS_RETRY_DELAY_MS milliseconds
# (default 1000) after the first failure and twice as long after each one after it.
# Prints one line per URL; exits 1 if any URL never answered 200.
set -euo pipefail

# --8<-- [start:retry]
# check URL: try until the URL answers 200 or the attempts run out, doubling the wait.
check() {
    local url="$1" attempt=1 status
    local attempts="${NEXUS_ATTEMPTS:-6}" delay_ms="${NEXUS_RETRY_DELAY_MS:-1000}"
    while true; do
        # --write-out prints the status code; curl exits 0 for any status without --fail.
        # "000" means no HTTP answer at all (refused, timed out).
        status="$(curl --silent --output /dev/null --write-out '%{http_code}' \
            --max-time 10 "$url" || true)"
        if [[ "$status" == 200 ]]; then
            echo "ok     $url (attempt $attempt)"
            return 0
        fi
        if (( attempt >= attempts )); then
            echo "FAILED $url (last status $status after $attempt attempts)"
            return 1
        fi
        sleep "$(printf '%d.%03d' $(( delay_ms / 1000 )) $(( delay_ms % 1000 )))"
        delay_ms=$(( delay_ms * 2 ))
        attempt=$(( attempt + 1 ))
    done
}
# --8<-- [end:retry]

# --8<-- [start:parallel]
if (( $# == 0 )); then
    echo "usage: $0 URL [URL...]" >&2
    exit 2
fi

pids=()
for url in "$@"; do
    check "$url" &  # each check runs in the background...
    pids+=("$!")
done

failed=0
for pid in "${pids[@]}"; do
    # ...and `wait PID` returns that job's exit status. A bare `wait` would return 0.
    wait "$pid" || failed=1
done
exit "$failed"
# --8<-- [end:parallel]
