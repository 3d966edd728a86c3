#!/usr/bin/env bash
# Stop the test Elasticsearch nodes started by es-start.sh (npm run es:stop).
#
#   bash scripts/es/es-stop.sh              stop everything: the single node and the cluster nodes
#   bash scripts/es/es-stop.sh single       only the single node
#   bash scripts/es/es-stop.sh cluster      only n1, n2 and n3
#   bash scripts/es/es-stop.sh n2 [n3 ...]  only the named cluster node(s), e.g. for a failover test
#
# Stops by pid file (SIGTERM, then SIGKILL after CORRIDOR_ES_STOP_TIMEOUT seconds, default 30),
# waits for the process to exit and removes the pid file. Succeeds when nothing runs; a stale pid
# file (after kill -9) is removed without signalling anything.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=es-common.sh
. "$SCRIPT_DIR/es-common.sh"

STOP_TIMEOUT="${CORRIDOR_ES_STOP_TIMEOUT:-30}"

TARGETS=()
if [ "$#" -eq 0 ]; then set -- all; fi
for arg in "$@"; do
  case "$arg" in
    all) TARGETS+=(single "${ES_CLUSTER_NODES[@]}") ;;
    cluster) TARGETS+=("${ES_CLUSTER_NODES[@]}") ;;
    single | n[1-9]) TARGETS+=("$arg") ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) es_die "unknown node '$arg' (expected all, single, cluster, n1, n2 or n3)" ;;
  esac
done

alive() { kill -0 "$1" 2>/dev/null; }

# Signal every target first, then wait: a cluster shuts down in parallel.
declare -A PIDS=()
for node in "${TARGETS[@]}"; do
  pidfile="$(es_node_pidfile "$node")"
  if pid="$(es_node_pid "$node")"; then
    es_log "stopping $node (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    PIDS[$node]="$pid"
  elif [ -e "$pidfile" ]; then
    es_log "$node is not running (removing stale pid file)"
    rm -f "$pidfile"
  fi
done

status=0
for node in "${!PIDS[@]}"; do
  pid="${PIDS[$node]}"
  deadline=$(($(date +%s) + STOP_TIMEOUT))
  while alive "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  if alive "$pid"; then
    es_log "$node (pid $pid) still running after ${STOP_TIMEOUT}s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  fi
  if alive "$pid"; then
    es_log "could not stop $node (pid $pid)"
    status=1
  else
    rm -f "$(es_node_pidfile "$node")"
    es_log "$node stopped"
  fi
done

[ "${#PIDS[@]}" -gt 0 ] || es_log "no running node to stop"
exit "$status"
