#!/usr/bin/env bash
# The local stack on embedded defaults: Kafka broker, model, ingestion job (MiniCluster), demo
# producer, and the query API with its web page on http://localhost:8080/.
#   deploy/local/run.sh [--rate 500] [--images 70000] [--duration 0] [--query-port 8080] ...
#   (--help lists the stack's options; --query-port 0 leaves the query API out)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-deps.sh"

data="data"; model=""; query_port=8080; stack_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --query-port) query_port="$2"; shift 2 ;;
    --data-dir) data="$2"; stack_args+=("$1" "$2"); shift 2 ;;
    --model-dir) model="$2"; stack_args+=("$1" "$2"); shift 2 ;;
    *) stack_args+=("$1"); shift ;;
  esac
done
model="${model:-$data/models/random-42}"

"$here/java.sh" flink-jobs io.pixelstream.jobs.local.LocalStack "${stack_args[@]}" &
stack=$!
query=""
trap 'kill $stack $query 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM
if [ "$query_port" != 0 ]; then
  # The stack writes the model on first run; the query API starts once it is there.
  for _ in $(seq 1 300); do
    [ -f "$model/manifest.json" ] && break
    kill -0 $stack 2>/dev/null || break
    sleep 1
  done
  if [ -f "$model/manifest.json" ]; then
    "$here/java.sh" query-api io.pixelstream.query.QueryApiMain \
      --model-dir "$model" --index-root "$data/index" --port "$query_port" &
    query=$!
  fi
fi
wait $stack
