#!/usr/bin/env bash
# GET one path of the Nexus messaging API and write the JSON body to a file.
#
#   NEXUS_API_TOKEN=... api_get.sh 'conversations/?page=2' page-2.json
#
# The base URL comes from NEXUS_API_URL (default http://127.0.0.1:8000/api/v1). The token comes
# from the environment and reaches curl on standard input, never as an argument: arguments
# are visible to every user of the machine in `ps` and /proc/<pid>/cmdline.
set -euo pipefail

# --8<-- [start:get]
path="$1"
output="$2"
base_url="${NEXUS_API_URL:-http://127.0.0.1:8000/api/v1}"
: "${NEXUS_API_TOKEN:?set NEXUS_API_TOKEN to an API access token}"

# --fail: an HTTP error (4xx, 5xx) is an error exit, not an error page saved as data.
# --retry: repeat on transient problems (timeouts, 408, 429, 500, 502, 503, 504). curl waits
#   1 s, then 2, 4, ... unless the server's Retry-After says otherwise (NEXUS_RETRY_DELAY
#   fixes the wait instead; 0 keeps curl's doubling). --retry-connrefused also retries
#   "connection refused", as while the API restarts. 401, 404 and the like fail at once.
# --connect-timeout / --max-time: a hung server costs seconds, not forever.
curl --fail --silent --show-error \
    --retry "${NEXUS_RETRIES:-4}" --retry-delay "${NEXUS_RETRY_DELAY:-0}" --retry-connrefused \
    --connect-timeout 5 --max-time 30 \
    --header "Accept: application/json" \
    --config - \
    --output "$output" \
    "$base_url/$path" <<<"header = \"Authorization: Bearer $NEXUS_API_TOKEN\""
# --8<-- [end:get]
