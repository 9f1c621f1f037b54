/**
 * Images answerable before their shard publishes them. The ingestion job writes every embedded
 * image (or delete) to a Kafka topic as well as to its shard ({@link
 * io.pixelstream.core.fresh.FreshImageCodec}); the query API holds what it reads there in {@link
 * io.pixelstream.core.fresh.FreshImages} and serves each version through a {@link
 * io.pixelstream.core.fresh.FreshOverlay}, which ranks the held images exactly beside the index's
 * hits and lets a held record of an id replace the index's. A record is dropped once the visible
 * commit of its shard records a source position at or past its offset, so the index alone answers
 * for it from then on. Visibility then waits for the embedding and one Kafka hop, not for a publish
 * and a reader reopen; the index stays the record of what is durable. Imports no framework.
 */
package io.pixelstream.core.fresh;
