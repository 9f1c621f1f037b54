/**
 * The index backend seam: where model versions' documents live and which version is served. {@link
 * io.pixelstream.core.backend.IndexBackend} opens a version for searching ({@link
 * io.pixelstream.core.backend.PinnedVersion}), a shard of a version for writing ({@link
 * io.pixelstream.core.backend.ShardSink}), and a copy of the served version into a new one ({@link
 * io.pixelstream.core.backend.VersionCopy}); it switches the served version and applies retention.
 * A shard sink has two ways to end a batch of writes: {@code publish}, which makes them visible to
 * searchers at once without waiting for the storage to make them durable (Lucene: a commit without
 * fsyncs; SolrCloud: a soft commit), and {@code commit}, which makes them durable too (what a
 * checkpoint waits for). The job's sink, its backfill and the query API talk to these interfaces
 * only; the Lucene shards on disk ({@code io.pixelstream.core.search.LuceneIndexBackend}) are the
 * first implementation. Interfaces and plain records only: imports no Lucene and no framework.
 */
package io.pixelstream.core.backend;
