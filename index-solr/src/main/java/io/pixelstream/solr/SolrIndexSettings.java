package io.pixelstream.solr;

import io.pixelstream.core.index.HnswOptions;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the SolrCloud is and how the backend lays out its collections.
 *
 * @param connect ZooKeeper hosts ({@code host:port[,host:port][/chroot]}) or Solr URLs ({@code
 *     http://host:port/solr[,...]})
 * @param alias the collection alias that names the served version; each version's collection is
 *     {@code <alias>_<version>}
 * @param shards shards of each new collection
 * @param replicationFactor copies of each shard
 * @param replicas the kind of replicas each shard gets
 * @param hnsw the vector field's graph parameters
 * @param commitWithinMs how soon Solr makes an update visible (a soft commit), at the latest
 */
public record SolrIndexSettings(
    String connect,
    String alias,
    int shards,
    int replicationFactor,
    Replicas replicas,
    HnswOptions hnsw,
    long commitWithinMs)
    implements Serializable {

  /** How a shard's copies stay in step. */
  public enum Replicas {
    /** Every replica indexes every document (near-real-time replicas): fastest visibility. */
    NRT,
    /**
     * One TLOG replica per shard indexes (and another TLOG replica could take over); the others are
     * PULL replicas that copy its segments and only answer queries.
     */
    TLOG_PULL;

    /** {@code nrt} or {@code tlog-pull} (any case). */
    public static Replicas parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "nrt" -> NRT;
        case "tlog-pull", "tlog_pull", "tlog" -> TLOG_PULL;
        default ->
            throw new IllegalArgumentException(
                "index.solr.replicas must be nrt or tlog-pull, got '" + name + "'");
      };
    }
  }

  public SolrIndexSettings {
    if (connect == null || connect.isBlank()) {
      throw new IllegalArgumentException(
          "the SolrCloud's ZooKeeper hosts or Solr URLs (job: index.solr, query API: --solr) must"
              + " be set with the solr index backend");
    }
    if (alias == null || !alias.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException(
          "index.solr.alias must be letters, digits, '_' or '-', got '" + alias + "'");
    }
    if (shards < 1) {
      throw new IllegalArgumentException("index.solr.shards must be >= 1, got " + shards);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "index.solr.replication-factor must be >= 1, got " + replicationFactor);
    }
    if (replicas == null) {
      throw new IllegalArgumentException("index.solr.replicas must be set");
    }
    if (hnsw == null) {
      throw new IllegalArgumentException("hnsw must be set");
    }
    if (commitWithinMs < 1) {
      throw new IllegalArgumentException(
          "index.solr.commit-within must be >= 1 ms, got " + commitWithinMs);
    }
  }

  /** Reads and queries only: {@code connect} and the alias matter. */
  public static SolrIndexSettings forQueries(String connect, String alias) {
    return new SolrIndexSettings(connect, alias, 1, 1, Replicas.NRT, HnswOptions.DEFAULT, 1000);
  }

  /** True when {@link #connect} names Solr URLs rather than ZooKeeper hosts. */
  boolean viaUrls() {
    return connect.startsWith("http://") || connect.startsWith("https://");
  }

  /** Solr URLs, or ZooKeeper hosts without the chroot. */
  List<String> hosts() {
    String hosts = viaUrls() || !connect.contains("/") ? connect : connect.split("/", 2)[0];
    return Arrays.stream(hosts.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The ZooKeeper chroot ({@code /solr}, say), or null. */
  String chroot() {
    return viaUrls() || !connect.contains("/") ? null : "/" + connect.split("/", 2)[1];
  }

  /** The collection that holds {@code modelVersion}'s documents. */
  String collection(String modelVersion) {
    return alias + "_" + modelVersion;
  }

  /** The model version whose collection is {@code collection}, or null for another collection. */
  String versionOf(String collection) {
    String prefix = alias + "_";
    return collection.startsWith(prefix) ? collection.substring(prefix.length()) : null;
  }
}
