#!/usr/bin/env bash
# The local stack on embedded defaults, in one command: Kafka broker, model registry (a first model
# is registered if it is empty), the ingestion job (local MiniCluster) following the registry, a
# demo producer, the query API with its web page, Prometheus scraping every part with the alert
# rules of deploy/monitoring, and optionally the periodic trainer. Logs go to <data-dir>/logs.
#   deploy/local/run.sh [--rate 500] [--images 70000] [--duration 0] [--query-port 8080]
#                       [--prometheus-ui-port 9090] [--train-every 6h] [--first-model random]
#                       [--data-dir data] [--index embedded|solr] ...
#   --first-model trained: on an empty registry, train a quick first model (about 2 minutes)
#   instead of registering a random-init one
#   --index solr: the index on a local SolrCloud (ZooKeeper and 2 Solr nodes, child JVMs under
#   <data-dir>/solr) instead of Lucene shards under <data-dir>/index; prints its admin URL
#   deploy/local/run.sh stop        (or Ctrl-C) shuts everything down
#   deploy/local/run.sh --help      every option
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

data="data"; kafka_port=9092; query_port=8080; prom_ui_port=9090; flink_metrics_port=9249; trainer_port=9250
train_every=""; first_model="random"; index="embedded"; stack_args=()
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'

Options of the stack itself (broker, job, producer):
EOF
  exec "$here/java.sh" deploy/local-stack io.pixelstream.deploy.local.LocalStack --help
fi
if [ "${1:-}" = "stop" ]; then
  shift
  [ "${1:-}" = "--data-dir" ] && data="$2"
  pids="$data/run.pids"
  if [ ! -f "$pids" ]; then echo "no local stack running from $data"; exit 0; fi
  kill $(cat "$pids") 2>/dev/null || true
  echo "stopping the local stack (pids $(tr '\n' ' ' < "$pids"))"
  exit 0
fi
while [ $# -gt 0 ]; do
  case "$1" in
    --query-port) query_port="$2"; shift 2 ;;
    --kafka-port) kafka_port="$2"; stack_args+=("$1" "$2"); shift 2 ;;
    --prometheus-ui-port) prom_ui_port="$2"; shift 2 ;;
    --train-every) train_every="$2"; shift 2 ;;
    --first-model) first_model="$2"; shift 2 ;;
    --index) index="$2"; stack_args+=("$1" "$2"); shift 2 ;;
    --trainer-metrics-port) trainer_port="$2"; shift 2 ;;
    --prometheus-port) flink_metrics_port="$2"; stack_args+=("$1" "$2"); shift 2 ;;
    --data-dir) data="$2"; stack_args+=("$1" "$2"); shift 2 ;;
    *) stack_args+=("$1"); shift ;;
  esac
done
"$here/install-deps.sh"
mkdir -p "$data/logs"
data="$(cd "$data" && pwd)"
registry="$data/registry"

if [ "$first_model" = "trained" ] && [ ! -f "$registry/current" ]; then
  echo "training a first model (1 epoch on 10,000 images; log $data/logs/trainer.log) ..."
  "$here/java.sh" trainer io.pixelstream.trainer.cli.TrainerCli schedule --times 1 \
    --registry "$registry" --epochs 1 --train-limit 10000 --eval-limit 2000 --report false \
    >> "$data/logs/trainer.log" 2>&1
elif [ "$first_model" != "random" ] && [ "$first_model" != "trained" ]; then
  echo "--first-model must be random or trained, got $first_model" >&2; exit 2
fi

pids=()
stop_all() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -f "$data/run.pids"
}
trap stop_all EXIT INT TERM

"$here/java.sh" deploy/local-stack io.pixelstream.deploy.local.LocalStack --registry "$registry" \
  "${stack_args[@]}" &
stack=$!
pids+=("$stack"); echo "$stack" > "$data/run.pids"

# The stack registers a first model on a new registry; the others start once it is current.
for _ in $(seq 1 300); do
  [ -f "$registry/current" ] && break
  kill -0 "$stack" 2>/dev/null || exit 1
  sleep 1
done

index_args=(--index-root "$data/index" --fresh-topic images.fresh)
if [ "$index" = "solr" ]; then
  for _ in $(seq 1 300); do  # the stack starts SolrCloud, then writes its ZooKeeper address
    [ -f "$data/solr/zk-host" ] && [ "$data/solr/zk-host" -nt "$data/run.pids" ] && break
    kill -0 "$stack" 2>/dev/null || exit 1
    sleep 1
  done
  index_args=(--index-backend solr --solr "$(cat "$data/solr/zk-host")")
fi
if [ "$query_port" != 0 ]; then
  "$here/java.sh" query-api io.pixelstream.query.QueryApiMain --registry "$registry" \
    "${index_args[@]}" --port "$query_port" --kafka "127.0.0.1:$kafka_port" \
    > "$data/logs/query-api.log" 2>&1 &
  pids+=("$!"); echo "$!" >> "$data/run.pids"
fi
if [ -n "$train_every" ]; then
  "$here/java.sh" trainer io.pixelstream.trainer.cli.TrainerCli schedule --registry "$registry" \
    --every "$train_every" --metrics-port "$trainer_port" > "$data/logs/trainer.log" 2>&1 &
  pids+=("$!"); echo "$!" >> "$data/run.pids"
fi
if command -v prometheus >/dev/null 2>&1 && [ "$prom_ui_port" != 0 ]; then
  mkdir -p "$data/prometheus"
  sed -e "s/127.0.0.1:9249/127.0.0.1:$flink_metrics_port/" \
      -e "s/127.0.0.1:8080/127.0.0.1:$query_port/" \
      -e "s/127.0.0.1:9250/127.0.0.1:$trainer_port/" \
      -e "s#- alerts.yml#- $root/deploy/monitoring/alerts.yml#" \
      "$root/deploy/monitoring/prometheus.yml" > "$data/prometheus/prometheus.yml"
  prometheus --config.file="$data/prometheus/prometheus.yml" \
    --storage.tsdb.path="$data/prometheus/tsdb" \
    --web.listen-address="127.0.0.1:$prom_ui_port" > "$data/logs/prometheus.log" 2>&1 &
  pids+=("$!"); echo "$!" >> "$data/run.pids"
fi

solr_line=""
if [ "$index" = "solr" ]; then
  node0="$(sed -n 's/^node0=//p' "$data/solr/ports.properties")"
  solr_line="
  SolrCloud admin       http://127.0.0.1:$node0/solr/  (ZooKeeper $(cat "$data/solr/zk-host"), logs $data/solr/node*/solr.log)"
fi
cat <<EOF

  query API + web page  http://127.0.0.1:$query_port/    (log $data/logs/query-api.log)
  Prometheus            http://127.0.0.1:$prom_ui_port/alerts  (scrapes the job, the query API, the trainer)
  job metrics           http://127.0.0.1:$flink_metrics_port/metrics
  trainer               ${train_every:+every $train_every, metrics http://127.0.0.1:$trainer_port/metrics}${train_every:-off (--train-every 6h turns it on)}
  Grafana dashboard     deploy/monitoring/grafana-dashboard.json (import it, pick this Prometheus)${solr_line:-}
  stop                  Ctrl-C, or deploy/local/run.sh stop

EOF
wait "$stack"
