#!/usr/bin/env bash
# Start a real Elasticsearch for tests and development (npm run es:start).
#
#   bash scripts/es/es-start.sh             single node on 127.0.0.1:$CORRIDOR_ES_PORT (default 9250)
#   bash scripts/es/es-start.sh --cluster   three nodes n1..n3, HTTP 9251-9253, transport 9351-9353
#   add --fresh to stop those nodes and delete their data first (an empty cluster)
#
# Idempotent: downloads the Elasticsearch integration-test distribution from Maven Central once,
# unpacks it once, (re)builds and (re)installs the test-only analysis plugin (test/es-plugin) when
# its source changed, creates the file-realm user, starts whatever node is not running yet and waits
# for cluster health. Prints the variables a test needs and writes them to $CORRIDOR_ES_HOME/env
# (or cluster.env), so `source /var/tmp/corridor-es/env` works. Stop with scripts/es/es-stop.sh.
#
# Settings (environment): CORRIDOR_ES_HOME (/var/tmp/corridor-es), CORRIDOR_ES_PORT (9250),
# CORRIDOR_ES_USERNAME (corridor), CORRIDOR_ES_PASSWORD (corridor-test-pw), CORRIDOR_ES_VERSION
# (9.5.4), CORRIDOR_ES_JAVA_HOME (auto: a JDK >= 21), CORRIDOR_ES_HEAP (512m),
# CORRIDOR_ES_START_TIMEOUT (90 seconds), CORRIDOR_ES_OS_USER (corridor-es, used when run as root),
# CORRIDOR_ES_JAVA_OPTS (extra server JVM options; default none, -XX:TieredStopAtLevel=1 for --cluster).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
# shellcheck source=es-common.sh
. "$SCRIPT_DIR/es-common.sh"

MODE=single
FRESH=0
for arg in "$@"; do
  case "$arg" in
    --cluster) MODE=cluster ;;
    --single) MODE=single ;;
    --fresh) FRESH=1 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) es_die "unknown argument '$arg' (use --cluster or nothing)" ;;
  esac
done

case "$ES_USERNAME$ES_PASSWORD" in *"'"* | *$'\n'* | *'"'*) es_die "CORRIDOR_ES_USERNAME/PASSWORD must not contain quotes or newlines" ;; esac
case "$ES_USERNAME" in *:* | "") es_die "CORRIDOR_ES_USERNAME must be non-empty and without ':'" ;; esac
[ "${#ES_PASSWORD}" -ge 6 ] || es_die "CORRIDOR_ES_PASSWORD must have at least 6 characters (Elasticsearch's minimum)"

HEAP="${CORRIDOR_ES_HEAP:-512m}"
START_TIMEOUT="${CORRIDOR_ES_START_TIMEOUT:-90}"
# Extra server JVM options. Three nodes starting at once on a 2-core machine are CPU bound (about
# 45 s); limiting the JIT to C1 halves that. Not the default for the single node, whose steady-state
# speed matters (benchmarks). Set CORRIDOR_ES_JAVA_OPTS (even empty) to override.
if [ "$MODE" = cluster ]; then
  EXTRA_JAVA_OPTS="${CORRIDOR_ES_JAVA_OPTS--XX:TieredStopAtLevel=1}"
else
  EXTRA_JAVA_OPTS="${CORRIDOR_ES_JAVA_OPTS-}"
fi
PLUGIN_NAME=corridor-test-analysis
PLUGIN_SRC="$REPO_ROOT/test/es-plugin"
PLUGIN_BUILD="$ES_ROOT/plugin-build"
T0=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
for tool in curl unzip; do
  command -v "$tool" >/dev/null || es_die "'$tool' is required but not installed"
done

java_major() { # prints the feature version of the JDK at $1, or nothing
  local out
  out="$("$1/bin/java" -version 2>&1 | head -n 1)" || return 0
  out="$(printf '%s' "$out" | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p')"
  printf '%s' "$out"
}

find_jdk() { # a JDK (java + javac) of version 21 or newer
  local candidates=() c major
  [ -n "${CORRIDOR_ES_JAVA_HOME:-}" ] && candidates+=("$CORRIDOR_ES_JAVA_HOME")
  [ -n "${ES_JAVA_HOME:-}" ] && candidates+=("$ES_JAVA_HOME")
  # Temurin 25+ first (verified with Elasticsearch 9.5), then any other JDK, newest first.
  for c in /usr/lib/jvm/temurin-2[5-9]*-jdk-* /usr/lib/jvm/temurin-[3-9][0-9]*-jdk-*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  while IFS= read -r c; do candidates+=("$c"); done < <(ls -1d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major="$(java_major "$c")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      printf '%s' "$c"
      return 0
    fi
  done
  return 1
}

JDK="$(find_jdk)" || es_die "no JDK 21 or newer found (Elasticsearch $ES_VERSION needs Java 21+, and javac builds the test plugin).
  Install one (e.g. Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64) or set CORRIDOR_ES_JAVA_HOME."
JDK_MAJOR="$(java_major "$JDK")"

# ---------------------------------------------------------------------------------------------
# Who runs Elasticsearch (it refuses to run as root)
# ---------------------------------------------------------------------------------------------
IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

mkdir -p "$ES_ROOT"
if [ "$IS_ROOT" -eq 1 ]; then
  if ! id -u "$ES_OS_USER" >/dev/null 2>&1; then
    es_log "creating system user $ES_OS_USER (Elasticsearch refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir "$ES_ROOT" --shell /usr/sbin/nologin "$ES_OS_USER" \
      || es_die "could not create system user $ES_OS_USER"
  fi
  chmod 755 "$ES_ROOT"
else
  [ -w "$ES_ROOT" ] || es_die "$ES_ROOT is not writable by $(id -un) (created by another user?). Set CORRIDOR_ES_HOME to another folder."
fi

CLI_OPTS="-XX:TieredStopAtLevel=1" # the short-lived CLI tools (launcher, plugin, users) start faster with C1 only
as_es() { # run a command as the Elasticsearch user, with the environment Elasticsearch needs
  if [ "$IS_ROOT" -eq 1 ]; then
    runuser -u "$ES_OS_USER" -- env HOME="$ES_ROOT" ES_JAVA_HOME="$JDK" CLI_JAVA_OPTS="$CLI_OPTS" "$@"
  else
    env ES_JAVA_HOME="$JDK" CLI_JAVA_OPTS="$CLI_OPTS" "$@"
  fi
}

give_to_es() { [ "$IS_ROOT" -eq 1 ] && chown -R "$ES_OS_USER:$ES_OS_USER" "$@"; return 0; }

# One start at a time (parallel CI jobs, or a developer and a test run).
exec 9>"$ES_ROOT/.start.lock"
flock -w 600 9 || es_die "another es-start.sh holds $ES_ROOT/.start.lock"

# ---------------------------------------------------------------------------------------------
# 1. Distribution: Maven Central integ-test-zip, downloaded and unpacked once
# ---------------------------------------------------------------------------------------------
if [ ! -x "$ES_DIST/bin/elasticsearch" ] || [ ! -f "$ES_DIST/.corridor-unpacked" ]; then
  ZIP="$ES_ROOT/download/elasticsearch-$ES_VERSION.zip"
  if [ ! -s "$ZIP" ]; then
    command -v mvn >/dev/null || es_die "'mvn' (Maven) is required to fetch Elasticsearch $ES_VERSION from Maven Central"
    es_log "downloading org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip (Maven Central)"
    mkdir -p "$ES_ROOT/download"
    # Run from an empty folder so Maven never picks up some pom.xml.
    if ! (cd "$ES_ROOT/download" && mvn -q -B dependency:copy \
      "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      "-DoutputDirectory=$ES_ROOT/download") >"$ES_ROOT/download/mvn.log" 2>&1; then
      cat "$ES_ROOT/download/mvn.log" >&2
      es_die "Maven could not fetch Elasticsearch $ES_VERSION (output above)"
    fi
    [ -s "$ZIP" ] || es_die "Maven finished but $ZIP is missing"
  fi
  es_log "unpacking $ZIP"
  rm -rf "$ES_DIST" "$ES_ROOT/unpack.tmp"
  mkdir -p "$ES_ROOT/unpack.tmp"
  unzip -q "$ZIP" -d "$ES_ROOT/unpack.tmp"
  mv "$ES_ROOT/unpack.tmp/elasticsearch-$ES_VERSION" "$ES_DIST"
  rm -rf "$ES_ROOT/unpack.tmp" "$ES_ROOT/plugin.installed"
  touch "$ES_DIST/.corridor-unpacked"
  give_to_es "$ES_DIST"
fi

# ---------------------------------------------------------------------------------------------
# 2. Test-only analysis plugin: build and install when its source (or the JDK/ES version) changed
# ---------------------------------------------------------------------------------------------
[ -f "$PLUGIN_SRC/plugin-descriptor.properties" ] || es_die "plugin source not found in $PLUGIN_SRC"
PLUGIN_HASH="$(
  {
    printf 'es=%s jdk=%s\n' "$ES_VERSION" "$JDK_MAJOR"
    cd "$PLUGIN_SRC" && find . -type f \( -name '*.java' -o -name 'plugin-descriptor.properties' \) -print0 \
      | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
)"
INSTALLED_HASH="$(cat "$ES_ROOT/plugin.installed" 2>/dev/null || true)"

running_nodes() {
  local n
  for n in single "${ES_CLUSTER_NODES[@]}"; do es_node_running "$n" && printf '%s ' "$n"; done
  return 0
}

if [ "$PLUGIN_HASH" != "$INSTALLED_HASH" ] || [ ! -d "$ES_DIST/plugins/$PLUGIN_NAME" ]; then
  if [ -n "$(running_nodes)" ]; then
    es_log "the test plugin changed: stopping running nodes: $(running_nodes) to install it"
    bash "$SCRIPT_DIR/es-stop.sh"
  fi
  es_log "building test plugin $PLUGIN_NAME with $JDK (javac --release 21)"
  rm -rf "$PLUGIN_BUILD"
  mkdir -p "$PLUGIN_BUILD/classes" "$PLUGIN_BUILD/zip"
  mapfile -d '' SOURCES < <(find "$PLUGIN_SRC" -name '*.java' -print0 | sort -z)
  "$JDK/bin/javac" --release 21 -nowarn -encoding UTF-8 -cp "$ES_DIST/lib/*" -d "$PLUGIN_BUILD/classes" "${SOURCES[@]}" \
    || es_die "the test plugin does not compile against Elasticsearch $ES_VERSION"
  "$JDK/bin/jar" --create --file "$PLUGIN_BUILD/zip/$PLUGIN_NAME.jar" -C "$PLUGIN_BUILD/classes" .
  sed "s/^elasticsearch.version=.*/elasticsearch.version=$ES_VERSION/" \
    "$PLUGIN_SRC/plugin-descriptor.properties" >"$PLUGIN_BUILD/zip/plugin-descriptor.properties"
  "$JDK/bin/jar" --create --no-manifest --file "$PLUGIN_BUILD/$PLUGIN_NAME.zip" -C "$PLUGIN_BUILD/zip" .
  chmod -R a+rX "$PLUGIN_BUILD"
  if [ -d "$ES_DIST/plugins/$PLUGIN_NAME" ]; then
    as_es "$ES_DIST/bin/elasticsearch-plugin" remove --purge "$PLUGIN_NAME" >&2 \
      || rm -rf "$ES_DIST/plugins/$PLUGIN_NAME"
  fi
  es_log "installing $PLUGIN_NAME into $ES_DIST"
  as_es "$ES_DIST/bin/elasticsearch-plugin" install --batch "file://$PLUGIN_BUILD/$PLUGIN_NAME.zip" >&2 \
    || es_die "elasticsearch-plugin install failed"
  printf '%s\n' "$PLUGIN_HASH" >"$ES_ROOT/plugin.installed"
fi

# ---------------------------------------------------------------------------------------------
# 3. File-realm user (superuser) for the tests, kept in sync with CORRIDOR_ES_USERNAME/PASSWORD
# ---------------------------------------------------------------------------------------------
USER_STAMP="$(printf '%s\n%s\n' "$ES_USERNAME" "$ES_PASSWORD" | sha256sum | cut -c1-16)"
if [ "$(cat "$ES_ROOT/user.stamp" 2>/dev/null || true)" != "$USER_STAMP" ] \
  || ! grep -q "^$ES_USERNAME:" "$ES_DIST/config/users" 2>/dev/null; then
  if grep -q "^$ES_USERNAME:" "$ES_DIST/config/users" 2>/dev/null; then
    as_es "$ES_DIST/bin/elasticsearch-users" userdel "$ES_USERNAME" >/dev/null
  fi
  es_log "creating Elasticsearch user '$ES_USERNAME' (role superuser, file realm)"
  as_es "$ES_DIST/bin/elasticsearch-users" useradd "$ES_USERNAME" -p "$ES_PASSWORD" -r superuser \
    || es_die "elasticsearch-users useradd failed"
  printf '%s\n' "$USER_STAMP" >"$ES_ROOT/user.stamp"
fi

# ---------------------------------------------------------------------------------------------
# 4. Start the nodes that are not running
# ---------------------------------------------------------------------------------------------
port_busy() { # true if something listens on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

node_log_tail() {
  local node="$1" dir f
  dir="$(es_node_dir "$node")/logs"
  local from
  if [ -s "$dir/startup.out" ]; then
    printf -- '----- last lines of %s -----\n' "$dir/startup.out" >&2
    tail -n 40 "$dir/startup.out" >&2
  fi
  f="$dir/$(cluster_name).log"
  from=$(($(cat "$dir/.log-offset" 2>/dev/null || echo 0) + 1))
  if [ -s "$f" ] && [ "$(wc -l <"$f")" -ge "$from" ]; then
    printf -- '----- last lines of %s (this start only) -----\n' "$f" >&2
    tail -n +"$from" "$f" | tail -n 60 >&2
  fi
}

cluster_name() { [ "$MODE" = cluster ] && printf 'corridor-test-cluster' || printf 'corridor-test'; }

launch_node() { # starts one node in the background (daemon); returns the launcher's exit status
  local node="$1" dir http transport
  dir="$(es_node_dir "$node")"
  http="$(es_node_http_port "$node")"
  transport="$(es_node_transport_port "$node")"
  mkdir -p "$dir/data" "$dir/logs" "$dir/tmp"
  rm -f "$dir/es.pid"
  # The server log is appended to across starts: remember where this start begins, for error reports.
  { wc -l 2>/dev/null <"$dir/logs/$(cluster_name).log" || echo 0; } >"$dir/logs/.log-offset"
  give_to_es "$dir"
  local args=(
    -d -p "$dir/es.pid"
    -E "cluster.name=$(cluster_name)"
    -E "node.name=$node"
    -E network.host=127.0.0.1
    -E "http.port=$http"
    -E "transport.port=$transport"
    -E "path.data=$dir/data"
    -E "path.logs=$dir/logs"
    -E xpack.security.enabled=true
    -E xpack.security.http.ssl.enabled=false
    -E xpack.security.transport.ssl.enabled=false
    # Test machines often have little free disk: do not let the watermarks turn the cluster red.
    -E cluster.routing.allocation.disk.threshold_enabled=false
  )
  if [ "$node" = single ]; then
    args+=(-E discovery.type=single-node)
  else
    local seeds="" n
    for n in "${ES_CLUSTER_NODES[@]}"; do seeds+="${seeds:+,}127.0.0.1:$(es_node_transport_port "$n")"; done
    args+=(-E "discovery.seed_hosts=$seeds" -E "cluster.initial_master_nodes=$(IFS=,; printf '%s' "${ES_CLUSTER_NODES[*]}")")
  fi
  # The launcher's working directory ends up holding gc.log / hs_err files: use the node's logs dir.
  (cd "$dir/logs" && as_es ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP $EXTRA_JAVA_OPTS" ES_TMPDIR="$dir/tmp" \
    "$ES_DIST/bin/elasticsearch" "${args[@]}") >"$dir/logs/startup.out" 2>&1 9>&-  # the lock is not for the server
}

if [ "$MODE" = single ]; then NODES=(single); else NODES=("${ES_CLUSTER_NODES[@]}"); fi

if [ "$FRESH" -eq 1 ]; then
  bash "$SCRIPT_DIR/es-stop.sh" "${NODES[@]}"
  for node in "${NODES[@]}"; do
    es_log "deleting the data of $node"
    rm -rf "$(es_node_dir "$node")/data"
  done
fi

TO_START=()
for node in "${NODES[@]}"; do
  if es_node_running "$node"; then
    es_log "node $node already running (pid $(es_node_pid "$node"))"
  else
    port="$(es_node_http_port "$node")"
    port_busy "$port" && es_die "port $port is in use by another process: set CORRIDOR_ES_PORT (single node) or stop it"
    TO_START+=("$node")
  fi
done

tree_pids() { # a process we started and all its descendants (by pid, via /proc)
  local child
  printf '%s\n' "$1"
  for child in $(awk -v p="$1" '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null); do tree_pids "$child"; done
}

kill_tree() { # SIGTERM them, give them 15 s, then SIGKILL what is left
  local pids p
  pids="$(tree_pids "$1")"
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    for p in $pids; do kill -0 "$p" 2>/dev/null && break; p=""; done
    [ -z "$p" ] && return 0
    sleep 0.5
  done
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
}

# One deadline for launching and for the health wait.
deadline=$(($(date +%s) + START_TIMEOUT))

if [ "${#TO_START[@]}" -gt 0 ]; then
  es_log "starting ${TO_START[*]} (Elasticsearch $ES_VERSION, Java $JDK_MAJOR, heap $HEAP)"
  # Cluster nodes block in `-d` until they find each other, so launch them in parallel.
  declare -A LAUNCHER=()
  for node in "${TO_START[@]}"; do
    launch_node "$node" &
    LAUNCHER[$node]=$!
  done
  failed=0
  for node in "${TO_START[@]}"; do
    pid="${LAUNCHER[$node]}"
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      es_log "node $node did not start within ${START_TIMEOUT}s"
      kill_tree "$pid"
      wait "$pid" 2>/dev/null || true
      node_log_tail "$node"
      failed=1
    elif ! wait "$pid"; then
      es_log "node $node failed to start"
      node_log_tail "$node"
      failed=1
    fi
  done
  [ "$failed" -eq 0 ] || { bash "$SCRIPT_DIR/es-stop.sh" "${TO_START[@]}" >/dev/null 2>&1 || true; exit 1; }
fi

# ---------------------------------------------------------------------------------------------
# 5. Wait for cluster health (GET / answers 405 on this distribution: use _cluster/health)
# ---------------------------------------------------------------------------------------------
FIRST_PORT="$(es_node_http_port "${NODES[0]}")"
HEALTH_URL="http://127.0.0.1:$FIRST_PORT/_cluster/health?wait_for_status=yellow&wait_for_nodes=${#NODES[@]}&timeout=5s"
while :; do
  body="$(curl -sS -m 10 -u "$ES_USERNAME:$ES_PASSWORD" -w '\n%{http_code}' "$HEALTH_URL" 2>/dev/null || true)"
  code="${body##*$'\n'}"
  if [ "$code" = 200 ]; then break; fi
  for node in "${NODES[@]}"; do
    if ! es_node_running "$node"; then
      es_log "node $node exited while starting"
      node_log_tail "$node"
      exit 1
    fi
  done
  if [ "$(date +%s)" -ge "$deadline" ]; then
    es_log "cluster not healthy after ${START_TIMEOUT}s (last answer: HTTP ${code:-none} ${body%$'\n'*})"
    for node in "${NODES[@]}"; do node_log_tail "$node"; done
    exit 1
  fi
  sleep 1
done

# ---------------------------------------------------------------------------------------------
# 6. Tell the caller how to connect
# ---------------------------------------------------------------------------------------------
URL="http://127.0.0.1:$FIRST_PORT"
q() { # a value both `source` (bash) and dotenv parsers (node --env-file) read back unchanged
  case "$1" in
    *[!A-Za-z0-9_./:,@+=-]*)
      case "$1" in *"'"* | *$'\n'*) es_die "values with quotes or newlines are not supported: $1" ;; esac
      printf "'%s'" "$1" ;;
    *) printf '%s' "$1" ;;
  esac
}
if [ "$MODE" = single ]; then
  ENV_FILE="$ES_ENV_FILE"
  ENV_TEXT="export CORRIDOR_ES_URL=$(q "$URL")
export CORRIDOR_ES_USERNAME=$(q "$ES_USERNAME")
export CORRIDOR_ES_PASSWORD=$(q "$ES_PASSWORD")"
else
  ENV_FILE="$ES_CLUSTER_ENV_FILE"
  NODE_URLS=""
  for node in "${NODES[@]}"; do NODE_URLS+="${NODE_URLS:+,}http://127.0.0.1:$(es_node_http_port "$node")"; done
  ENV_TEXT="export CORRIDOR_ES_URL=$(q "$URL")
export CORRIDOR_ES_NODES=$(q "$NODE_URLS")
export CORRIDOR_ES_USERNAME=$(q "$ES_USERNAME")
export CORRIDOR_ES_PASSWORD=$(q "$ES_PASSWORD")"
fi
printf '%s\n' "$ENV_TEXT" >"$ENV_FILE.tmp" && mv "$ENV_FILE.tmp" "$ENV_FILE"
chmod 644 "$ENV_FILE"

es_log "Elasticsearch $ES_VERSION ready ($MODE, $(($(date +%s) - T0)) s); variables also in $ENV_FILE"
printf '%s\n' "$ENV_TEXT"
