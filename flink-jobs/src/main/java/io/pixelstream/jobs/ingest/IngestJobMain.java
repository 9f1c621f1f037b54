package io.pixelstream.jobs.ingest;

import io.pixelstream.core.cli.CliArgs;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the ingestion job: on a local MiniCluster when started with {@code java}, on the cluster
 * when submitted with {@code flink run flink-jobs-*-job.jar --model.dir ...}. Options are {@link
 * IngestOptions}' keys; {@code --help} lists them.
 */
public final class IngestJobMain {

  private IngestJobMain() {}

  public static void main(String[] args) throws Exception {
    List<ConfigOption<?>> options = options();
    CliArgs cli;
    try {
      cli =
          CliArgs.parse(args, options.stream().map(ConfigOption::key).collect(Collectors.toSet()));
    } catch (IllegalArgumentException e) {
      System.err.println("ingest: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (cli.helpRequested()) {
      System.out.println("Usage: ingest (--model.dir DIR | --model.registry DIR) [options]\n");
      for (ConfigOption<?> o : options) {
        System.out.printf(
            "  --%-26s %s (default: %s)%n", o.key(), o.description(), o.defaultValue());
      }
      return;
    }
    Configuration conf = Configuration.fromMap(cli.asMap());
    IngestSettings settings = IngestSettings.from(conf);
    StreamExecutionEnvironment env = IngestEnvironment.create(conf, settings);
    IngestJob.addTo(env, settings);
    env.execute("pixelstream-ingest");
  }

  /** Every option in {@link IngestOptions}, in declaration order. */
  static List<ConfigOption<?>> options() {
    List<ConfigOption<?>> list = new ArrayList<>();
    for (Field f : IngestOptions.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        try {
          list.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return list;
  }
}
