package io.pixelstream.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kind of mistake the validator must catch, each next to the same manifest without it (which
 * passes), so a check that stopped working fails here.
 */
class KubernetesValidatorTest {

  private static KubernetesValidator validator;

  @BeforeAll
  static void load() throws IOException {
    validator = KubernetesValidator.withSchemasIn(Path.of("schemas"));
  }

  private static List<String> problems(String yaml) throws IOException {
    return validator.validate(Manifests.read(new StringReader(yaml))).stream()
        .map(ManifestProblem::toString)
        .toList();
  }

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api}
      spec:
        replicas: 2
        selector: {matchLabels: {app: api}}
        template:
          metadata: {labels: {app: api}}
          spec:
            containers:
              - name: api
                image: api:1
                ports: [{name: http, containerPort: 8080}]
      """;

  @Test
  void coreKindsAreBoundToFabric8sModel() throws IOException {
    assertThat(problems(DEPLOYMENT)).isEmpty();
    assertThat(problems(DEPLOYMENT.replace("  replicas: 2", "  replica: 2")))
        .containsExactly("Deployment/api spec.replica: unknown field");
    assertThat(problems(DEPLOYMENT.replace("- name: api\n", "- image2: x\n")))
        .contains(
            "Deployment/api spec.template.spec.containers[0].image2: unknown field",
            "Deployment/api spec.template.spec.containers[0].name: missing required field");
    assertThat(problems(DEPLOYMENT.replace("replicas: 2", "replicas: two")))
        .singleElement()
        .asString()
        .startsWith("Deployment/api spec.replicas: not a valid Deployment");
    assertThat(problems(DEPLOYMENT.replace("  selector: {matchLabels: {app: api}}\n", "")))
        .containsExactly("Deployment/api spec.selector: missing required field");
    assertThat(problems(DEPLOYMENT.replace("metadata: {name: api}", "metadata: {labels: {a: b}}")))
        .containsExactly("Deployment/? metadata.name: missing required field");
  }

  @Test
  void aKindWithoutASchemaIsAProblem() throws IOException {
    assertThat(problems("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n"))
        .singleElement()
        .asString()
        .contains("no schema for v1 Pod");
  }

  private static final String FLINK =
      """
      apiVersion: flink.apache.org/v1beta1
      kind: FlinkDeployment
      metadata: {name: job}
      spec:
        image: job:1
        flinkVersion: v2_2
        flinkConfiguration:
          high-availability.type: kubernetes
          high-availability.storageDir: s3://b/ha
          execution.checkpointing.dir: s3://b/checkpoints
        jobManager: {resource: {memory: 2048m, cpu: 1}}
        taskManager: {resource: {memory: 4096m, cpu: 2}}
        podTemplate:
          spec:
            containers:
              - name: flink-main-container
                volumeMounts: [{name: data, mountPath: /data}]
        job:
          jarURI: local:///opt/job.jar
          parallelism: 2
          upgradeMode: last-state
      """;

  @Test
  void theFlinkDeploymentIsCheckedAgainstTheOperatorsCrd() throws IOException {
    assertThat(problems(FLINK)).isEmpty();
    assertThat(problems(FLINK.replace("upgradeMode: last-state", "upgradeMod: last-state")))
        .singleElement()
        .asString()
        .startsWith("FlinkDeployment/job spec.job")
        .contains("upgradeMod")
        .contains("not in the CRD, or not in the excerpt kept in flink-kubernetes-operator/");
    assertThat(problems(FLINK.replace("upgradeMode: last-state", "upgradeMode: lastState")))
        .singleElement()
        .asString()
        .startsWith("FlinkDeployment/job spec.job.upgradeMode")
        .contains("enumeration");
    assertThat(problems(FLINK.replace("flinkVersion: v2_2", "flinkVersion: v2.2")))
        .singleElement()
        .asString()
        .startsWith("FlinkDeployment/job spec.flinkVersion");
    assertThat(problems(FLINK.replace("parallelism: 2", "parallelism: two")))
        .singleElement()
        .asString()
        .startsWith("FlinkDeployment/job spec.job.parallelism");
  }

  @Test
  void podTemplatesInsideTheCrdAreBoundToTheCorePodModel() throws IOException {
    assertThat(problems(FLINK.replace("volumeMounts:", "volumeMount:")))
        .containsExactly(
            "FlinkDeployment/job spec.podTemplate.spec.containers[0].volumeMount: unknown field");
    assertThat(problems(FLINK.replace("{name: data, mountPath: /data}", "{name: data}")))
        .containsExactly(
            "FlinkDeployment/job spec.podTemplate.spec.containers[0].volumeMounts[0].mountPath:"
                + " missing required field");
  }

  @Test
  void lastStateWithoutHighAvailabilityIsRefusedAsTheOperatorDoes() throws IOException {
    String noHa =
        FLINK
            .replace("    high-availability.type: kubernetes\n", "")
            .replace("    high-availability.storageDir: s3://b/ha\n", "");
    assertThat(problems(noHa))
        .singleElement()
        .asString()
        .contains("spec.job.upgradeMode")
        .contains("last-state needs high availability");
    assertThat(problems(noHa.replace("last-state", "stateless"))).isEmpty();
    assertThat(problems(FLINK.replace("    high-availability.storageDir: s3://b/ha\n", "")))
        .singleElement()
        .asString()
        .contains("high-availability.storageDir");
  }

  @Test
  void aCheckpointDirectoryOnlyInTheJobsCodeIsRefused() throws IOException {
    assertThat(problems(FLINK.replace("    execution.checkpointing.dir: s3://b/checkpoints\n", "")))
        .singleElement()
        .asString()
        .contains("last-state needs the checkpoint directory in flinkConfiguration");
    assertThat(
            problems(
                FLINK.replace(
                    "execution.checkpointing.dir: s3://b/checkpoints",
                    "state.checkpoints.dir: s3://b/checkpoints")))
        .isEmpty();
    assertThat(problems(FLINK.replace("last-state", "savepoint")))
        .singleElement()
        .asString()
        .contains("savepoint needs the savepoint directory");
  }

  private static final String TOPIC =
      """
      apiVersion: kafka.strimzi.io/v1
      kind: KafkaTopic
      metadata: {name: images, labels: {strimzi.io/cluster: c}}
      spec:
        partitions: 4
        replicas: 3
        config: {retention.ms: "1000"}
      """;

  @Test
  void strimziResourcesAreBoundToStrimzisApiAtV1() throws IOException {
    assertThat(problems(TOPIC)).isEmpty();
    assertThat(problems(TOPIC.replace("partitions: 4", "partitions: 0")))
        .containsExactly("KafkaTopic/images spec.partitions: must be >= 1, got 0");
    assertThat(problems(TOPIC.replace("replicas: 3", "replicationFactor: 3")))
        .containsExactly("KafkaTopic/images spec.replicationFactor: unknown field");
    assertThat(problems(TOPIC.replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2")))
        .singleElement()
        .asString()
        .contains("kafka.strimzi.io/v1beta2 is deprecated")
        .contains("use kafka.strimzi.io/v1");
  }

  private static final String KAFKA =
      """
      apiVersion: kafka.strimzi.io/v1
      kind: Kafka
      metadata: {name: c}
      spec:
        kafka:
          listeners:
            - {name: tls, port: 9093, type: internal, tls: true,
               authentication: {type: scram-sha-512}}
        entityOperator: {topicOperator: {}, userOperator: {}}
      """;

  @Test
  void fieldsThatStrimziKeepsOutOfV1AreRefused() throws IOException {
    assertThat(problems(KAFKA)).isEmpty();
    assertThat(problems(KAFKA.replace("    listeners:", "    replicas: 3\n    listeners:")))
        .containsExactly("Kafka/c spec.kafka.replicas: not in API version v1 (only in v1beta2)");
    assertThat(problems(KAFKA.replace("type: scram-sha-512", "type: scram")))
        .singleElement()
        .asString()
        .startsWith("Kafka/c spec.kafka.listeners[0].authentication: not a valid Kafka");
    assertThat(problems(KAFKA.replace("name: tls, port: 9093,", "port: 9093,")))
        .containsExactly("Kafka/c spec.kafka.listeners[0].name: missing required field");
  }

  private static final String SOLR =
      """
      apiVersion: solr.apache.org/v1beta1
      kind: SolrCloud
      metadata: {name: s}
      spec:
        replicas: 3
        solrImage: {repository: solr, tag: 9.10.1}
        zookeeperRef:
          provided:
            replicas: 3
            persistence:
              spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
      """;

  @Test
  void theSolrCloudIsCheckedAgainstTheKeptExcerpt() throws IOException {
    assertThat(problems(SOLR)).isEmpty();
    assertThat(
            problems(SOLR.replace("  replicas: 3\n  solrImage", "  solrOpts: -Dx=y\n  solrImage")))
        .singleElement()
        .asString()
        .contains("solrOpts")
        .contains("not in the excerpt kept in solr-operator/");
    assertThat(problems(SOLR.replace("accessModes:", "accessMode:")))
        .containsExactly(
            "SolrCloud/s spec.zookeeperRef.provided.persistence.spec.accessMode: unknown field");
    assertThat(
            problems(
                SOLR.replace(
                    "      replicas: 3\n      persistence",
                    "      replicas: 0\n      persistence")))
        .singleElement()
        .asString()
        .startsWith("SolrCloud/s spec.zookeeperRef.provided.replicas");
  }

  @Test
  void aPodMonitorNeedsItsSelector() throws IOException {
    String monitor =
        """
        apiVersion: monitoring.coreos.com/v1
        kind: PodMonitor
        metadata: {name: m}
        spec:
          selector: {matchLabels: {app: a}}
          podMetricsEndpoints: [{port: http, path: /metrics}]
        """;
    assertThat(problems(monitor)).isEmpty();
    assertThat(problems(monitor.replace("  selector: {matchLabels: {app: a}}\n", "")))
        .containsExactly("PodMonitor/m spec.selector: missing required field");
    assertThat(problems(monitor.replace("podMetricsEndpoints", "endpoints")))
        .containsExactly("PodMonitor/m spec.endpoints: unknown field");
  }
}
