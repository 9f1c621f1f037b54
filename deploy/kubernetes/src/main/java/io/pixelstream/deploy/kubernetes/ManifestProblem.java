package io.pixelstream.deploy.kubernetes;

/**
 * One thing wrong with one manifest.
 *
 * @param resource {@code Kind/name} of the manifest
 * @param path where in it, e.g. {@code spec.template.spec.containers[0].name}; empty for the whole
 * @param message what is wrong, and what to do where that is not obvious
 */
public record ManifestProblem(String resource, String path, String message) {

  @Override
  public String toString() {
    return resource + (path.isEmpty() ? "" : " " + path) + ": " + message;
  }
}
