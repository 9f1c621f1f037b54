/**
 * Benchmark harnesses (ingest throughput and freshness, query latency and recall, model switch,
 * trainer speed, soak) and the summary that {@code bench/run.sh} writes into {@code
 * docs/benchmarks.md}. Speed targets live here, never in timed tests.
 */
package io.pixelstream.bench;
