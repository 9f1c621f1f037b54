package io.pixelstream.core.ingest;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings from a properties file ({@code --kafka.properties FILE}): any setting a
 * Kafka client takes, so TLS, SASL/SCRAM and SASL/PLAIN reach the job's source, its dead-letter
 * sink and the demo producer alike.
 *
 * <pre>{@code
 * security.protocol=SASL_SSL
 * sasl.mechanism=SCRAM-SHA-512
 * sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \
 *     username="pixelstream" password="...";
 * ssl.truststore.location=/etc/kafka/ca.p12
 * ssl.truststore.type=PKCS12
 * }</pre>
 *
 * The settings the program owns (servers, group, serializers) are refused with the option that sets
 * them. {@link #toString()} and {@link #describe()} hide secret values, so the settings can be
 * logged.
 */
public final class KafkaClientSettings {

  /** Settings a program sets itself; the message names the way to set them instead. */
  private static final Map<String, String> OWNED =
      Map.of(
          "bootstrap.servers", "set the brokers with --kafka.bootstrap-servers",
          "group.id", "set the consumer group with --kafka.group-id",
          "key.serializer", "the program serialises records itself",
          "value.serializer", "the program serialises records itself",
          "key.deserializer", "the program deserialises records itself",
          "value.deserializer", "the program deserialises records itself");

  /** Key endings that mark a secret: Kafka's password-typed settings all end with one. */
  private static final Set<String> SECRET_ENDINGS =
      Set.of("password", "jaas.config", "secret", "token", "keystore.key", "private.key");

  private final Path source;
  private final Map<String, String> values;

  private KafkaClientSettings(Path source, Map<String, String> values) {
    this.source = source;
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** No settings beyond the defaults: plaintext Kafka. */
  public static KafkaClientSettings none() {
    return new KafkaClientSettings(null, Map.of());
  }

  /**
   * Reads {@code file} (Java properties syntax, UTF-8).
   *
   * @throws IllegalArgumentException when the file is missing or unreadable, or sets what the
   *     program owns; the message names the file and the key
   */
  public static KafkaClientSettings load(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("kafka.properties: no such file " + file, e);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "kafka.properties: cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      String why = OWNED.get(key);
      if (why != null) {
        throw new IllegalArgumentException(
            "kafka.properties: " + file + " sets " + key + "; " + why);
      }
      values.put(key, p.getProperty(key).trim());
    }
    return new KafkaClientSettings(file, values);
  }

  /** Reads {@code file}, or {@link #none()} when it is null. */
  public static KafkaClientSettings loadOrNone(String file) {
    return file == null ? none() : load(Path.of(file));
  }

  /** The settings, for a client's {@code Properties} or a Flink builder's {@code setProperty}. */
  public Map<String, String> values() {
    return values;
  }

  /** A copy as {@link Properties}, to add to a client's own. */
  public Properties asProperties() {
    Properties p = new Properties();
    p.putAll(values);
    return p;
  }

  /** True when {@code key}'s value must never be printed. */
  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || SECRET_ENDINGS.stream().anyMatch(k::endsWith);
  }

  /** One line for a log: the file and every setting, secret values shown as {@code [hidden]}. */
  public String describe() {
    if (source == null) {
      return "kafka client settings: defaults (plaintext)";
    }
    return "kafka client settings from " + source + ": " + this;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    values.forEach(
        (k, v) -> {
          if (out.length() > 1) {
            out.append(", ");
          }
          out.append(k).append('=').append(isSecret(k) ? "[hidden]" : v);
        });
    return out.append('}').toString();
  }
}
