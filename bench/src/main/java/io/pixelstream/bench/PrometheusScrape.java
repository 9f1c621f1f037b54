package io.pixelstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The samples a Prometheus endpoint ({@code /metrics} on a local port) shows now. */
final class PrometheusScrape {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private PrometheusScrape() {}

  /** One line of Prometheus' text format: a metric name, its labels as written, its value. */
  record Sample(String name, String labels, double value) {

    /** The value of label {@code key}, or null. */
    String label(String key) {
      int at = labels.indexOf(key + "=\"");
      if (at < 0) {
        return null;
      }
      int from = at + key.length() + 2;
      return labels.substring(from, labels.indexOf('"', from));
    }
  }

  /** Every sample of {@code http://127.0.0.1:<port>/metrics}. */
  static List<Sample> scrape(int port) throws IOException, InterruptedException {
    String text =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      Sample s = parse(line);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private static Sample parse(String line) {
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    if (space < 0) {
      return null;
    }
    String name = line.substring(0, brace < 0 ? space : brace);
    String labels = brace < 0 ? "" : line.substring(brace, line.lastIndexOf('}') + 1);
    try {
      return new Sample(name, labels, Double.parseDouble(line.substring(space + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
