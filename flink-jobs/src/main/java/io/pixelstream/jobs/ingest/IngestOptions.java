package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.solr.SolrIndexSettings;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every setting of the ingestion job, typed. Keys double as command-line options: {@code
 * --kafka.bootstrap-servers host:9092 --model.dir models/v1 ...}.
 */
public final class IngestOptions {

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap-servers")
          .stringType()
          .defaultValue("127.0.0.1:9092")
          .withDescription("Kafka bootstrap servers.");

  public static final ConfigOption<String> TOPIC =
      ConfigOptions.key("kafka.topic")
          .stringType()
          .defaultValue("images")
          .withDescription("Input topic: key = image id, value = PNG/JPEG bytes, null = delete.");

  public static final ConfigOption<String> DLQ_TOPIC =
      ConfigOptions.key("kafka.dlq-topic")
          .stringType()
          .defaultValue("images.dlq")
          .withDescription("Dead-letter topic for refused records (original + 'error' header).");

  public static final ConfigOption<Integer> DLQ_MAX_RECORD_BYTES =
      ConfigOptions.key("kafka.dlq-max-record-bytes")
          .intType()
          .defaultValue(1_000_000)
          .withDescription(
              "Largest dead letter (key, value and headers); a larger refused record is written"
                  + " without its value, its key and headers cut to 1 KB, and a 'dlq.omitted'"
                  + " header saying what was left out; 'source.*' headers still find the original."
                  + " Keep it under the dead-letter topic's max.message.bytes (1 MB by default).");

  public static final ConfigOption<String> FRESH_TOPIC =
      ConfigOptions.key("kafka.fresh-topic")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Also write every embedded image and delete here (key = image id, value ="
                  + " io.pixelstream.core.fresh.FreshImageCodec), as it reaches its shard: a query"
                  + " API started with --fresh-topic answers for it at once instead of after the"
                  + " shard's next publish. Short retention suffices (minutes). Unset: off.");

  public static final ConfigOption<Duration> FRESH_MAX_LAG =
      ConfigOptions.key("kafka.fresh-max-lag")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription(
              "An image embedded later than this after its Kafka timestamp is not written to"
                  + " kafka.fresh-topic (deletes always are): the job is behind, the fresh path"
                  + " would cost throughput where it gains little, and the image is answerable"
                  + " after its shard's next publish. Counted as freshSkipped.");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("kafka.group-id")
          .stringType()
          .defaultValue("pixelstream-ingest")
          .withDescription("Consumer group; offsets are committed to it on checkpoints.");

  public static final ConfigOption<String> KAFKA_PROPERTIES =
      ConfigOptions.key("kafka.properties")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A Java properties file of Kafka client settings for the source and the"
                  + " dead-letter sink: security.protocol, sasl.*, ssl.* (TLS, SASL/SCRAM,"
                  + " SASL/PLAIN) or any other client setting; read where the job is built."
                  + " Secret values are never logged.");

  public static final ConfigOption<Boolean> BOUNDED =
      ConfigOptions.key("kafka.bounded")
          .booleanType()
          .defaultValue(false)
          .withDescription("Stop at the offsets that are latest when the job starts (batch runs).");

  public static final ConfigOption<String> MODEL_DIR =
      ConfigOptions.key("model.dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Model artifact folder (manifest.json + encoder.npz), on a path every "
                  + "task manager can read; a fixed model. Set this or model.registry.");

  public static final ConfigOption<String> MODEL_REGISTRY =
      ConfigOptions.key("model.registry")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Model registry folder (the trainer's): the job uses its current version and, when"
                  + " another is promoted, re-embeds what is indexed into the new version's index"
                  + " (a backfill) while the stream goes on, then moves the index alias. Set this"
                  + " or model.dir.");

  public static final ConfigOption<Duration> MODEL_POLL_INTERVAL =
      ConfigOptions.key("model.poll-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("How often the job looks at the registry's current version.");

  public static final ConfigOption<Integer> BACKFILL_BATCH_SIZE =
      ConfigOptions.key("backfill.batch-size")
          .intType()
          .defaultValue(256)
          .withDescription(
              "Images re-embedded per backfill step; steps take at most half of a shard writer's"
                  + " time, the stream the rest.");

  public static final ConfigOption<Integer> RETAIN_VERSIONS =
      ConfigOptions.key("index.retain-versions")
          .intType()
          .defaultValue(1)
          .withDescription(
              "Previously served versions whose shards are kept (for a quick look back or a"
                  + " rollback's source); older ones are deleted after a switch. At least 1.");

  public static final ConfigOption<IndexBackendKind> INDEX_BACKEND =
      ConfigOptions.key("index.backend")
          .enumType(IndexBackendKind.class)
          .defaultValue(IndexBackendKind.EMBEDDED)
          .withDescription(
              "embedded: Lucene shards under index.root, one per sink subtask. solr: one SolrCloud"
                  + " collection per model version behind the alias index.solr.alias, at"
                  + " index.solr.");

  public static final ConfigOption<String> SOLR_CONNECT =
      ConfigOptions.key("index.solr")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "With index.backend solr: ZooKeeper hosts (host:port[,host:port][/chroot]) or Solr"
                  + " URLs (http://host:8983/solr[,...]).");

  public static final ConfigOption<String> SOLR_ALIAS =
      ConfigOptions.key("index.solr.alias")
          .stringType()
          .defaultValue("pixelstream")
          .withDescription(
              "The collection alias that names the served version; version v's collection is"
                  + " <alias>_v.");

  public static final ConfigOption<Integer> SOLR_SHARDS =
      ConfigOptions.key("index.solr.shards")
          .intType()
          .defaultValue(2)
          .withDescription("Shards of each new version's collection (Solr routes ids to them).");

  public static final ConfigOption<Integer> SOLR_REPLICATION_FACTOR =
      ConfigOptions.key("index.solr.replication-factor")
          .intType()
          .defaultValue(1)
          .withDescription("Copies of each shard of a new collection, each on another node.");

  public static final ConfigOption<SolrIndexSettings.Replicas> SOLR_REPLICAS =
      ConfigOptions.key("index.solr.replicas")
          .enumType(SolrIndexSettings.Replicas.class)
          .defaultValue(SolrIndexSettings.Replicas.NRT)
          .withDescription(
              "NRT: every copy indexes (the freshest). TLOG_PULL: one TLOG copy per shard indexes,"
                  + " the others are PULL copies that fetch its segments and only answer queries.");

  public static final ConfigOption<Duration> SOLR_COMMIT_WITHIN =
      ConfigOptions.key("index.solr.commit-within")
          .durationType()
          .defaultValue(Duration.ofMillis(200))
          .withDescription(
              "How soon Solr makes a sent update visible (a soft commit); updates are sent at"
                  + " every index.publish-interval and acknowledged before each checkpoint.");

  public static final ConfigOption<String> INDEX_ROOT =
      ConfigOptions.key("index.root")
          .stringType()
          .defaultValue("data/index")
          .withDescription("Index root; shards are <root>/<model-version>/shard-<n>.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("job.parallelism")
          .intType()
          .defaultValue(1)
          .withDescription("Parallelism of every operator; also the number of index shards.");

  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("embed.batch-size")
          .intType()
          .defaultValue(64)
          .withDescription("Images per encoder call; a batch is sent when full...");

  public static final ConfigOption<Duration> BATCH_TIMEOUT =
      ConfigOptions.key("embed.batch-timeout")
          .durationType()
          .defaultValue(Duration.ofMillis(20))
          .withDescription(
              "... or when its first image has waited this long (a backlog fills batches"
                  + " without waiting).");

  public static final ConfigOption<String> DEVICE =
      ConfigOptions.key("embed.device")
          .stringType()
          .defaultValue("auto")
          .withDescription("auto (GPU when PyTorch sees one), cpu or gpu.");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("job.checkpoint-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(2))
          .withDescription(
              "Checkpoint interval; each checkpoint commits the index shards durably (fsync)"
                  + " with the Kafka position, which is where a restart replays from. Freshness"
                  + " does not wait for it (index.publish-interval).");

  public static final ConfigOption<Duration> PUBLISH_INTERVAL =
      ConfigOptions.key("index.publish-interval")
          .durationType()
          .defaultValue(Duration.ofMillis(100))
          .withDescription(
              "How often each shard makes what it wrote visible to searchers between"
                  + " checkpoints: a commit without fsyncs, which survives a crash of the job but"
                  + " not of the machine (the next checkpoint makes it durable). This bounds"
                  + " freshness. Publishes run on a thread of their own while the sink writes"
                  + " on, one at a time: one that takes longer delays the next. 0 makes images"
                  + " visible at checkpoints only.");

  public static final ConfigOption<String> CHECKPOINT_DIR =
      ConfigOptions.key("job.checkpoint-dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Where checkpoints are kept (retained on cancellation). Without it, the cluster's"
                  + " execution.checkpointing.dir (flinkConfiguration on Kubernetes); one of the"
                  + " two is required.");

  public static final ConfigOption<Integer> MAX_IMAGE_BYTES =
      ConfigOptions.key("image.max-bytes")
          .intType()
          .defaultValue(8 << 20)
          .withDescription("Larger values go to the dead-letter topic as TOO_LARGE.");

  public static final ConfigOption<Integer> MAX_IMAGE_SIDE =
      ConfigOptions.key("image.max-side")
          .intType()
          .defaultValue(4096)
          .withDescription("Larger width or height goes to the dead-letter topic as WRONG_SIZE.");

  public static final ConfigOption<Integer> HNSW_MAX_CONN =
      ConfigOptions.key("index.hnsw.max-conn")
          .intType()
          .defaultValue(HnswOptions.DEFAULT.maxConn())
          .withDescription("HNSW neighbours per node (M).");

  public static final ConfigOption<Integer> HNSW_BEAM_WIDTH =
      ConfigOptions.key("index.hnsw.beam-width")
          .intType()
          .defaultValue(HnswOptions.DEFAULT.beamWidth())
          .withDescription(
              "HNSW candidates while inserting and merging: more builds a better graph (recall)"
                  + " for more CPU per image (docs/benchmarks.md, \"HNSW build cost\").");

  public static final ConfigOption<HnswOptions.VectorFormat> VECTOR_FORMAT =
      ConfigOptions.key("index.vector-format")
          .enumType(HnswOptions.VectorFormat.class)
          .defaultValue(HnswOptions.VectorFormat.FLOAT32)
          .withDescription(
              "How the embedded shards store the vectors the HNSW graph is searched over:"
                  + " FLOAT32, or scalar-quantized INT8 (a quarter of the bytes) or INT4 (an"
                  + " eighth); quantized distances are approximate (docs/benchmarks.md).");

  public static final ConfigOption<Double> RAM_BUFFER_MB =
      ConfigOptions.key("index.ram-buffer-mb")
          .doubleType()
          .defaultValue(64.0)
          .withDescription("Lucene RAM buffer per shard writer.");

  public static final ConfigOption<Integer> MERGE_NICE =
      ConfigOptions.key("index.merge-nice")
          .intType()
          .defaultValue(ShardWriter.DEFAULT_MERGE_NICE)
          .withDescription(
              "Linux nice value (1-19) of Lucene's merge threads, so that merges, which rebuild"
                  + " HNSW graphs, take the cores the embedding and indexing leave idle; 0 merges"
                  + " at the job's own priority.");

  public static final ConfigOption<Boolean> WATCH_ENABLED =
      ConfigOptions.key("watch.enabled")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Match every newly embedded image against the standing queries on watch.topic and"
                  + " write a match event per (watch, image) to watch.match-topic.");

  public static final ConfigOption<String> WATCH_TOPIC =
      ConfigOptions.key("watch.topic")
          .stringType()
          .defaultValue("images.watches")
          .withDescription(
              "The watches: a compacted topic, key = watch id, value = schemas/watch.schema.json,"
                  + " null value = deleted. Read from the start; the query API writes it.");

  public static final ConfigOption<String> MATCH_TOPIC =
      ConfigOptions.key("watch.match-topic")
          .stringType()
          .defaultValue("images.matches")
          .withDescription(
              "Match events, key = watch id, value = schemas/match-event.schema.json; one per"
                  + " (watch, image record), also across restores.");

  public static final ConfigOption<Double> DUPLICATE_THRESHOLD =
      ConfigOptions.key("ingest.duplicate-threshold")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "Tag near-copies: each new image is looked up in the live index (and among the"
                  + " images its embed step saw last); when its nearest neighbour scores at least"
                  + " this, the document gets duplicateOf and a match event with watch id"
                  + " 'duplicate' goes to watch.match-topic. Needs watch.enabled. Unset: off.");

  private IngestOptions() {}
}
