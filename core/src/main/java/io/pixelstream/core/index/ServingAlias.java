package io.pixelstream.core.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.model.ModelArtifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The index root's alias, {@code <index-root>/serving.json}: the model version whose shards queries
 * are answered from, like an Elasticsearch alias over versioned indices. The ingestion job moves it
 * when a new version's index has caught up (see {@link ShardBackfill}); the query API follows it.
 * The file is replaced atomically (written aside, then renamed), so a reader sees the old alias or
 * the new one, never a mix.
 *
 * <pre>{@code
 * ServingAlias alias = new ServingAlias(indexRoot);
 * alias.read().map(ServingAlias.State::version); // what queries use now
 * alias.switchTo("v2");                          // after v2's backfill finished
 * }</pre>
 */
public final class ServingAlias {

  public static final String FILE_NAME = "serving.json";

  private static final ObjectMapper JSON = ModelArtifacts.json();

  private final Path root;

  public ServingAlias(Path indexRoot) {
    this.root = indexRoot;
  }

  /**
   * What the alias says.
   *
   * @param version the model version served
   * @param previous the versions served before, most recent first
   * @param generation how many times the alias moved: identifies the serving period (writers that
   *     move it at the same moment write the same generation)
   * @param switchedAt when the alias last moved (epoch ms)
   */
  public record State(String version, List<String> previous, long generation, long switchedAt) {
    public State {
      if (!ModelArtifacts.VERSION.matcher(version).matches()) {
        throw new IllegalArgumentException("version is not a model version: " + version);
      }
      previous = List.copyOf(previous);
    }
  }

  /** The alias, or empty when none was ever written. */
  public Optional<State> read() throws IOException {
    try {
      return Optional.of(JSON.readValue(root.resolve(FILE_NAME).toFile(), State.class));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Points the alias at {@code version}; the version it pointed at becomes the first of {@code
   * previous}. Nothing is written when it already points there, so every writer that saw a version
   * catch up may call this.
   *
   * @return the alias as it now is
   */
  public synchronized State switchTo(String version) throws IOException {
    Optional<State> before = read();
    if (before.isPresent() && before.get().version().equals(version)) {
      return before.get();
    }
    List<String> previous = new ArrayList<>();
    before.ifPresent(
        b -> {
          previous.add(b.version());
          b.previous().stream().filter(v -> !v.equals(b.version())).forEach(previous::add);
        });
    previous.remove(version);
    long generation = before.map(b -> b.generation() + 1).orElse(0L);
    State next = new State(version, previous, generation, System.currentTimeMillis());
    Files.createDirectories(root);
    Path tmp = Files.createTempFile(root, ".serving", ".tmp");
    try {
      Files.writeString(tmp, JSON.writeValueAsString(next), StandardCharsets.UTF_8);
      Files.move(
          tmp,
          root.resolve(FILE_NAME),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the index root cannot replace files atomically: " + root, e);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return next;
  }

  /**
   * The previously served versions beyond the {@code retain} most recent: their shards may be
   * deleted. The served version is never among them.
   */
  public static List<String> expired(State state, int retain) {
    if (retain < 0) {
      throw new IllegalArgumentException("retain must be >= 0, got " + retain);
    }
    return state.previous().stream().skip(retain).filter(v -> !v.equals(state.version())).toList();
  }
}
