package io.pixelstream.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks Kubernetes manifests against the schemas their controllers apply (schemas/SOURCES.md):
 * core kinds and the Prometheus Operator's through fabric8's models, Strimzi's through Strimzi's
 * own API at {@code kafka.strimzi.io/v1}, the Flink and Solr operators' against their CRD schemas,
 * plus the Flink operator's own rules ({@link FlinkDeploymentRules}). A kind it has no schema for
 * is a problem too: nothing passes unchecked.
 *
 * <pre>{@code
 * kubectl kustomize deploy/kubernetes/overlays/solr \
 *   | deploy/local/java.sh deploy/kubernetes io.pixelstream.deploy.kubernetes.KubernetesValidator -
 * }</pre>
 */
public final class KubernetesValidator {

  private static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("batch/v1/CronJob", CronJob.class),
          Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
          Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
          Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
          Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
          Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
          Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));

  private final CrdSchemaValidator crds;

  private KubernetesValidator(CrdSchemaValidator crds) {
    this.crds = crds;
  }

  /** A validator with the CRD schemas under {@code schemas} (deploy/kubernetes/schemas). */
  public static KubernetesValidator withSchemasIn(Path schemas) throws IOException {
    return new KubernetesValidator(CrdSchemaValidator.load(schemas));
  }

  /** Everything wrong with {@code docs}; empty when each one would be accepted. */
  public List<ManifestProblem> validate(List<JsonNode> docs) {
    List<ManifestProblem> problems = new ArrayList<>();
    for (JsonNode doc : docs) {
      validate(doc, problems);
    }
    return problems;
  }

  private void validate(JsonNode doc, List<ManifestProblem> problems) {
    String resource = Manifests.describe(doc);
    String apiVersion = doc.path("apiVersion").asText();
    String kind = doc.path("kind").asText();
    if (doc.at("/metadata/name").asText().isBlank()) {
      problems.add(new ManifestProblem(resource, "metadata.name", "missing required field"));
    }
    ModelValidator.validate(
        ObjectMeta.class, doc.path("metadata"), resource, "metadata", "v1", problems);
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    Class<?> model = MODELS.get(apiVersion + "/" + kind);
    if (model != null) {
      ModelValidator.validate(model, doc, resource, "", version, problems);
    } else if (group.equals("kafka.strimzi.io")
        && MODELS.containsKey("kafka.strimzi.io/v1/" + kind)) {
      problems.add(
          new ManifestProblem(
              resource,
              "apiVersion",
              apiVersion
                  + " is deprecated (Strimzi 0.51's API: \"Version "
                  + version
                  + " of the "
                  + kind
                  + " API is deprecated. Please use the v1 version instead.\"): use"
                  + " kafka.strimzi.io/v1"));
    } else if (crds.knows(group, kind)) {
      crds.validate(doc, group, version, problems);
    } else {
      problems.add(
          new ManifestProblem(
              resource,
              "apiVersion",
              "no schema for "
                  + apiVersion
                  + " "
                  + kind
                  + " (schemas/SOURCES.md lists those known)"));
    }
    if (kind.equals("FlinkDeployment")) {
      FlinkDeploymentRules.check(doc, problems);
    }
  }

  /**
   * Validates the manifests in the files given ({@code -} for standard input), prints every
   * problem, exits 1 if there is one. {@code --schemas DIR} (default deploy/kubernetes/schemas).
   */
  public static void main(String[] args) throws IOException {
    Path schemas = Path.of("deploy/kubernetes/schemas");
    List<JsonNode> docs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--schemas") && i + 1 < args.length) {
        schemas = Path.of(args[++i]);
      } else if (args[i].equals("-")) {
        docs.addAll(Manifests.read(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      } else {
        try (Reader in = Files.newBufferedReader(Path.of(args[i]))) {
          docs.addAll(Manifests.read(in));
        }
      }
    }
    List<ManifestProblem> problems = withSchemasIn(schemas).validate(docs);
    problems.forEach(p -> System.out.println("invalid: " + p));
    System.out.println(docs.size() + " manifests, " + problems.size() + " problems");
    if (!problems.isEmpty()) {
      System.exit(1);
    }
  }
}
