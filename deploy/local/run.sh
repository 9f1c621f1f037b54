#!/usr/bin/env bash
# The local stack on embedded defaults: Kafka broker, model, ingestion job (MiniCluster), demo producer.
#   deploy/local/run.sh [--rate 500] [--images 70000] [--duration 0] ... (--help lists all)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-deps.sh"
exec "$here/java.sh" flink-jobs io.pixelstream.jobs.local.LocalStack "$@"
