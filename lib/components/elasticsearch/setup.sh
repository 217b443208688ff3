#!/usr/bin/env bash
# Setup of the Elasticsearch cluster: the functions below, then one line per role, user, lifecycle
# policy, index template and data stream the stack declares (appended at synth). Every request
# creates or replaces (PUT), or treats "already exists" as success: running it twice is safe.
# Secrets are read from files and sent in request bodies, never on a command line.
set -euo pipefail
: "${ES_URL:?}" "${CONFIG_DIR:?}" "${CREDENTIALS_DIR:?}" "${WORK_DIR:?}" "${SUPERUSER_CREDENTIALS:?}"
TLS=()
if [ -n "${CA_FILE:-}" ]; then TLS=(--cacert "$CA_FILE"); fi
ELASTIC_PASSWORD="$(cat "$CREDENTIALS_DIR/$SUPERUSER_CREDENTIALS/password")"
RESPONSE="$WORK_DIR/response"

# call METHOD PATH [BODY_FILE]: prints the HTTP status (000 when unreachable); the body goes to $RESPONSE.
# A relative BODY_FILE is read from $CONFIG_DIR.
call() {
  local body=()
  if [ -n "${3:-}" ]; then
    case "$3" in
      /*) body=(--data-binary "@$3") ;;
      *) body=(--data-binary "@$CONFIG_DIR/$3") ;;
    esac
  fi
  curl -sS --max-time 60 -o "$RESPONSE" -w '%{http_code}' -X "$1" ${TLS[@]+"${TLS[@]}"} \
    -u "elastic:$ELASTIC_PASSWORD" -H 'Content-Type: application/json' ${body[@]+"${body[@]}"} \
    "$ES_URL$2" 2>"$WORK_DIR/curl.err" || true
}

# expect_ok WHAT STATUS: stops the script unless STATUS is 200 or 201.
expect_ok() {
  case "$2" in
    200|201) echo "ok: $1" ;;
    *)
      echo "failed: $1: HTTP $2: $(head -c 2000 "$RESPONSE" 2>/dev/null) $(cat "$WORK_DIR/curl.err" 2>/dev/null)" >&2
      exit 1
      ;;
  esac
}

# json_string TEXT: TEXT as a JSON string literal (backslashes and quotes escaped).
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

# read_secret SECRET/KEY: the value of one mounted Secret key; an empty value is an error.
read_secret() {
  local v
  v="$(cat "$CREDENTIALS_DIR/$1")"
  if [ -z "$v" ]; then
    echo "failed: Secret key $1 is empty" >&2
    exit 1
  fi
  printf '%s' "$v"
}

# put_user SECRET ROLES_JSON: creates or updates the user named in the Secret, with its password and roles.
put_user() {
  local user password
  user="$(read_secret "$1/username")"
  password="$(read_secret "$1/password")"
  if ! [[ "$user" =~ ^[A-Za-z0-9_.@-]{1,100}$ ]]; then
    echo "failed: the username in Secret $1 must be 1 to 100 letters, digits, _ . @ or -" >&2
    exit 1
  fi
  printf '{"password":%s,"roles":%s}' "$(json_string "$password")" "$2" > "$WORK_DIR/user.json"
  expect_ok "user $user ($1)" "$(call PUT "/_security/user/$user" "$WORK_DIR/user.json")"
  rm -f "$WORK_DIR/user.json"
}

# set_builtin_password USER SECRET/KEY: sets the password of a built-in user such as kibana_system.
set_builtin_password() {
  printf '{"password":%s}' "$(json_string "$(read_secret "$2")")" > "$WORK_DIR/password.json"
  expect_ok "password of $1" "$(call POST "/_security/user/$1/_password" "$WORK_DIR/password.json")"
  rm -f "$WORK_DIR/password.json"
}

# ensure_data_stream NAME: creates the data stream unless it exists.
ensure_data_stream() {
  local status
  status="$(call PUT "/_data_stream/$1")"
  if [ "$status" = 400 ] && grep -q resource_already_exists_exception "$RESPONSE"; then
    echo "ok: data stream $1 (exists)"
    return
  fi
  expect_ok "data stream $1" "$status"
}

echo "waiting for Elasticsearch at $ES_URL"
status=000
for attempt in $(seq 1 "${WAIT_ATTEMPTS:-60}"); do
  status="$(call GET '/_cluster/health?wait_for_status=yellow&timeout=10s')"
  if [ "$status" = 200 ]; then break; fi
  echo "not ready (HTTP $status), attempt $attempt"
  sleep "${RETRY_SECONDS:-10}"
done
expect_ok "cluster health yellow or green" "$status"
