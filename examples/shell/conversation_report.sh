#!/usr/bin/env bash
# Every conversation of the Nexus messaging API, as CSV on standard output:
#
#   NEXUS_API_TOKEN=... conversation_report.sh > conversations.csv
#
# Reads page 1 to learn how many pages there are, fetches the others in parallel
# (NEXUS_JOBS at a time, default 4), checks that nothing is missing, and turns the
# JSON into CSV with jq. Progress goes to standard error, so the CSV stays clean.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jobs="${NEXUS_JOBS:-4}"
page_size="${NEXUS_PAGE_SIZE:-50}"
: "${NEXUS_API_TOKEN:?set NEXUS_API_TOKEN to an API access token}"

workdir="$(mktemp -d)"
# Runs however the script ends: success, a failed command under `set -e`, or a SIGTERM.
trap 'rm -rf -- "$workdir"' EXIT

"$here/api_get.sh" "conversations/?page_size=$page_size&page=1" "$workdir/page-1.json"
count="$(jq '.count' "$workdir/page-1.json")"
per_page="$(jq '.results | length' "$workdir/page-1.json")"
pages=$(( per_page > 0 ? (count + per_page - 1) / per_page : 1 ))
echo "$count conversations on $pages pages" >&2

# Pages 2..N, up to $jobs requests at a time. If any fetch fails, xargs exits with 123
# and `set -e` stops the script here.
if (( pages > 1 )); then
    seq 2 "$pages" | xargs -P "$jobs" -I '{}' \
        "$here/api_get.sh" "conversations/?page_size=$page_size&page={}" "$workdir/page-{}.json"
fi

# -s reads every page into one array. Offset pagination shifts when rows are added or deleted
# between two requests: a row then shows up twice or not at all, so check the total.
received="$(jq -s '[.[].results[]] | length' "$workdir"/page-*.json)"
if (( received != count )); then
    echo "the API changed while reading it: expected $count conversations, got $received; run the report again" >&2
    exit 1
fi

jq -r -s '
    [.[].results[]] | sort_by(.id)
    | (["id", "title", "participants", "messages", "created_at"] | @csv),
      (.[] | [.id, .title, ([.participants[].username] | join(" ")), .message_count, .created_at] | @csv)
' "$workdir"/page-*.json
