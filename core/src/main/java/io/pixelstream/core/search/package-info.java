/**
 * Searching the live index: {@link io.pixelstream.core.search.LiveIndex} keeps one searcher over
 * every committed shard of a model version and swaps it when the ingestion job commits; {@link
 * io.pixelstream.core.search.VectorSearch} ranks by HNSW (approximate; each segment's beam holds
 * {@code candidates} entries, Lucene's {@code k} of {@code KnnFloatVectorQuery}), by the published
 * cluster-then-rank method, or exactly.
 */
package io.pixelstream.core.search;
