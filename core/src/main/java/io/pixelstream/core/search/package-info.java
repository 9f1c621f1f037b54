/**
 * Searching, and the Lucene implementation of the index backend ({@link
 * io.pixelstream.core.backend}). Backend-neutral requests and results: {@link
 * io.pixelstream.core.search.SearchRequest}, {@link io.pixelstream.core.search.SearchMode}, {@link
 * io.pixelstream.core.search.SearchResult}. The Lucene backend: {@link
 * io.pixelstream.core.search.LuceneIndexBackend} (shards on disk, the serving alias, copies between
 * versions) and {@link io.pixelstream.core.search.LucenePinnedVersion} over {@link
 * io.pixelstream.core.search.LiveIndex} (one searcher over every committed shard, swapped on
 * commit) and {@link io.pixelstream.core.search.VectorSearch} (HNSW, whose beam per segment holds
 * {@code candidates} entries; the published cluster-then-rank method; exact). Only these classes
 * and {@code core.index} may use Lucene types in their signatures. Imports no framework (Flink,
 * Kafka, HTTP).
 */
package io.pixelstream.core.search;
