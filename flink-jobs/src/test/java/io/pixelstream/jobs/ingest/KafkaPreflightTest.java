package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.ingest.KafkaClientSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaPreflightTest {

  @Test
  void wrongCredentialsAreARefusalThatHidesTheSecret(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("c.properties"),
            "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"u\" password=\"wrong-pw\";\n");
    KafkaClientSettings kafka = KafkaClientSettings.load(file);
    String message =
        KafkaPreflight.refusal(
                new SaslAuthenticationException("Authentication failed: invalid credentials"),
                "kafka:9093",
                kafka)
            .orElseThrow();
    assertThat(message)
        .contains("kafka:9093")
        .contains("authentication failed")
        .contains("invalid credentials")
        .contains("security.protocol=SASL_SSL")
        .doesNotContain("wrong-pw");
  }

  @Test
  void aMissingAclIsARefusalNamingWhatTheUserNeeds() {
    String message =
        KafkaPreflight.refusal(
                new TopicAuthorizationException("Not authorized to access topics: [images]"),
                "kafka:9093",
                KafkaClientSettings.none())
            .orElseThrow();
    assertThat(message).contains("not authorized").contains("Read on the input topic");
  }

  @Test
  void anUnavailableBrokerIsNoRefusal() {
    assertThat(
            KafkaPreflight.refusal(
                new TimeoutException("timed out"), "kafka:9093", KafkaClientSettings.none()))
        .isEmpty();
  }
}
