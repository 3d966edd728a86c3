# shellcheck shell=bash disable=SC2034  # sourced; the variables are used by the scripts that source it
# Shared settings for the test Elasticsearch scripts (sourced by es-start.sh, es-stop.sh, es-smoke.sh).
# Everything lives outside the checkout, under CORRIDOR_ES_HOME (default /var/tmp/corridor-es), so that
# the unprivileged user Elasticsearch runs as can reach it even when the clone sits in a private home.

ES_VERSION="${CORRIDOR_ES_VERSION:-9.5.4}"
ES_ROOT="${CORRIDOR_ES_HOME:-/var/tmp/corridor-es}"
ES_DIST="$ES_ROOT/elasticsearch-$ES_VERSION"   # unpacked distribution (shared by every node)
ES_RUN="$ES_ROOT/run"                          # per-node data, logs, tmp, pid files
ES_ENV_FILE="$ES_ROOT/env"                     # single node: `source` it
ES_CLUSTER_ENV_FILE="$ES_ROOT/cluster.env"     # three-node cluster: `source` it
ES_OS_USER="${CORRIDOR_ES_OS_USER:-corridor-es}" # system user when the scripts run as root

ES_USERNAME="${CORRIDOR_ES_USERNAME:-corridor}"
ES_PASSWORD="${CORRIDOR_ES_PASSWORD:-corridor-test-pw}"   # test-only credentials
ES_PORT="${CORRIDOR_ES_PORT:-9250}"
ES_TRANSPORT_PORT="${CORRIDOR_ES_TRANSPORT_PORT:-9300-9349}"
ES_CLUSTER_NODES=(n1 n2 n3)
ES_CLUSTER_HTTP_BASE="${CORRIDOR_ES_CLUSTER_HTTP_BASE:-9251}"        # n1=9251 n2=9252 n3=9253
ES_CLUSTER_TRANSPORT_BASE="${CORRIDOR_ES_CLUSTER_TRANSPORT_BASE:-9351}" # n1=9351 n2=9352 n3=9353

es_log() { printf '[es] %s\n' "$*" >&2; }
es_die() { printf '[es] ERROR: %s\n' "$*" >&2; exit 1; }

# "single" or n1..n3 -> directory holding that node's data/, logs/, tmp/ and pid file
es_node_dir() { printf '%s/%s' "$ES_RUN" "$1"; }
es_node_pidfile() { printf '%s/%s/es.pid' "$ES_RUN" "$1"; }

es_node_http_port() {
  case "$1" in
    single) printf '%s' "$ES_PORT" ;;
    n[1-9]) printf '%s' $((ES_CLUSTER_HTTP_BASE + ${1#n} - 1)) ;;
    *) es_die "unknown node '$1' (expected single, n1, n2 or n3)" ;;
  esac
}

es_node_transport_port() {
  case "$1" in
    single) printf '%s' "$ES_TRANSPORT_PORT" ;;
    n[1-9]) printf '%s' $((ES_CLUSTER_TRANSPORT_BASE + ${1#n} - 1)) ;;
    *) es_die "unknown node '$1'" ;;
  esac
}

# Prints the pid of a running Elasticsearch node started by these scripts, or fails.
# Checks /proc so that a stale pid file never makes us signal an unrelated process.
es_node_pid() {
  local pidfile pid
  pidfile="$(es_node_pidfile "$1")"
  [ -s "$pidfile" ] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'org.elasticsearch' || return 1
  printf '%s' "$pid"
}

es_node_running() { es_node_pid "$1" >/dev/null; }
