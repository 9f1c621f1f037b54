package io.pixelstream.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the Flink Kubernetes Operator's validator refuses beyond the CRD's schema, for the upgrade
 * modes that keep state: {@code last-state} needs high availability (the operator finds the latest
 * checkpoint through it) with its storage directory, and both {@code last-state} and {@code
 * savepoint} need the checkpoint directory in {@code flinkConfiguration} (a directory set only in
 * the job's code is invisible to the operator); {@code savepoint} needs the savepoint directory.
 * Flink 2's keys and their Flink 1 names are both accepted.
 */
final class FlinkDeploymentRules {

  private FlinkDeploymentRules() {}

  static void check(JsonNode doc, List<ManifestProblem> problems) {
    String resource = Manifests.describe(doc);
    JsonNode conf = doc.at("/spec/flinkConfiguration");
    String mode = doc.at("/spec/job/upgradeMode").asText("stateless");
    if (mode.equals("stateless")) {
      return;
    }
    String ha = first(conf, "high-availability.type", "high-availability");
    boolean haOn = ha != null && !ha.equalsIgnoreCase("none");
    if (mode.equals("last-state") && !haOn) {
      problems.add(
          new ManifestProblem(
              resource,
              "spec.job.upgradeMode",
              "last-state needs high availability: set flinkConfiguration"
                  + " high-availability.type (kubernetes) and high-availability.storageDir; the"
                  + " operator refuses last-state while HA is disabled"));
    }
    if (haOn && first(conf, "high-availability.storageDir") == null) {
      problems.add(
          new ManifestProblem(
              resource,
              "spec.flinkConfiguration",
              "high availability needs high-availability.storageDir (durable storage)"));
    }
    if (first(conf, "execution.checkpointing.dir", "state.checkpoints.dir") == null) {
      problems.add(
          new ManifestProblem(
              resource,
              "spec.flinkConfiguration",
              mode
                  + " needs the checkpoint directory in flinkConfiguration"
                  + " (execution.checkpointing.dir) on durable storage"));
    }
    if (mode.equals("savepoint")
        && first(conf, "execution.checkpointing.savepoint-dir", "state.savepoints.dir") == null) {
      problems.add(
          new ManifestProblem(
              resource,
              "spec.flinkConfiguration",
              "savepoint needs the savepoint directory in flinkConfiguration"
                  + " (execution.checkpointing.savepoint-dir)"));
    }
  }

  /** The first of {@code keys} set (non-blank) in {@code conf}, or null. */
  private static String first(JsonNode conf, String... keys) {
    for (String k : keys) {
      String v = conf.path(k).asText("");
      if (!v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
