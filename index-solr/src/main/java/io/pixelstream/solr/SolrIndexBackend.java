package io.pixelstream.solr;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.backend.VersionCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IndexBackend} over a SolrCloud: each model version's documents in collection {@code
 * <alias>_<version>}, created when a writer first opens it, with the version's vector dimension and
 * similarity ({@link SolrSchema}), and the served version named by the collection alias {@code
 * <alias>}, whose properties also keep the serving period ({@code generation}) and the versions
 * served before ({@code history}, for retention). Solr routes documents to its shards by id, so
 * every writer writes the whole collection; {@link #openShard}'s shard number only names the
 * writer. One CloudSolrClient per backend; thread-safe.
 */
public final class SolrIndexBackend implements IndexBackend {

  private static final Logger LOG = LoggerFactory.getLogger(SolrIndexBackend.class);
  static final String GENERATION = "generation";
  static final String HISTORY = "history";

  /**
   * The version {@link #GENERATION} belongs to: the alias moves first, then both are written, and a
   * reader in between counts the move already.
   */
  static final String SERVED = "served";

  /**
   * Collections this backend created or saw active: {@link #ensureCollection} has nothing to do.
   */
  private final Map<String, Boolean> active = new ConcurrentHashMap<>();

  private final SolrIndexSettings settings;
  private final CloudHttp2SolrClient client;
  private final SolrShardFanOut fanOut;

  public SolrIndexBackend(SolrIndexSettings settings) {
    this.settings = settings;
    CloudHttp2SolrClient.Builder builder =
        settings.viaUrls()
            ? new CloudHttp2SolrClient.Builder(settings.hosts())
            : new CloudHttp2SolrClient.Builder(
                settings.hosts(), Optional.ofNullable(settings.chroot()));
    this.client = builder.build();
    this.fanOut = new SolrShardFanOut(client);
  }

  SolrIndexSettings settings() {
    return settings;
  }

  CloudSolrClient client() {
    return client;
  }

  SolrShardFanOut fanOut() {
    return fanOut;
  }

  @Override
  public Optional<Served> served() throws IOException {
    String alias = settings.alias();
    List<String> collections =
        SolrRetry.until(
            "resolve alias " + alias, () -> client.getClusterStateProvider().resolveAlias(alias));
    if (collections.isEmpty() || collections.get(0).equals(alias)) {
      return Optional.empty();
    }
    String version = settings.versionOf(collections.get(0));
    if (version == null) {
      throw new IllegalStateException(
          "alias "
              + alias
              + " names collection "
              + collections.get(0)
              + ", not one of its versions");
    }
    Map<String, String> props = aliasProperties();
    long generation = Long.parseLong(props.getOrDefault(GENERATION, "0"));
    if (!version.equals(props.get(SERVED))) {
      generation++; // the alias moved and the switch has not recorded its period yet
    }
    return Optional.of(new Served(version, generation));
  }

  private Map<String, String> aliasProperties() throws IOException {
    return SolrRetry.until(
        "read alias properties",
        () -> client.getClusterStateProvider().getAliasProperties(settings.alias()));
  }

  @Override
  public PinnedVersion open(String modelVersion) throws IOException {
    return new SolrPinnedVersion(this, modelVersion);
  }

  @Override
  public synchronized long switchTo(String modelVersion) throws IOException {
    Optional<Served> now = served();
    if (now.isPresent() && now.get().version().equals(modelVersion)) {
      return now.get().generation();
    }
    String collection = settings.collection(modelVersion);
    if (!exists(collection)) {
      throw new IllegalStateException(
          "cannot serve model " + modelVersion + ": collection " + collection + " does not exist");
    }
    long generation = now.map(s -> s.generation() + 1).orElse(0L);
    List<String> history = new ArrayList<>(history());
    history.remove(modelVersion);
    history.add(modelVersion);
    SolrRetry.until(
        "point alias " + settings.alias() + " at " + collection,
        () -> CollectionAdminRequest.createAlias(settings.alias(), collection).process(client));
    SolrRetry.until(
        "record serving period " + generation,
        () ->
            CollectionAdminRequest.setAliasProperty(settings.alias())
                .addProperty(GENERATION, Long.toString(generation))
                .addProperty(SERVED, modelVersion)
                .addProperty(HISTORY, String.join(",", history))
                .process(client));
    awaitAlias(collection);
    LOG.info("alias {} serves {} (generation {})", settings.alias(), collection, generation);
    return generation;
  }

  /** Waits until this client's view of the alias names {@code collection}. */
  private void awaitAlias(String collection) throws IOException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      List<String> now = client.getClusterStateProvider().resolveAlias(settings.alias());
      if (now.equals(List.of(collection))) {
        return;
      }
      sleep(50);
    }
    throw new IOException("alias " + settings.alias() + " did not move to " + collection);
  }

  /** The versions served so far, oldest first (the current one last). */
  private List<String> history() throws IOException {
    String history = aliasProperties().getOrDefault(HISTORY, "");
    return history.isEmpty() ? List.of() : Arrays.asList(history.split(","));
  }

  @Override
  public synchronized List<String> retain(int retain) throws IOException {
    List<String> history = new ArrayList<>(history()); // the served version last
    Optional<String> served = servedVersion();
    if (served.isPresent()
        && (history.isEmpty() || !history.get(history.size() - 1).equals(served.get()))) {
      history.remove(served.get()); // the alias moved, the switch has not recorded it yet
      history.add(served.get());
    }
    if (history.size() <= retain + 1) {
      return List.of();
    }
    List<String> expired = history.subList(0, history.size() - retain - 1);
    for (String old : expired) {
      String collection = settings.collection(old);
      if (exists(collection)) {
        SolrRetry.until(
            "delete collection " + collection,
            () -> CollectionAdminRequest.deleteCollection(collection).process(client));
      }
      active.remove(collection);
    }
    List<String> kept = history.subList(history.size() - retain - 1, history.size());
    Map<String, String> props = aliasProperties();
    SolrRetry.until(
        "record the retained versions",
        () -> {
          var update =
              CollectionAdminRequest.setAliasProperty(settings.alias())
                  .addProperty(HISTORY, String.join(",", kept));
          for (String old : expired) {
            for (String key : props.keySet()) {
              if (key.startsWith(CopyState.prefix(old))) {
                update.addProperty(key, ""); // an empty value removes the property
              }
            }
          }
          return update.process(client);
        });
    return List.copyOf(expired);
  }

  /** Solr's shards of the version's collection (Solr routes ids to them itself); 0 without one. */
  @Override
  public int shardCount(String modelVersion) throws IOException {
    String collection = settings.collection(modelVersion);
    if (!exists(collection)) {
      return 0;
    }
    DocCollection state = client.getClusterStateProvider().getCollection(collection);
    return state == null ? 0 : state.getSlices().size();
  }

  /** Creates the version's collection unless it exists, then a writer into it. */
  @Override
  public ShardSink openShard(
      String modelVersion, int shard, int shards, String similarity, int dimension)
      throws IOException {
    ensureCollection(modelVersion, new SolrSchema(dimension, similarity, settings.hnsw()));
    return new SolrShardSink(this, modelVersion, "writer " + shard);
  }

  @Override
  public VersionCopy copy(
      Served from,
      int shard,
      int shards,
      ShardSink target,
      ShardSink ownSource,
      VersionCopy.Reembedder reembedder)
      throws IOException {
    String to = settings.versionOf(((SolrShardSink) target).collection());
    return new SolrVersionCopy(this, from, to, shard, shards, target, ownSource, reembedder);
  }

  /** True when each of the {@code shards} writers recorded a finished copy from {@code from}. */
  @Override
  public boolean copied(String modelVersion, int shards, Served from) throws IOException {
    Map<String, String> props = aliasProperties();
    for (int writer = 0; writer < shards; writer++) {
      Optional<CopyState> state = CopyState.parse(props.get(CopyState.key(modelVersion, writer)));
      if (state.isEmpty()
          || !state.get().done()
          || !state.get().fromVersion().equals(from.version())
          || state.get().generation() != from.generation()) {
        return false;
      }
    }
    return exists(settings.collection(modelVersion));
  }

  /** A property of the alias; null when unset. */
  String aliasProperty(String key) throws IOException {
    return aliasProperties().get(key);
  }

  void setAliasProperty(String key, String value) throws IOException {
    SolrRetry.until(
        "record " + key,
        () ->
            CollectionAdminRequest.setAliasProperty(settings.alias())
                .addProperty(key, value)
                .process(client));
  }

  @Override
  public List<StoredImage> storedImages(String modelVersion, int limit) throws IOException {
    return SolrStoredImages.read(this, modelVersion, limit);
  }

  boolean exists(String collection) throws IOException {
    return SolrRetry.until(
            "look up collection " + collection,
            () -> Optional.ofNullable(client.getClusterStateProvider().getState(collection)))
        .isPresent();
  }

  /**
   * Creates {@code modelVersion}'s collection with {@code schema} unless it exists (another writer
   * may create it at the same time), and waits until every shard has an active leader.
   */
  void ensureCollection(String modelVersion, SolrSchema schema) throws IOException {
    String collection = settings.collection(modelVersion);
    if (active.containsKey(collection)) {
      return;
    }
    synchronized (active) {
      if (!exists(collection)) {
        String config = schema.configName(settings.alias());
        uploadConfig(config, schema);
        try {
          SolrRetry.until(
              "create collection " + collection,
              () -> {
                var create =
                    switch (settings.replicas()) {
                      case NRT ->
                          CollectionAdminRequest.createCollection(
                              collection, config, settings.shards(), settings.replicationFactor());
                      case TLOG_PULL ->
                          CollectionAdminRequest.createCollection(
                              collection,
                              config,
                              settings.shards(),
                              0,
                              1,
                              settings.replicationFactor() - 1);
                    };
                return create.process(client);
              });
          LOG.info("created collection {} with config set {}", collection, config);
        } catch (IOException e) {
          if (!(e.getCause() instanceof SolrException) || !exists(collection)) {
            throw e; // not a creation that lost the race to another writer
          }
        }
      }
      awaitActive(collection);
      active.put(collection, true);
    }
  }

  private void uploadConfig(String name, SolrSchema schema) throws IOException {
    Path zip = Files.createTempFile("pixelstream-configset-", ".zip");
    try {
      Files.write(zip, schema.zip());
      SolrRetry.until(
          "upload config set " + name,
          () -> {
            var upload = new ConfigSetAdminRequest.Upload();
            upload.setConfigSetName(name);
            upload.setUploadFile(zip.toFile(), "application/zip");
            upload.setOverwrite(true);
            return upload.process(client);
          });
    } finally {
      Files.deleteIfExists(zip);
    }
  }

  /** Waits until every shard of {@code collection} has a leader on a live node. */
  void awaitActive(String collection) throws IOException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      DocCollection state = client.getClusterStateProvider().getCollection(collection);
      if (state != null && allLeadersActive(state)) {
        return;
      }
      sleep(100);
    }
    throw new IOException("collection " + collection + " has no active leader on every shard");
  }

  private boolean allLeadersActive(DocCollection state) {
    var live = client.getClusterStateProvider().getLiveNodes();
    for (Slice slice : state.getSlices()) {
      Replica leader = slice.getLeader();
      if (leader == null
          || leader.getState() != Replica.State.ACTIVE
          || !live.contains(leader.getNodeName())) {
        return false;
      }
    }
    return !state.getSlices().isEmpty();
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  @Override
  public void close() throws IOException {
    fanOut.close();
    client.close();
  }
}
