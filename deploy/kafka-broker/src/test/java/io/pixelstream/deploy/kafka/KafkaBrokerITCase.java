package io.pixelstream.deploy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerITCase {

  @Test
  void startsAcceptsConnectionsAndRestartsOnItsData(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(dir).build()) {
      broker.start();
      assertThat(broker.isRunning()).isTrue();
      assertConnects(broker);
      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.start();
      assertConnects(broker);
      assertThat(Files.readString(broker.logFile())).contains("Kafka Server started");
    }
  }

  private static void assertConnects(KafkaBroker broker) throws IOException {
    String[] hostPort = broker.bootstrapServers().split(":");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
      assertThat(s.isConnected()).isTrue();
    }
  }
}
