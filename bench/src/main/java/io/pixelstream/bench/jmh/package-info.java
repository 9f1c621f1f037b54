/**
 * JMH micro-benchmarks: the encoder forward pass against PyTorch, Lucene HNSW against hnswlib, a
 * search with and without the query API's fresh images.
 */
package io.pixelstream.bench.jmh;
