package io.pixelstream.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parses every manifest in {@code deploy/kubernetes/} and checks what must agree across them: names
 * and namespace, image tags and the Dockerfiles that build them, ports, volumes and the paths the
 * programs are given, Kafka topics and the job's parallelism.
 */
class KubernetesManifestsTest {

  private static final Path HERE = Path.of("").toAbsolutePath();
  private static final String NAMESPACE = "pixelstream";
  private static final List<JsonNode> DOCS = new ArrayList<>();

  @BeforeAll
  static void parse() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    try (Stream<Path> files = Files.list(HERE)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
          while (docs.hasNext()) {
            JsonNode d = docs.next();
            if (d != null && !d.isEmpty()) {
              DOCS.add(d);
            }
          }
        }
      }
    }
  }

  private static JsonNode one(String kind, String name) {
    return DOCS.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .filter(d -> d.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<JsonNode> all(String kind) {
    return DOCS.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  /** The pod specs by owner name: Deployments, the CronJob, the FlinkDeployment's pod template. */
  private static Map<String, JsonNode> podSpecs() {
    Map<String, JsonNode> out = new TreeMap<>();
    all("Deployment")
        .forEach(d -> out.put(d.at("/metadata/name").asText(), d.at("/spec/template/spec")));
    all("CronJob")
        .forEach(
            d ->
                out.put(
                    d.at("/metadata/name").asText(), d.at("/spec/jobTemplate/spec/template/spec")));
    all("FlinkDeployment")
        .forEach(d -> out.put(d.at("/metadata/name").asText(), d.at("/spec/podTemplate/spec")));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The value after {@code flag} in {@code args}. */
  private static String arg(List<String> args, String flag) {
    int i = args.indexOf(flag);
    assertThat(i).as("%s in %s", flag, args).isGreaterThanOrEqualTo(0);
    return args.get(i + 1);
  }

  private static List<String> flinkArgs() {
    return texts(one("FlinkDeployment", "pixelstream-ingest").at("/spec/job/args"));
  }

  private static List<String> containerArgs(String owner) {
    return texts(podSpecs().get(owner).at("/containers/0/args"));
  }

  private static String projectVersion() throws IOException {
    String pom = Files.readString(HERE.resolve("../../pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>pixelstream-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).as("the root pom's version").isTrue();
    return m.group(1);
  }

  @Test
  void everyManifestHasAKindANameAndTheNamespace() {
    assertThat(DOCS).hasSizeGreaterThanOrEqualTo(8);
    for (JsonNode d : DOCS) {
      assertThat(d.path("apiVersion").asText()).as("apiVersion of %s", d).isNotEmpty();
      assertThat(d.at("/metadata/name").asText()).as("name of %s", d).isNotEmpty();
      if (!d.path("kind").asText().equals("Namespace")) {
        assertThat(d.at("/metadata/namespace").asText())
            .as("%s", d.at("/metadata/name"))
            .isEqualTo(NAMESPACE);
      }
    }
    one("Namespace", NAMESPACE);
    assertThat(podSpecs()).containsOnlyKeys("pixelstream-ingest", "query-api", "trainer");
  }

  @Test
  void imagesCarryTheProjectVersionAndEachHasItsDockerfile() throws IOException {
    String version = projectVersion();
    Set<String> images = new HashSet<>();
    DOCS.forEach(d -> d.findValues("image").forEach(i -> images.add(i.asText())));
    assertThat(images)
        .containsExactlyInAnyOrder(
            "pixelstream/flink-job:" + version,
            "pixelstream/query-api:" + version,
            "pixelstream/trainer:" + version);
    for (String image : images) {
      String name = image.substring("pixelstream/".length(), image.indexOf(':'));
      Path dockerfile = HERE.resolve("images/Dockerfile." + name);
      assertThat(dockerfile).as("Dockerfile for %s", image).exists();
      String text = Files.readString(dockerfile);
      assertThat(text).contains("-" + version + (name.equals("flink-job") ? "-job.jar" : ".jar"));
    }
    String jarUri = one("FlinkDeployment", "pixelstream-ingest").at("/spec/job/jarURI").asText();
    assertThat(jarUri).startsWith("local://");
    assertThat(Files.readString(HERE.resolve("images/Dockerfile.flink-job")))
        .contains(" " + jarUri.substring("local://".length()));
  }

  @Test
  void queryApiPortsProbesAndScrapeAnnotationsAgree() {
    JsonNode deployment = one("Deployment", "query-api");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    JsonNode port = container.at("/ports/0");
    int containerPort = port.path("containerPort").asInt();
    assertThat(arg(containerArgs("query-api"), "--port"))
        .isEqualTo(Integer.toString(containerPort));
    // the API binds loopback unless told otherwise: the Service and the probes could not reach it
    assertThat(arg(containerArgs("query-api"), "--host")).isEqualTo("0.0.0.0");
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/path").asText()).isEqualTo("/healthz");
      assertThat(container.at("/" + probe + "/httpGet/port").asText())
          .isIn(port.path("name").asText(), Integer.toString(containerPort));
    }
    JsonNode service = one("Service", "query-api");
    assertThat(service.at("/spec/ports/0/targetPort").asText())
        .isIn(port.path("name").asText(), Integer.toString(containerPort));
    assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    assertThat(deployment.at("/spec/template/metadata/labels"))
        .isEqualTo(deployment.at("/spec/selector/matchLabels"));
    assertThat(deployment.at("/spec/template/metadata/annotations/prometheus.io~1port").asText())
        .isEqualTo(Integer.toString(containerPort));

    JsonNode flink = one("FlinkDeployment", "pixelstream-ingest");
    assertThat(flink.at("/spec/podTemplate/metadata/annotations/prometheus.io~1port").asText())
        .isEqualTo(flink.at("/spec/flinkConfiguration/metrics.reporter.prom.port").asText());
  }

  @Test
  void everyPodMountsTheSharedVolumeWhereItsPathsPoint() {
    String claim = one("PersistentVolumeClaim", "pixelstream-data").at("/metadata/name").asText();
    Map<String, List<String>> pathArgs =
        Map.of(
            "pixelstream-ingest",
                List.of("--model.registry", "--index.root", "--job.checkpoint-dir"),
            "query-api", List.of("--registry", "--index-root"),
            "trainer", List.of("--registry"));
    Map<String, String> registryOf = new TreeMap<>();
    Map<String, String> indexOf = new TreeMap<>();
    podSpecs()
        .forEach(
            (owner, spec) -> {
              Set<String> volumes = new HashSet<>();
              spec.path("volumes")
                  .forEach(
                      v -> {
                        volumes.add(v.path("name").asText());
                        assertThat(v.at("/persistentVolumeClaim/claimName").asText())
                            .as("claim of %s", owner)
                            .isEqualTo(claim);
                      });
              List<String> mounts = new ArrayList<>();
              spec.at("/containers/0/volumeMounts")
                  .forEach(
                      m -> {
                        assertThat(volumes)
                            .as("volumes of %s", owner)
                            .contains(m.path("name").asText());
                        mounts.add(m.path("mountPath").asText());
                      });
              List<String> args =
                  owner.equals("pixelstream-ingest") ? flinkArgs() : containerArgs(owner);
              for (String flag : pathArgs.get(owner)) {
                String path = arg(args, flag);
                assertThat(mounts)
                    .as("%s %s of %s is on a mounted volume", flag, path, owner)
                    .anyMatch(m -> path.startsWith(m + "/"));
                if (flag.contains("registry")) {
                  registryOf.put(owner, path);
                } else if (flag.contains("index")) {
                  indexOf.put(owner, path);
                }
              }
            });
    assertThat(new HashSet<>(registryOf.values())).as("one registry: %s", registryOf).hasSize(1);
    assertThat(new HashSet<>(indexOf.values())).as("one index root: %s", indexOf).hasSize(1);
    assertThat(registryOf).containsOnlyKeys("pixelstream-ingest", "query-api", "trainer");
  }

  @Test
  void theJobReadsTheDeclaredTopicsWithOnePartitionPerShard() {
    List<String> args = flinkArgs();
    JsonNode images = one("KafkaTopic", arg(args, "--kafka.topic"));
    one("KafkaTopic", arg(args, "--kafka.dlq-topic"));
    String cluster = images.at("/metadata/labels/strimzi.io~1cluster").asText();
    all("KafkaTopic")
        .forEach(
            t ->
                assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText())
                    .isEqualTo(cluster));
    assertThat(arg(args, "--kafka.bootstrap-servers")).isEqualTo(cluster + "-kafka-bootstrap:9092");
    int parallelism =
        one("FlinkDeployment", "pixelstream-ingest").at("/spec/job/parallelism").asInt();
    assertThat(arg(args, "--job.parallelism")).isEqualTo(Integer.toString(parallelism));
    assertThat(images.at("/spec/partitions").asInt()).isEqualTo(parallelism);
  }

  @Test
  void prometheusLoadsTheMonitoringAlertRules() throws IOException {
    JsonNode config = new YAMLMapper().readTree(HERE.resolve("prometheus.yml").toFile());
    String rules = config.at("/rule_files/0").asText();
    assertThat(Path.of(rules).getFileName().toString()).isEqualTo("alerts.yml");
    assertThat(HERE.resolve("../monitoring/alerts.yml")).exists();
    assertThat(config.at("/scrape_configs/0/kubernetes_sd_configs/0/namespaces/names/0").asText())
        .isEqualTo(NAMESPACE);
  }
}
