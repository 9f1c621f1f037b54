/**
 * Searching an index backend. The seam: {@link io.pixelstream.core.search.IndexBackend} (which
 * version is served, open one, switch, retain) and {@link io.pixelstream.core.search.PinnedVersion}
 * (top-k by vector or id in HNSW, cluster or exact mode with filters, stored images, cluster
 * samples, counts), with backend-neutral requests and results ({@link
 * io.pixelstream.core.search.SearchRequest}, {@link io.pixelstream.core.search.SearchResult}). The
 * Lucene implementation: {@link io.pixelstream.core.search.LuceneIndexBackend} and {@link
 * io.pixelstream.core.search.LucenePinnedVersion} over {@link io.pixelstream.core.search.LiveIndex}
 * (one searcher over every committed shard, swapped on commit) and {@link
 * io.pixelstream.core.search.VectorSearch} (HNSW, whose beam per segment holds {@code candidates}
 * entries; the published cluster-then-rank method; exact). Only those four classes may use Lucene
 * types in their signatures. Imports no framework (Flink, Kafka, HTTP).
 */
package io.pixelstream.core.search;
