/** JMH micro-benchmarks: the encoder forward pass against PyTorch, Lucene HNSW against hnswlib. */
package io.pixelstream.bench.jmh;
