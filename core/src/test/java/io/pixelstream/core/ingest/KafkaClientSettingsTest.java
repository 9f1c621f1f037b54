package io.pixelstream.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

  private static final String SCRAM =
      """
      security.protocol=SASL_SSL
      sasl.mechanism=SCRAM-SHA-512
      sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
          username="pixelstream" password="s3cret-pw";
      ssl.truststore.location=/etc/kafka/ca.p12
      ssl.truststore.password=trust-pw
      ssl.truststore.type=PKCS12
      """;

  @Test
  void readsEverySettingOfTheFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"), SCRAM);
    KafkaClientSettings s = KafkaClientSettings.load(file);
    assertThat(s.values())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.type", "PKCS12")
        .hasSize(6);
    assertThat(s.values().get("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"pixelstream\" password=\"s3cret-pw\";");
    assertThat(s.asProperties()).containsEntry("security.protocol", "SASL_SSL").hasSize(6);
  }

  @Test
  void neverPrintsASecret(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"), SCRAM);
    KafkaClientSettings s = KafkaClientSettings.load(file);
    String line = s.describe();
    assertThat(line)
        .contains(file.toString())
        .contains("security.protocol=SASL_SSL")
        .contains("ssl.truststore.location=/etc/kafka/ca.p12")
        .contains("sasl.jaas.config=[hidden]")
        .contains("ssl.truststore.password=[hidden]")
        .doesNotContain("s3cret-pw")
        .doesNotContain("trust-pw");
    assertThat(s.toString()).doesNotContain("s3cret-pw");
    assertThat(KafkaClientSettings.isSecret("ssl.keystore.key")).isTrue();
    assertThat(KafkaClientSettings.isSecret("sasl.oauthbearer.client.credentials.client.secret"))
        .isTrue();
    assertThat(KafkaClientSettings.isSecret("ssl.keystore.type")).isFalse();
    assertThat(KafkaClientSettings.isSecret("config.providers.secrets.class")).isFalse();
  }

  @Test
  void refusesWhatTheProgramSetsItselfNamingTheOption(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(dir.resolve("c.properties"), "bootstrap.servers=elsewhere:9092\n");
    assertThatThrownBy(() -> KafkaClientSettings.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap.servers")
        .hasMessageContaining("--kafka.bootstrap-servers")
        .hasMessageContaining(file.toString());
    Path group = Files.writeString(dir.resolve("g.properties"), "group.id=other\n");
    assertThatThrownBy(() -> KafkaClientSettings.load(group))
        .hasMessageContaining("--kafka.group-id");
  }

  @Test
  void aMissingFileIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> KafkaClientSettings.load(dir.resolve("nope.properties")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kafka.properties: no such file " + dir.resolve("nope.properties"));
  }

  @Test
  void noFileMeansPlaintextDefaults() {
    KafkaClientSettings s = KafkaClientSettings.loadOrNone(null);
    assertThat(s.asProperties()).isEmpty();
    assertThat(s.describe()).contains("defaults");
  }
}
