package io.pixelstream.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One blocking HTTP/1.1 keep-alive connection for load generation: a request is one write, the
 * response is read by its {@code Content-Length}. It costs the client a few microseconds per
 * request, where {@link java.net.http.HttpClient} costs far more CPU, which on a small machine the
 * server would otherwise lose to its own load generator. Not thread-safe: one per client.
 */
final class KeepAliveClient implements Closeable {

  /** A response: status code and body. */
  record Response(int status, byte[] body) {}

  private final String host;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  KeepAliveClient(String host, int port) throws IOException {
    this.host = host;
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(30_000);
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = socket.getOutputStream();
  }

  /** POSTs {@code body} to {@code pathAndQuery} and reads the whole response. */
  Response post(String pathAndQuery, String contentType, byte[] body) throws IOException {
    String head =
        "POST "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    out.write(request);
    out.flush();
    return readResponse();
  }

  /** GETs {@code pathAndQuery} and reads the whole response. */
  Response get(String pathAndQuery) throws IOException {
    out.write(
        ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return readResponse();
  }

  private Response readResponse() throws IOException {
    String statusLine = readLine();
    if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: '" + statusLine + "'");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    int length = -1;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      } else if (lower.startsWith("transfer-encoding:")) {
        throw new IOException("chunked responses are not supported: " + line);
      }
    }
    if (length < 0) {
      throw new IOException("response without Content-Length (status " + status + ")");
    }
    return new Response(status, in.readNBytes(length));
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
