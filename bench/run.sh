#!/usr/bin/env bash
# The one command behind docs/benchmarks.md: every harness of bench/ on this machine, then one
# table (ours, the peers, their ratio, the issue's targets) printed and written as JSON.
#   bench/run.sh [--tiny] [--out DIR]    (default DIR: bench/results/suite; ~25 min, --tiny ~2 min)
#   bench/run.sh --scale N [--vector-format float32|int8|int4] [--out DIR]
#     instead: N distinct images through broker, job and query API (ScaleBenchmark; default DIR
#     bench/results, file scale.json; ~20 min for 1,000,000 here), e.g. --scale 1000000;
#     with --tiny, short rounds (CI: --scale 3000 --tiny)
#   bench/run.sh --watches [--tiny] [--out DIR]
#     instead: standing queries (WatchBenchmark; file watches.json, ~6 min): ingest images/s and
#     produce -> match event p50/p99 with 0, 100, 1,000 and 10,000 watches, and the near-duplicate
#     lookup's cost per image
# Steps, each its own JVM or process so none warms the next: JMH (DJL encoder, Lucene HNSW), the
# peers (Debian's python3-torch, python3-sklearn, python3-hnswlib), ingest + freshness (broker,
# job, query API), the query API at 1/8/32 clients, the trainer; then BenchSummary.
# Needs the CPU to itself: a build or a training run beside it skews every figure. To measure as
# on a slower machine, run a harness under bench/limit-cpu.sh (a cgroup CPU quota), e.g.
#   bench/limit-cpu.sh 1.3 deploy/local/java.sh bench io.pixelstream.bench.IngestBenchmark --rate 300
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/results/suite"
tiny=()
scale=""
watches=""
format=float32
out_set=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tiny) tiny=(--tiny); shift ;;
    --out) out="$2"; out_set=1; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --watches) watches=1; shift ;;
    --vector-format) format="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--tiny] [--out DIR] | --scale N [--vector-format F] [--out DIR]" \
         "| --watches [--tiny] [--out DIR]" >&2
       exit 2 ;;
  esac
done
java_sh="$root/deploy/local/java.sh"
if [ -n "$scale" ]; then
  if [ -z "$out_set" ]; then out="$root/bench/results"; fi
  mkdir -p "$out"
  # as deployed on the embedded index: the API also answers from the job's fresh-images topic
  exec "$java_sh" bench io.pixelstream.bench.ScaleBenchmark --images "$scale" --fresh-topic true \
    --vector-format "$format" --out "$out/scale.json" "${tiny[@]}"
fi
if [ -n "$watches" ]; then
  if [ -z "$out_set" ]; then out="$root/bench/results"; fi
  mkdir -p "$out"
  exec "$java_sh" bench io.pixelstream.bench.WatchBenchmark --out "$out/watches.json" "${tiny[@]}"
fi
mkdir -p "$out"
python="${PYTHON:-/usr/bin/python3}" # Debian's, where python3-torch & co. live
step() { echo; echo "== $* ($(date -u +%H:%M:%S))"; }

step "1/6 JMH: DJL encoder at batch 1/32/256, Lucene HNSW insert and search"
jmh=()
if [ ${#tiny[@]} -gt 0 ]; then jmh=(-wi 0 -i 1 -r 1s -p size=2000); fi
"$java_sh" bench org.openjdk.jmh.Main 'EncoderBenchmark|HnswBenchmark' "${jmh[@]}" \
  -rf json -rff "$out/jmh.json"

step "2/6 peers: PyTorch conv encoder, hnswlib, scikit-learn exact neighbours"
"$python" "$root/bench/peers/peers.py" --out "$out/peers.json" "${tiny[@]}"

step "3/6 ingest: throughput, time split, freshness (committed and through the query API)"
# as deployed on the embedded index: the API also answers from the job's fresh-images topic
"$java_sh" bench io.pixelstream.bench.IngestBenchmark --fresh-topic true --out "$out/ingest.json" \
  "${tiny[@]}"

step "4/6 query API: by image and by id at 1, 8 and 32 clients, recall@10"
"$java_sh" bench io.pixelstream.bench.QueryBenchmark --segments 1 --out "$out/query.json" "${tiny[@]}"

step "5/6 trainer: images/s of both variants"
"$java_sh" bench io.pixelstream.bench.TrainerBenchmark --out "$out/trainer.json" "${tiny[@]}"

step "6/6 summary"
"$java_sh" bench io.pixelstream.bench.BenchSummary --dir "$out"
