package io.pixelstream.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders both overlays with kustomize, validates every manifest against its schema ({@link
 * KubernetesValidator}) and checks what must agree across them: images and their Dockerfiles,
 * ports, probes and monitors, volumes and the paths the programs are given, the job's Kafka user,
 * listener, topics and secrets, and where the index and the checkpoints live.
 */
class KubernetesManifestsTest {

  private static final Path HERE = Path.of("").toAbsolutePath();
  private static final String NAMESPACE = "pixelstream";
  private static final Map<String, List<JsonNode>> RENDERED = new TreeMap<>();

  @BeforeAll
  static void render() throws Exception {
    for (String overlay : List.of("embedded", "solr")) {
      RENDERED.put(overlay, Kustomize.build(HERE.resolve("overlays").resolve(overlay)));
    }
  }

  private static List<JsonNode> all(String overlay, String kind) {
    return RENDERED.get(overlay).stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .toList();
  }

  private static JsonNode one(String overlay, String kind, String name) {
    return all(overlay, kind).stream()
        .filter(d -> d.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + overlay));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The value after {@code flag} in {@code args}, or null. */
  private static String arg(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i < 0 ? null : args.get(i + 1);
  }

  private static List<String> trainerArgs(String overlay) {
    return texts(
        one(overlay, "CronJob", "trainer")
            .at("/spec/jobTemplate/spec/template/spec/containers/0/args"));
  }

  private static JsonNode flink(String overlay) {
    return one(overlay, "FlinkDeployment", "pixelstream-ingest");
  }

  private static List<String> jobArgs(String overlay) {
    return texts(flink(overlay).at("/spec/job/args"));
  }

  private static List<String> apiArgs(String overlay) {
    return texts(
        one(overlay, "Deployment", "query-api").at("/spec/template/spec/containers/0/args"));
  }

  /** Pod specs by owner: the Deployments, the CronJobs and the FlinkDeployment's pod template. */
  private static Map<String, JsonNode> podSpecs(String overlay) {
    Map<String, JsonNode> out = new TreeMap<>();
    all(overlay, "Deployment")
        .forEach(d -> out.put(d.at("/metadata/name").asText(), d.at("/spec/template/spec")));
    all(overlay, "CronJob")
        .forEach(
            d ->
                out.put(
                    d.at("/metadata/name").asText(), d.at("/spec/jobTemplate/spec/template/spec")));
    out.put("pixelstream-ingest", flink(overlay).at("/spec/podTemplate/spec"));
    return out;
  }

  /** Mount path to volume of the first container of {@code spec}. */
  private static Map<String, JsonNode> mounts(JsonNode spec) {
    Map<String, JsonNode> volumes = new TreeMap<>();
    spec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    Map<String, JsonNode> out = new TreeMap<>();
    spec.at("/containers/0/volumeMounts")
        .forEach(m -> out.put(m.path("mountPath").asText(), volumes.get(m.path("name").asText())));
    return out;
  }

  /** The volume {@code path} lies on in {@code spec}, or null. */
  private static JsonNode volumeOf(JsonNode spec, String path) {
    return mounts(spec).entrySet().stream()
        .filter(e -> path.equals(e.getKey()) || path.startsWith(e.getKey() + "/"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void everyRenderedManifestPassesItsSchemaAndTheOperatorsRules(String overlay) throws IOException {
    List<JsonNode> docs = RENDERED.get(overlay);
    assertThat(docs).hasSizeGreaterThanOrEqualTo(15);
    assertThat(KubernetesValidator.withSchemasIn(HERE.resolve("schemas")).validate(docs))
        .as("problems in overlay %s", overlay)
        .isEmpty();
    for (JsonNode d : docs) {
      if (!d.path("kind").asText().equals("Namespace")) {
        assertThat(d.at("/metadata/namespace").asText())
            .as("namespace of %s", Manifests.describe(d))
            .isEqualTo(NAMESPACE);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void imagesCarryTheProjectVersionAndEachHasItsDockerfile(String overlay) throws IOException {
    String pom = Files.readString(HERE.resolve("../../pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>pixelstream-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).as("the root pom's version").isTrue();
    String version = m.group(1);
    Set<String> images = new HashSet<>();
    RENDERED.get(overlay).stream()
        .filter(d -> !d.path("kind").asText().equals("SolrCloud"))
        .forEach(d -> d.findValues("image").forEach(i -> images.add(i.asText())));
    assertThat(images)
        .allMatch(i -> i.startsWith("pixelstream/") && i.endsWith(":" + version))
        .contains("pixelstream/flink-job:" + version, "pixelstream/query-api:" + version);
    for (String image : images) {
      String name = image.substring("pixelstream/".length(), image.indexOf(':'));
      Path dockerfile = HERE.resolve("images/Dockerfile." + name);
      assertThat(dockerfile).as("Dockerfile for %s", image).exists();
      assertThat(Files.readString(dockerfile))
          .contains("-" + version + (name.equals("flink-job") ? "-job.jar" : ".jar"));
    }
    String jarUri = flink(overlay).at("/spec/job/jarURI").asText();
    assertThat(Files.readString(HERE.resolve("images/Dockerfile.flink-job")))
        .contains(" " + jarUri.substring("local://".length()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void queryApiPortsProbesScalingAndMonitorsAgree(String overlay) {
    JsonNode deployment = one(overlay, "Deployment", "query-api");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    JsonNode port = container.at("/ports/0");
    String containerPort = port.path("containerPort").asText();
    List<String> args = apiArgs(overlay);
    assertThat(arg(args, "--port")).isEqualTo(containerPort);
    // the API binds loopback unless told otherwise: the Service and the probes could not reach it
    assertThat(arg(args, "--host")).isEqualTo("0.0.0.0");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/port").asText())
        .isEqualTo(port.path("name").asText());
    JsonNode service = one(overlay, "Service", "query-api");
    assertThat(service.at("/spec/ports/0/targetPort").asText())
        .isEqualTo(port.path("name").asText());
    assertThat(service.at("/spec/selector/app"))
        .isEqualTo(deployment.at("/spec/selector/matchLabels/app"));
    JsonNode hpa = one(overlay, "HorizontalPodAutoscaler", "query-api");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("query-api");
    assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
    assertThat(container.at("/resources/requests/cpu").isMissingNode())
        .as("an HPA on CPU utilisation needs a CPU request")
        .isFalse();
    // the token comes from a Secret mounted where --token-file points
    JsonNode tokenVolume =
        volumeOf(deployment.at("/spec/template/spec"), arg(args, "--token-file"));
    assertThat(tokenVolume.at("/secret/secretName").asText()).isEqualTo("pixelstream-query-token");

    JsonNode apiMonitor = one(overlay, "PodMonitor", "query-api");
    assertThat(apiMonitor.at("/spec/selector/matchLabels/app").asText())
        .isEqualTo(deployment.at("/spec/template/metadata/labels/app").asText());
    assertThat(apiMonitor.at("/spec/podMetricsEndpoints/0/port").asText())
        .isEqualTo(port.path("name").asText());
    JsonNode jobMonitor = one(overlay, "PodMonitor", "pixelstream-ingest");
    // the Flink operator labels the job's pods app: <FlinkDeployment name>
    assertThat(jobMonitor.at("/spec/selector/matchLabels/app").asText())
        .isEqualTo(flink(overlay).at("/metadata/name").asText());
    JsonNode flinkPort = flink(overlay).at("/spec/podTemplate/spec/containers/0/ports/0");
    assertThat(jobMonitor.at("/spec/podMetricsEndpoints/0/port").asText())
        .isEqualTo(flinkPort.path("name").asText());
    assertThat(flinkPort.path("containerPort").asText())
        .isEqualTo(
            flink(overlay).at("/spec/flinkConfiguration/metrics.reporter.prom.port").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void theJobReachesKafkaOverTlsAsItsOwnUserWithTheRightsItNeeds(String overlay)
      throws IOException {
    List<String> args = jobArgs(overlay);
    JsonNode kafka = all(overlay, "Kafka").get(0);
    String cluster = kafka.at("/metadata/name").asText();
    JsonNode listener =
        texts(kafka.at("/spec/kafka/listeners")).isEmpty()
            ? null
            : kafka.at("/spec/kafka/listeners/0");
    assertThat(listener.path("tls").asBoolean()).isTrue();
    assertThat(listener.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
    assertThat(arg(args, "--kafka.bootstrap-servers"))
        .isEqualTo(cluster + "-kafka-bootstrap:" + listener.path("port").asText());
    for (String kind : List.of("KafkaTopic", "KafkaUser", "KafkaNodePool")) {
      all(overlay, kind)
          .forEach(
              r ->
                  assertThat(r.at("/metadata/labels/strimzi.io~1cluster").asText())
                      .as("cluster of %s", Manifests.describe(r))
                      .isEqualTo(cluster));
    }
    JsonNode images = one(overlay, "KafkaTopic", arg(args, "--kafka.topic"));
    one(overlay, "KafkaTopic", arg(args, "--kafka.dlq-topic"));

    // client.properties: mounted where --kafka.properties points, its secret files from the
    // job's KafkaUser Secret and the cluster CA's
    JsonNode pod = flink(overlay).at("/spec/podTemplate/spec");
    String propertiesFile = arg(args, "--kafka.properties");
    JsonNode configVolume = volumeOf(pod, propertiesFile);
    JsonNode configMap = one(overlay, "ConfigMap", configVolume.at("/configMap/name").asText());
    Properties client = new Properties();
    client.load(
        new StringReader(
            configMap.at("/data").path(Path.of(propertiesFile).getFileName().toString()).asText()));
    assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(client.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    Matcher jaas =
        Pattern.compile("\\$\\{secrets:([^:]+):sasl.jaas.config}")
            .matcher(client.getProperty("sasl.jaas.config"));
    assertThat(jaas.matches()).isTrue();
    String user = volumeOf(pod, jaas.group(1)).at("/secret/secretName").asText();
    JsonNode kafkaUser = one(overlay, "KafkaUser", user);
    assertThat(kafkaUser.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
    assertThat(
            volumeOf(pod, client.getProperty("ssl.truststore.location"))
                .at("/secret/secretName")
                .asText())
        .isEqualTo(cluster + "-cluster-ca-cert");
    assertThat(client.getProperty("ssl.truststore.location")).endsWith("/ca.p12");

    Map<String, Set<String>> rights = rights(kafkaUser);
    assertThat(rights.get("topic:" + images.at("/metadata/name").asText()))
        .contains("Read", "Describe");
    assertThat(rights.get("group:" + arg(args, "--kafka.group-id"))).contains("Read");
    assertThat(rights.get("topic:" + arg(args, "--kafka.dlq-topic"))).contains("Write", "Describe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void watchesLiveInACompactedTopicThatTheApiWritesAndTheJobReads(String overlay)
      throws IOException {
    List<String> job = jobArgs(overlay);
    List<String> api = apiArgs(overlay);
    assertThat(arg(job, "--watch.enabled")).isEqualTo("true");
    assertThat(arg(api, "--kafka")).isEqualTo(arg(job, "--kafka.bootstrap-servers"));
    assertThat(
            one(overlay, "KafkaTopic", "images.watches").at("/spec/config/cleanup.policy").asText())
        .isEqualTo("compact");
    one(overlay, "KafkaTopic", "images.matches");

    Map<String, Set<String>> jobRights =
        rights(one(overlay, "KafkaUser", kafkaUserOf(flink(overlay).at("/spec/podTemplate/spec"))));
    assertThat(jobRights.get("topic:images.watches")).contains("Read", "Describe");
    assertThat(jobRights.get("group:" + arg(job, "--kafka.group-id") + ".watches"))
        .contains("Read");
    assertThat(jobRights.get("topic:images.matches")).contains("Write", "Read", "Describe");

    JsonNode apiPod = one(overlay, "Deployment", "query-api").at("/spec/template/spec");
    assertThat(volumeOf(apiPod, arg(api, "--kafka-properties")))
        .as("the API mounts its Kafka client settings")
        .isNotNull();
    Map<String, Set<String>> apiRights = rights(one(overlay, "KafkaUser", kafkaUserOf(apiPod)));
    assertThat(apiRights.get("topic:images.watches")).contains("Read", "Write", "Describe");
    assertThat(apiRights.get("topic:images.matches")).contains("Read", "Describe");
    assertThat(apiRights).doesNotContainKey("topic:images");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void theEmbeddedIndexsFreshImagesGoThroughATopicTheJobWritesAndTheApiReads(String overlay)
      throws IOException {
    String jobTopic = arg(jobArgs(overlay), "--kafka.fresh-topic");
    String apiTopic = arg(apiArgs(overlay), "--fresh-topic");
    if (overlay.equals("solr")) {
      assertThat(jobTopic).as("refused with index.backend solr").isNull();
      assertThat(apiTopic).isNull();
      return;
    }
    assertThat(apiTopic).isEqualTo(jobTopic).isNotNull();
    assertThat(one(overlay, "KafkaTopic", jobTopic).at("/spec/config/retention.ms").asLong())
        .as("minutes suffice: the shards publish within seconds")
        .isBetween(60_000L, 3_600_000L);
    assertThat(
            rights(
                    one(
                        overlay,
                        "KafkaUser",
                        kafkaUserOf(flink(overlay).at("/spec/podTemplate/spec"))))
                .get("topic:" + jobTopic))
        .contains("Write", "Describe");
    JsonNode apiPod = one(overlay, "Deployment", "query-api").at("/spec/template/spec");
    assertThat(rights(one(overlay, "KafkaUser", kafkaUserOf(apiPod))).get("topic:" + apiTopic))
        .contains("Read", "Describe");
  }

  /** The KafkaUser whose Secret {@code pod} mounts for its SASL login. */
  private static String kafkaUserOf(JsonNode pod) {
    return volumeOf(pod, "/etc/pixelstream/kafka-user/sasl.jaas.config")
        .at("/secret/secretName")
        .asText();
  }

  /** {@code type:name} of each resource a KafkaUser's ACLs name, to its operations. */
  private static Map<String, Set<String>> rights(JsonNode kafkaUser) {
    Map<String, Set<String>> rights = new TreeMap<>();
    kafkaUser
        .at("/spec/authorization/acls")
        .forEach(
            acl ->
                rights
                    .computeIfAbsent(
                        acl.at("/resource/type").asText() + ":" + acl.at("/resource/name").asText(),
                        k -> new HashSet<>())
                    .addAll(texts(acl.path("operations"))));
    return rights;
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void theRegistryIsOneVolumeThatEveryReaderMounts(String overlay) {
    JsonNode claim = one(overlay, "PersistentVolumeClaim", "pixelstream-data");
    assertThat(texts(claim.at("/spec/accessModes"))).containsExactly("ReadWriteMany");
    Map<String, String> registries = new TreeMap<>();
    podSpecs(overlay)
        .forEach(
            (owner, spec) -> {
              List<String> args =
                  owner.equals("pixelstream-ingest")
                      ? jobArgs(overlay)
                      : texts(spec.at("/containers/0/args"));
              String registry =
                  arg(args, owner.equals("pixelstream-ingest") ? "--model.registry" : "--registry");
              JsonNode volume = volumeOf(spec, registry);
              assertThat(volume).as("%s's registry %s on a volume", owner, registry).isNotNull();
              assertThat(volume.at("/persistentVolumeClaim/claimName").asText())
                  .isEqualTo("pixelstream-data");
              registries.put(owner, registry);
            });
    assertThat(new HashSet<>(registries.values())).as("one registry: %s", registries).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void upgradesKeepStateOnDurableStorage(String overlay) {
    JsonNode conf = flink(overlay).at("/spec/flinkConfiguration");
    assertThat(flink(overlay).at("/spec/job/upgradeMode").asText()).isEqualTo("last-state");
    assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
    // the job takes the cluster's checkpoint directory: one place to set it
    assertThat(arg(jobArgs(overlay), "--job.checkpoint-dir")).isNull();
    JsonNode pod = flink(overlay).at("/spec/podTemplate/spec");
    for (String key :
        List.of(
            "high-availability.storageDir",
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir")) {
      String dir = conf.path(key).asText();
      if (overlay.equals("embedded")) {
        assertThat(dir).startsWith("file:///");
        JsonNode volume = volumeOf(pod, dir.substring("file://".length()));
        assertThat(volume).as("%s %s on the shared volume", key, dir).isNotNull();
        assertThat(volume.at("/persistentVolumeClaim/claimName").asText())
            .isEqualTo("pixelstream-data");
      } else {
        assertThat(dir).as(key).startsWith("s3://");
      }
    }
    if (overlay.equals("solr")) {
      List<String> env = new ArrayList<>();
      pod.at("/containers/0/env")
          .forEach(e -> env.add(e.path("name").asText() + "=" + e.path("value").asText()));
      assertThat(env)
          .anyMatch(e -> e.matches("ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-.*\\.jar"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void theIndexIsWhereTheOverlaySaysAndTheSinkKeepsItsShardCount(String overlay) {
    List<String> job = jobArgs(overlay);
    List<String> api = apiArgs(overlay);
    JsonNode conf = flink(overlay).at("/spec/flinkConfiguration");
    int parallelism = flink(overlay).at("/spec/job/parallelism").asInt();
    assertThat(arg(job, "--job.parallelism")).isEqualTo(Integer.toString(parallelism));
    assertThat(one(overlay, "KafkaTopic", arg(job, "--kafka.topic")).at("/spec/partitions").asInt())
        .isEqualTo(parallelism);
    if (overlay.equals("embedded")) {
      // parallelism = shards: the autoscaler must not change it
      assertThat(conf.path("job.autoscaler.enabled").asText()).isEqualTo("false");
      String root = arg(job, "--index.root");
      assertThat(arg(api, "--index-root")).isEqualTo(root);
      assertThat(volumeOf(flink(overlay).at("/spec/podTemplate/spec"), root)).isNotNull();
      assertThat(all(overlay, "SolrCloud")).isEmpty();
      JsonNode trainer = one(overlay, "CronJob", "trainer");
      List<String> trainerArgs =
          texts(trainer.at("/spec/jobTemplate/spec/template/spec/containers/0/args"));
      assertThat(arg(trainerArgs, "--data")).isEqualTo("index:" + root + ":serving");
      assertThat(arg(trainerArgs, "--registry")).isEqualTo(arg(job, "--model.registry"));
    } else {
      assertThat(arg(job, "--index.backend")).isEqualTo("solr");
      assertThat(arg(job, "--index.root")).isNull();
      assertThat(arg(api, "--index-backend")).isEqualTo("solr");
      assertThat(arg(api, "--index-root")).isNull();
      JsonNode solr = all(overlay, "SolrCloud").get(0);
      // the Solr Operator names the ZooKeeper it provides <cloud>-solrcloud-zookeeper
      String zk = solr.at("/metadata/name").asText() + "-solrcloud-zookeeper-client:2181";
      assertThat(arg(job, "--index.solr")).isEqualTo(zk);
      assertThat(arg(api, "--solr")).isEqualTo(zk);
      assertThat(Integer.parseInt(arg(job, "--index.solr.replication-factor")))
          .isLessThanOrEqualTo(solr.at("/spec/replicas").asInt());
      assertThat(solr.at("/spec/solrImage/tag").asText()).startsWith("9.");
      assertThat(arg(trainerArgs(overlay), "--data")).isEqualTo("solr:" + zk);
    }
    assertThat(arg(trainerArgs(overlay), "--registry")).isEqualTo(arg(job, "--model.registry"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "solr"})
  void prometheusWithoutTheOperatorScrapesTheSamePods(String overlay) throws IOException {
    JsonNode config = Manifests.YAML.readTree(HERE.resolve("prometheus.yml").toFile());
    assertThat(Path.of(config.at("/rule_files/0").asText()).getFileName().toString())
        .isEqualTo("alerts.yml");
    assertThat(HERE.resolve("../monitoring/alerts.yml")).exists();
    assertThat(config.at("/scrape_configs/0/kubernetes_sd_configs/0/namespaces/names/0").asText())
        .isEqualTo(NAMESPACE);
    assertThat(
            flink(overlay)
                .at("/spec/podTemplate/metadata/annotations/prometheus.io~1port")
                .asText())
        .isEqualTo(
            flink(overlay).at("/spec/flinkConfiguration/metrics.reporter.prom.port").asText());
  }
}
