package io.pixelstream.jobs.ingest;

import io.pixelstream.core.ingest.KafkaClientSettings;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to Kafka once with the job's client settings before the job is submitted, so that wrong
 * credentials, an untrusted certificate or a missing ACL stop the submission with a clear error
 * instead of a job that restarts forever. A broker that does not answer in time is not an error:
 * the source retries it once running.
 */
final class KafkaPreflight {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaPreflight.class);
  private static final long TIMEOUT_SECONDS = 15;

  private KafkaPreflight() {}

  /**
   * Describes {@code topics} on {@code bootstrapServers} with {@code kafka}'s settings.
   *
   * @throws IllegalStateException when Kafka refuses the credentials or the access
   */
  static void check(String bootstrapServers, KafkaClientSettings kafka, List<String> topics) {
    Properties p = kafka.asProperties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_SECONDS * 1000));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_SECONDS * 1000));
    try (Admin admin = Admin.create(p)) {
      admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Optional<String> refusal = refusal(e.getCause(), bootstrapServers, kafka);
      if (refusal.isPresent()) {
        throw new IllegalStateException(refusal.get(), e.getCause());
      }
      LOG.warn("Kafka preflight on {}: {}; the source will retry", bootstrapServers, e.getCause());
    } catch (TimeoutException e) {
      LOG.warn(
          "Kafka at {} did not answer in {} s; the source will retry",
          bootstrapServers,
          TIMEOUT_SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted checking Kafka at " + bootstrapServers, e);
    }
  }

  /** The message for a failure that no retry can cure, or empty. */
  static Optional<String> refusal(
      Throwable cause, String bootstrapServers, KafkaClientSettings kafka) {
    if (cause instanceof AuthenticationException) {
      return Optional.of(
          "Kafka at "
              + bootstrapServers
              + " refused the job's credentials (authentication failed): "
              + cause.getMessage()
              + "; check kafka.properties ("
              + kafka.describe()
              + ")");
    }
    if (cause instanceof AuthorizationException) {
      return Optional.of(
          "Kafka at "
              + bootstrapServers
              + " refused access (not authorized): "
              + cause.getMessage()
              + "; the job's user needs Describe and Read on the input topic and its group, and"
              + " Write on the dead-letter topic");
    }
    return Optional.empty();
  }
}
