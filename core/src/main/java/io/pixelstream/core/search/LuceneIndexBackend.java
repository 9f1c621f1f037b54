package io.pixelstream.core.search;

import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ServingAlias;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link IndexBackend} over Lucene shards on disk: {@code <root>/<version>/shard-<n>} ({@link
 * IndexLayout}), the served version in {@code <root>/serving.json} ({@link ServingAlias}).
 */
public final class LuceneIndexBackend implements IndexBackend {

  private final Path root;
  private final ServingAlias alias;

  public LuceneIndexBackend(Path indexRoot) {
    this.root = indexRoot;
    this.alias = new ServingAlias(indexRoot);
  }

  @Override
  public Optional<String> servedVersion() throws IOException {
    return alias.read().map(ServingAlias.State::version);
  }

  @Override
  public PinnedVersion open(String modelVersion) throws IOException {
    return LucenePinnedVersion.open(root, modelVersion);
  }

  @Override
  public long switchTo(String modelVersion) throws IOException {
    return alias.switchTo(modelVersion).generation();
  }

  @Override
  public List<String> retain(int retain) throws IOException {
    Optional<ServingAlias.State> state = alias.read();
    if (state.isEmpty()) {
      return List.of();
    }
    List<String> deleted = new ArrayList<>();
    IndexLayout layout = new IndexLayout(root);
    for (String old : ServingAlias.expired(state.get(), retain)) {
      layout.deleteVersion(old);
      deleted.add(old);
    }
    return deleted;
  }
}
