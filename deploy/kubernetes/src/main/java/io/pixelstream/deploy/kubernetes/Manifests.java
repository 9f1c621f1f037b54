package io.pixelstream.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** Reads multi-document Kubernetes YAML (what {@code kustomize build} prints) into documents. */
public final class Manifests {

  static final YAMLMapper YAML = new YAMLMapper();

  private Manifests() {}

  /** Every non-empty document of {@code yaml}, in order. */
  public static List<JsonNode> read(Reader yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode d = it.next();
        if (d != null && !d.isEmpty()) {
          docs.add(d);
        }
      }
    }
    return docs;
  }

  /** {@code Kind/name}, how problems name a manifest. */
  public static String describe(JsonNode doc) {
    return doc.path("kind").asText("?") + "/" + doc.at("/metadata/name").asText("?");
  }
}
