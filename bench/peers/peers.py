#!/usr/bin/env python3
"""The peers of docs/benchmarks.md, measured on this machine with Debian's packages
(python3-torch, python3-sklearn, python3-hnswlib): the seed projects' PyTorch conv encoder, the
usual HNSW library and scikit-learn's exact nearest neighbours, on the same shapes as our JMH
benchmarks (bench/src/main/java/io/pixelstream/bench/jmh). One thread everywhere, as our job runs.
Prints a table and writes JSON.

    python3 bench/peers/peers.py [--n 70000] [--out bench/results/peers.json] [--tiny]
"""
import argparse
import json
import statistics
import time

import hnswlib
import numpy as np
import torch
from sklearn.neighbors import NearestNeighbors

DIM = 64
INSERTS = 10_000


def encoder():
    """Our default Fashion-MNIST encoder (conv 16-32, BN, ReLU, max-pool, 64-d), random init."""
    torch.manual_seed(42)
    n = torch.nn
    return n.Sequential(
        n.Conv2d(1, 16, 3, padding=1), n.BatchNorm2d(16), n.ReLU(), n.MaxPool2d(2),
        n.Conv2d(16, 32, 3, padding=1), n.BatchNorm2d(32), n.ReLU(), n.MaxPool2d(2),
        n.Flatten(), n.Linear(32 * 7 * 7, DIM)).eval()


def rate(fn, warmup_s, rounds, round_s):
    """Calls per second of fn: warm-up, then the median and spread over timed rounds."""
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        fn()
    rates = []
    for _ in range(rounds):
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < round_s:
            fn()
            calls += 1
        rates.append(calls / (time.perf_counter() - start))
    return statistics.median(rates), min(rates), max(rates)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=70_000)
    ap.add_argument("--out", default="bench/results/peers.json")
    ap.add_argument("--tiny", action="store_true")
    a = ap.parse_args()
    n = 2000 if a.tiny else a.n
    warm, rounds, round_s = (0.2, 2, 0.2) if a.tiny else (3, 5, 2)
    torch.set_num_threads(1)
    result = {"machine": {"threads": 1, "torch": torch.__version__, "hnswlib": "0.6.2"},
              "n": n, "dim": DIM}

    enc = encoder()
    result["encoder"] = {}
    with torch.inference_mode():
        for batch in (1, 32, 256):
            x = torch.rand(batch, 1, 28, 28, generator=torch.Generator().manual_seed(7))
            med, lo, hi = rate(lambda: enc(x), warm, rounds, round_s)
            result["encoder"][str(batch)] = {
                "imagesPerSecond": med * batch, "min": lo * batch, "max": hi * batch}

    rng = np.random.default_rng(42)
    vectors = rng.standard_normal((n, DIM), dtype=np.float32)
    queries = rng.standard_normal((1000, DIM), dtype=np.float32)
    inserts = min(INSERTS, n)

    def insert():
        index = hnswlib.Index(space="l2", dim=DIM)
        index.init_index(max_elements=inserts, M=16, ef_construction=100, random_seed=42)
        index.set_num_threads(1)
        index.add_items(vectors[:inserts], np.arange(inserts))

    runs = []
    for _ in range(1 if a.tiny else 3):
        start = time.perf_counter()
        insert()
        runs.append(inserts / (time.perf_counter() - start))
    result["hnswInsert"] = {"perSecond": statistics.median(runs), "min": min(runs),
                            "max": max(runs), "runs": len(runs)}

    index = hnswlib.Index(space="l2", dim=DIM)
    index.init_index(max_elements=n, M=16, ef_construction=100, random_seed=42)
    index.set_num_threads(4)  # only the build; queries below run one at a time
    index.add_items(vectors, np.arange(n))
    index.set_ef(40)
    lat = []
    for i in range(3000 if not a.tiny else 300):
        q = queries[i % len(queries)][None, :]
        start = time.perf_counter()
        index.knn_query(q, k=10)
        lat.append((time.perf_counter() - start) * 1e6)
    lat = lat[len(lat) // 3:]  # warm-up
    result["hnswSearchMicros"] = {"p50": float(np.percentile(lat, 50)),
                                  "p99": float(np.percentile(lat, 99))}

    nn = NearestNeighbors(n_neighbors=10, algorithm="brute").fit(vectors)
    lat = []
    for i in range(300 if not a.tiny else 30):
        start = time.perf_counter()
        nn.kneighbors(queries[i % len(queries)][None, :])
        lat.append((time.perf_counter() - start) * 1e6)
    lat = lat[len(lat) // 3:]
    result["sklearnBruteMicros"] = {"p50": float(np.percentile(lat, 50)),
                                    "p99": float(np.percentile(lat, 99))}

    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"{'peer (1 thread)':<44} {'value':>12}")
    for b, r in result["encoder"].items():
        print(f"{'PyTorch encoder, batch ' + b + ', images/s':<44} {r['imagesPerSecond']:>12.0f}")
    print(f"{'hnswlib insert, vectors/s':<44} {result['hnswInsert']['perSecond']:>12.0f}")
    print(f"{'hnswlib search k10 ef40, p50 us':<44} {result['hnswSearchMicros']['p50']:>12.1f}")
    print(f"{'hnswlib search, p99 us':<44} {result['hnswSearchMicros']['p99']:>12.1f}")
    print(f"{'sklearn brute k10, p50 us':<44} {result['sklearnBruteMicros']['p50']:>12.1f}")
    print("JSON:", a.out)


if __name__ == "__main__":
    main()
