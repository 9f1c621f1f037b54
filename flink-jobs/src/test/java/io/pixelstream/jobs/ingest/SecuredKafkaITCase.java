package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.deploy.kafka.TlsStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a broker that takes clients only over SASL_SSL (SCRAM-SHA-512 over TLS, key and trust
 * stores generated for the test), configured by {@code --kafka.properties} alone, with its secrets
 * in files beside it as Kubernetes mounts them: 1,000 images and 20 bad records are produced,
 * indexed and dead-lettered over it; a wrong password stops the job before it starts, with Kafka's
 * authentication error, and indexes nothing.
 */
class SecuredKafkaITCase {

  private static final String USER = "pixelstream-job";
  private static final String PASSWORD = "job-secret-7f3a";
  private static final int IMAGES = 1000;

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA =
      KafkaBrokerExtension.withSaslSsl(Map.of(USER, PASSWORD));

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  @BeforeAll
  static void topics() throws Exception {
    KafkaTopics.ensure(
        KAFKA.bootstrapServers(), Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
  }

  /**
   * A client settings file for the SASL_SSL listener as the Kubernetes manifests write it: no
   * secret in the file itself, the JAAS line and the trust store's password read from files (as
   * mounted from Strimzi's user and cluster-CA Secrets) through Kafka's DirectoryConfigProvider.
   */
  private static Path clientProperties(Path dir, String password) throws IOException {
    TlsStores tls = KAFKA.tls();
    Path user = Files.createDirectories(dir.resolve("kafka-user"));
    Files.writeString(
        user.resolve("sasl.jaas.config"),
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER
            + "\" password=\""
            + password
            + "\";");
    Path ca = Files.createDirectories(dir.resolve("kafka-ca"));
    Files.writeString(ca.resolve("ca.password"), tls.password());
    return Files.writeString(
        dir.resolve("kafka-client.properties"),
        String.join(
            "\n",
            "config.providers=secrets",
            "config.providers.secrets.class="
                + "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=${secrets:" + user + ":sasl.jaas.config}",
            "ssl.truststore.location=" + tls.trustStore(),
            "ssl.truststore.password=${secrets:" + ca + ":ca.password}",
            "ssl.truststore.type=PKCS12",
            ""));
  }

  @Test
  void ingestsOverSaslSsl(@TempDir Path work) throws Exception {
    String secured = KAFKA.broker().saslSslBootstrapServers();
    KafkaClientSettings client = KafkaClientSettings.load(clientProperties(work, PASSWORD));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(IMAGES);
    Map<String, String> expectedErrors;
    try (ImageProducer producer =
        new ImageProducer(
            secured, "images", ImageProducer.DEFAULT_MAX_REQUEST_BYTES, client.asProperties())) {
      IngestFixtures.produce(producer, images, 0, IMAGES);
      expectedErrors = BadRecords.produce(producer, images);
      producer.flush();
    }

    Configuration conf = IngestFixtures.settings(secured, work.resolve("model"), work, 2, true);
    conf.set(IngestOptions.KAFKA_PROPERTIES, work.resolve("kafka-client.properties").toString());
    conf.set(IngestOptions.MAX_IMAGE_BYTES, 64 * 1024);
    IngestEnvironment.executeAsync(conf, "ingest-sasl-it").getJobExecutionResult().get();

    try (CommittedIndex index = new CommittedIndex(work.resolve("index"), model.version())) {
      assertThat(index.numDocs()).isEqualTo(IMAGES);
      Map<String, ?> byId = index.documentsById();
      for (int i = 0; i < IMAGES; i++) {
        assertThat(byId).containsKey(IngestFixtures.id(i));
      }
    }
    // the dead letters went out over SASL_SSL too; read back over the plaintext listener
    BadRecords.assertDeadLettered(KAFKA.bootstrapServers(), "images.dlq", expectedErrors);
  }

  @Test
  void aWrongPasswordStopsTheJobWithAnAuthenticationErrorAndIndexesNothing(@TempDir Path work)
      throws Exception {
    String secured = KAFKA.broker().saslSslBootstrapServers();
    IngestFixtures.model(work.resolve("model"));
    Path file = clientProperties(work, "not-the-password");
    Configuration conf = IngestFixtures.settings(secured, work.resolve("model"), work, 2, true);
    conf.set(IngestOptions.KAFKA_PROPERTIES, file.toString());
    IngestSettings settings = IngestSettings.from(conf);
    StreamExecutionEnvironment env = IngestEnvironment.create(conf, settings);

    assertThatThrownBy(() -> IngestJob.addTo(env, settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused the job's credentials (authentication failed)")
        .hasMessageContaining(file.toString())
        .hasMessageNotContaining("not-the-password")
        .hasCauseInstanceOf(SaslAuthenticationException.class);
    assertThat(work.resolve("index")).doesNotExist();
  }
}
