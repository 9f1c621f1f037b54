package io.pixelstream.deploy.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a real {@link KafkaBroker} for a test class, on free ports in a
 * temporary folder that is removed afterwards.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> scramUsers;
  private Path dir;
  private TlsStores tls;
  private KafkaBroker broker;

  /** A plaintext broker. */
  public KafkaBrokerExtension() {
    this(Map.of());
  }

  private KafkaBrokerExtension(Map<String, String> scramUsers) {
    this.scramUsers = Map.copyOf(scramUsers);
  }

  /**
   * A broker with a SASL_SSL listener beside its plaintext one: SCRAM-SHA-512 with {@code users}
   * (name to password) over TLS with a key pair generated for the test ({@link #tls()}).
   */
  public static KafkaBrokerExtension withSaslSsl(Map<String, String> users) {
    return new KafkaBrokerExtension(users);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("kafka-broker-");
    KafkaBroker.Builder builder = KafkaBroker.builder().dataDir(dir.resolve("broker"));
    if (!scramUsers.isEmpty()) {
      tls =
          TlsStores.generate(
              dir.resolve("tls"), "pixelstream-test-" + ProcessHandle.current().pid());
      builder.saslSsl(tls, scramUsers);
    }
    broker = builder.build();
    broker.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (broker != null) {
        broker.stop();
      }
    } finally {
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  public KafkaBroker broker() {
    return broker;
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The broker's key and trust stores; null for a plaintext broker. */
  public TlsStores tls() {
    return tls;
  }
}
