package io.pixelstream.core.index;

/** Names of the fields of an indexed image; see {@code schemas/index-layout.md}. */
public final class IndexFields {

  /** Image id: keyword, stored; the upsert key. */
  public static final String ID = "id";

  /** The embedding: HNSW-indexed float vector. */
  public static final String VECTOR = "vector";

  /** Nearest k-means centroid: int point + doc values, stored. */
  public static final String CLUSTER = "cluster";

  /** Label when the record had one: int point + doc values, stored. */
  public static final String LABEL = "label";

  /** {@code source} header when present: keyword, stored. */
  public static final String SOURCE = "source";

  /** Version of the model that made the vector: keyword, stored. */
  public static final String MODEL_VERSION = "modelVersion";

  /** When the job indexed it (epoch ms): long point + doc values, stored. */
  public static final String INGEST_TIME = "ingestTime";

  /** The Kafka record's timestamp (epoch ms): long point + doc values, stored. */
  public static final String EVENT_TIME = "eventTime";

  /** The original encoded image bytes: stored only. */
  public static final String IMAGE = "image";

  /**
   * With {@code ingest.duplicate-threshold}: the id of the indexed image this one nearly copies.
   */
  public static final String DUPLICATE_OF = "duplicateOf";

  /** Commit user-data key: the source position, {@code topic-partition=offset} pairs. */
  public static final String COMMIT_SOURCE_OFFSETS = "sourceOffsets";

  /** Commit user-data key: wall-clock time of the commit (epoch ms). */
  public static final String COMMIT_TIME = "commitTime";

  /** Commit user-data key: the Flink checkpoint the writer was restored from, when it was. */
  public static final String COMMIT_RESTORED_CHECKPOINT = "restoredCheckpointId";

  /** Commit user-data key: the model version the shard belongs to. */
  public static final String COMMIT_MODEL_VERSION = "modelVersion";

  /** Commit user-data key: how many shards the shard's version has (ids are routed by it). */
  public static final String COMMIT_SHARDS = "shards";

  /**
   * Commit user-data key: {@code false} on a commit made visible without fsyncs ({@link
   * ShardWriter#publish}); absent on a durable commit.
   */
  public static final String COMMIT_DURABLE = "durable";

  /** Commit user-data key: the machine boot a published commit was written in. */
  public static final String COMMIT_BOOT_ID = "bootId";

  private IndexFields() {}
}
