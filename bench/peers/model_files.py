#!/usr/bin/env python3
"""The PyTorch peer of ModelFileBenchmark: the same TorchScript files (ResNet-18-shaped, random
weights, made by make_test_encoders.py --resnet18) run by Debian's python3-torch on one thread, at
the same batches, on the same random inputs' shapes. Writes JSON.

    python3 bench/peers/model_files.py --models DIR --out FILE [--tiny]
"""
import argparse
import json
import time

import torch


def images_per_second(model, batch, size, min_seconds, min_calls):
    x = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        model(x)  # warm-up
        calls, start = 0, time.perf_counter()
        while calls < min_calls or time.perf_counter() - start < min_seconds:
            model(x)
            calls += 1
        return calls * batch / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tiny", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    batches = (1, 4) if a.tiny else (1, 32, 256)
    result = {"torch": torch.__version__, "threads": 1, "imagesPerSecond": {}}
    for size in (64, 224):
        model = torch.jit.load(f"{a.models}/resnet18-{size}.pt").eval()
        for batch in batches:
            r = images_per_second(model, batch, size, 0.5 if a.tiny else 5, 1 if a.tiny else 2)
            result["imagesPerSecond"][f"{size}/{batch}"] = r
            print(f"PyTorch resnet18-{size}, batch {batch}: {r:.1f} images/s", flush=True)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
