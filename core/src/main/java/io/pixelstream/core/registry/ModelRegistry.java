package io.pixelstream.core.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.io.Folders;
import io.pixelstream.core.model.InvalidArtifactException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A folder of model versions with one current version:
 *
 * <pre>
 * &lt;root&gt;/versions/&lt;version&gt;/   manifest.json, encoder.npz/.pt/.onnx, report/
 * &lt;root&gt;/current              the current version's name; replaced atomically (write, then rename)
 * &lt;root&gt;/history.jsonl        one JSON object per registration, promotion, rejection, rollback
 * </pre>
 *
 * Readers (the ingestion job, the query API) follow {@code current}; a reader never sees a
 * half-written pointer, and a version folder is complete before it can become current.
 */
public final class ModelRegistry {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  public ModelRegistry(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The folder of {@code version}. */
  public Path versionDir(String version) {
    if (!ModelArtifacts.VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("not a model version: " + version);
    }
    return root.resolve("versions").resolve(version);
  }

  /** Writes {@code artifact} as a new version (not current); fails if the version exists. */
  public ModelArtifact register(ModelArtifact artifact) throws IOException {
    Path dir = versionDir(artifact.version());
    if (Files.exists(dir)) {
      throw new FileAlreadyExistsException(
          dir.toString(), null, "model version already registered");
    }
    Path staging = root.resolve("versions").resolve("." + artifact.version() + ".staging");
    Folders.deleteRecursively(staging);
    ModelArtifact written = ModelArtifacts.write(staging, artifact);
    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    record(
        "register",
        Map.of("version", artifact.version(), "evaluation", artifact.manifest().evaluation()));
    Path modelFile = written.modelFile();
    return new ModelArtifact(
        written.manifest(),
        written.weights(),
        modelFile == null ? null : dir.resolve(modelFile.getFileName()));
  }

  /** Reads and checks {@code version}'s artifact. */
  public ModelArtifact read(String version) throws InvalidArtifactException {
    return ModelArtifacts.read(versionDir(version));
  }

  /** The registered versions, by name. */
  public List<String> versions() throws IOException {
    Path dir = root.resolve("versions");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> ModelArtifacts.VERSION.matcher(n).matches())
          .sorted()
          .toList();
    }
  }

  /** The current version, if one was ever made current. */
  public Optional<String> current() throws IOException {
    Path pointer = root.resolve("current");
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(pointer, StandardCharsets.UTF_8).trim());
  }

  /**
   * Makes {@code version} current (it must be registered and readable) and records why.
   *
   * @param action {@code promote} or {@code rollback}, for the history
   * @param details numbers and reasons to keep with the record
   */
  public void makeCurrent(String version, String action, Map<String, Object> details)
      throws IOException {
    read(version); // refuse a broken artifact before it can serve
    Optional<String> previous = current();
    Files.createDirectories(root);
    Path tmp = root.resolve(".current.tmp");
    Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(
          tmp,
          root.resolve("current"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the registry's file system cannot replace files atomically: " + root, e);
    }
    Map<String, Object> entry = new LinkedHashMap<>(details);
    entry.put("version", version);
    entry.put("previous", previous.orElse(null));
    record(action, entry);
  }

  /** Appends a line to the history. */
  public void record(String action, Map<String, Object> details) throws IOException {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("time", Instant.now().toString());
    entry.put("action", action);
    entry.putAll(details);
    Files.createDirectories(root);
    Files.writeString(
        root.resolve("history.jsonl"),
        JSON.writeValueAsString(entry) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The history, oldest first. */
  public List<Map<String, Object>> history() throws IOException {
    Path file = root.resolve("history.jsonl");
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(line, Map.class);
        out.add(m);
      }
    }
    return out;
  }

  /**
   * Switches back to the version that was current before the current one (following promotions and
   * rollbacks in the history).
   *
   * @return the version now current
   * @throws IllegalStateException when there is nothing to roll back to
   */
  public String rollback() throws IOException {
    String now =
        current().orElseThrow(() -> new IllegalStateException("no current model to roll back"));
    List<Map<String, Object>> switches =
        history().stream()
            .filter(e -> "promote".equals(e.get("action")) || "rollback".equals(e.get("action")))
            .toList();
    // walk the switches backwards to the one that made `now` current; its `previous` is the target
    for (int i = switches.size() - 1; i >= 0; i--) {
      Map<String, Object> e = switches.get(i);
      if (now.equals(e.get("version")) && "promote".equals(e.get("action"))) {
        Object previous = e.get("previous");
        if (previous == null) {
          throw new IllegalStateException(
              "model " + now + " was the first promoted; nothing to roll back to");
        }
        makeCurrent((String) previous, "rollback", Map.of("from", now));
        return (String) previous;
      }
    }
    throw new IllegalStateException("history does not say how " + now + " became current");
  }
}
