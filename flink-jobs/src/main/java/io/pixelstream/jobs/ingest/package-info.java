/**
 * The ingestion job as thin Flink adapters over core: the Kafka source, {@link
 * io.pixelstream.jobs.ingest.DecodeFunction} (decode and validate, bad records to the dead-letter
 * topic; leads model changes), {@link io.pixelstream.jobs.ingest.EmbedOperator} (batched embedding
 * through {@link io.pixelstream.jobs.ingest.EmbedBatcher}), and the sink ({@link
 * io.pixelstream.jobs.ingest.LuceneIndexSink}: a {@link io.pixelstream.jobs.ingest.ShardSinkWriter}
 * per shard, a {@link io.pixelstream.jobs.ingest.ShardMove} while a promotion backfills). Typed
 * options in {@link io.pixelstream.jobs.ingest.IngestOptions}. Must not import a deploy module, the
 * query API or the trainer.
 */
package io.pixelstream.jobs.ingest;
