#!/usr/bin/env bash
# Imported encoders (issue 24's benchmarks): ResNet-18-shaped TorchScript and ONNX files with random
# weights at 3x64x64 and 3x224x224, made here by Debian's python3-torch; DJL's images/s at batch
# 1/32/256 against PyTorch on the same files in the same run; then end-to-end ingest with the
# 3x224x224 TorchScript model imported by the trainer (job parallelism 2, this machine's 2 cores).
#   bench/model-files.sh [--tiny] [--out DIR]    (default DIR: bench/results/model-files; ~12 min)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/results/model-files"
tiny=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tiny) tiny=(--tiny); shift ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: bench/model-files.sh [--tiny] [--out DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
work="$(mktemp -d)" # the models (180 MB) and the registry, removed at the end
trap 'rm -rf "$work"' EXIT
java_sh="$root/deploy/local/java.sh"
python="${PYTHON:-/usr/bin/python3}"
step() { echo; echo "== $* ($(date -u +%H:%M:%S))"; }

step "1/4 models: ResNet-18-shaped, random weights, TorchScript and ONNX"
(mkdir -p "$work/models" && cd "$work/models" && "$python" "$root/core/src/test/resources/io/pixelstream/core/embed/make_test_encoders.py" . --resnet18)

step "2/4 PyTorch on the TorchScript files, one thread"
"$python" "$root/bench/peers/model_files.py" --models "$work/models" --out "$out/pytorch.json" "${tiny[@]}"

step "3/4 DJL: TorchScript (PyTorch engine) and ONNX (ONNX Runtime), one thread"
"$java_sh" bench io.pixelstream.bench.ModelFileBenchmark --models "$work/models" --out "$out/djl.json" "${tiny[@]}"

step "4/4 ingest end to end with resnet18-224 imported by the trainer"
"$java_sh" trainer io.pixelstream.trainer.cli.TrainerCli import --registry "$work/registry" \
  --torchscript "$work/models/resnet18-224.pt" --input 3x224x224 --train-limit 200 --eval-limit 100 \
  --seeds 1 --version resnet18-224 --report false
images=600; rate=10; steady=20
if [ ${#tiny[@]} -gt 0 ]; then images=40; rate=4; steady=3; fi
"$java_sh" bench io.pixelstream.bench.IngestBenchmark --model "$work/registry/versions/resnet18-224" \
  --parallelism 2 --images "$images" --rate "$rate" --steady-seconds "$steady" --runs 1 \
  --out "$out/ingest.json"
