#!/usr/bin/env bash
# Runs only the Kafka broker (KRaft, single node) in the foreground: deploy/local/kafka.sh [data-dir] [port]
set -euo pipefail
exec "$(cd "$(dirname "$0")" && pwd)/java.sh" deploy/local-stack io.pixelstream.deploy.kafka.KafkaBroker "$@"
