#!/usr/bin/env bash
# Provisions Kibana data views through Kibana's API: one request body per view in $CONFIG_DIR
# (data-view-*.json), each sent with "override": true, so that running this twice leaves one
# view per id, as the body describes it. The credentials are those of a kibana_admin user.
set -euo pipefail
: "${KIBANA_URL:?}" "${CONFIG_DIR:?}" "${CREDENTIALS_DIR:?}" "${WORK_DIR:?}"
USERNAME="$(cat "$CREDENTIALS_DIR/username")"
PASSWORD="$(cat "$CREDENTIALS_DIR/password")"
RESPONSE="$WORK_DIR/response"

# call METHOD PATH [BODY_FILE]: prints the HTTP status (000 when unreachable); the body goes to $RESPONSE.
call() {
  local body=()
  if [ -n "${3:-}" ]; then body=(--data-binary "@$3"); fi
  curl -sS --max-time 60 -o "$RESPONSE" -w '%{http_code}' -X "$1" -u "$USERNAME:$PASSWORD" \
    -H 'kbn-xsrf: true' -H 'Content-Type: application/json' ${body[@]+"${body[@]}"} \
    "$KIBANA_URL$2" 2>"$WORK_DIR/curl.err" || true
}

echo "waiting for Kibana at $KIBANA_URL"
ready=no
for attempt in $(seq 1 "${WAIT_ATTEMPTS:-90}"); do
  status="$(call GET /api/status)"
  if [ "$status" = 200 ] && grep -q '"level":"available"' "$RESPONSE"; then ready=yes; break; fi
  echo "not ready (HTTP $status), attempt $attempt"
  sleep "${RETRY_SECONDS:-10}"
done
if [ "$ready" != yes ]; then echo "failed: Kibana did not become available" >&2; exit 1; fi

shopt -s nullglob
for view in "$CONFIG_DIR"/data-view-*.json; do
  status="$(call POST /api/data_views/data_view "$view")"
  case "$status" in
    200) echo "ok: $(basename "$view")" ;;
    *) echo "failed: $(basename "$view"): HTTP $status: $(head -c 2000 "$RESPONSE")" >&2; exit 1 ;;
  esac
done
echo "setup complete"
