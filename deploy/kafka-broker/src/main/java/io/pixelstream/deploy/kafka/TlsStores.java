package io.pixelstream.deploy.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed key pair for {@code 127.0.0.1}/{@code localhost} in a PKCS12 key store, and a trust
 * store holding its certificate, made by the JDK's {@code keytool}: what a TLS listener of a test
 * broker needs and what its clients trust.
 *
 * <pre>{@code
 * TlsStores tls = TlsStores.generate(dir, "changeit");
 * KafkaBroker.builder().dataDir(dir).saslSsl(tls, Map.of("alice", "alice-pw")).build();
 * // clients: ssl.truststore.location=tls.trustStore(), ssl.truststore.password=tls.password()
 * }</pre>
 *
 * @param keyStore the broker's key pair and certificate (PKCS12)
 * @param trustStore the certificate alone (PKCS12)
 * @param password the password of both stores and of the key
 */
public record TlsStores(Path keyStore, Path trustStore, String password) {

  /** Writes {@code broker.p12} and {@code trust.p12} into {@code dir}, valid for two days. */
  public static TlsStores generate(Path dir, String password)
      throws IOException, InterruptedException {
    if (password == null || password.length() < 6) {
      throw new IllegalArgumentException("password must have at least 6 characters");
    }
    Files.createDirectories(dir);
    Path keyStore = dir.resolve("broker.p12");
    Path cert = dir.resolve("broker.crt");
    Path trustStore = dir.resolve("trust.p12");
    for (Path p : List.of(keyStore, cert, trustStore)) {
      Files.deleteIfExists(p);
    }
    keytool(
        keyStore,
        password,
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-keypass",
        password);
    keytool(
        keyStore, password, "-exportcert", "-rfc", "-alias", "broker", "-file", cert.toString());
    keytool(
        trustStore,
        password,
        "-importcert",
        "-noprompt",
        "-alias",
        "broker-ca",
        "-file",
        cert.toString());
    return new TlsStores(keyStore, trustStore, password);
  }

  /** Runs {@code keytool <args> -keystore store -storetype PKCS12 -storepass password}. */
  private static void keytool(Path store, String password, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed:\n" + out);
    }
  }
}
