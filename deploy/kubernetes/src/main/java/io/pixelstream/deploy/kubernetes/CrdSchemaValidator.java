package io.pixelstream.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Validates custom resources against the OpenAPI v3 schemas of CRD files (the operators' published
 * CRDs, or excerpts of them: schemas/SOURCES.md). Every object a schema describes is closed, as the
 * API server's strict field validation treats it; a subtree marked {@code x-pixelstream-core-kind}
 * is bound to fabric8's model of that core type instead ({@link ModelValidator}).
 */
final class CrdSchemaValidator {

  static final String CORE_KIND = "x-pixelstream-core-kind";
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

  /**
   * The fields every manifest has; not checked against the CRD (metadata is bound to fabric8's
   * ObjectMeta by {@link KubernetesValidator}).
   */
  private static final List<String> ENVELOPE = List.of("apiVersion", "kind", "metadata");

  /** One CRD: its file, its versions by name, and each one's schema compiled closed. */
  private record Crd(Path file, Map<String, JsonNode> versions, Map<String, JsonSchema> closed) {}

  private final Map<String, Crd> byGroupKind;

  private CrdSchemaValidator(Map<String, Crd> byGroupKind) {
    this.byGroupKind = byGroupKind;
  }

  /** Loads every {@code *.yaml}/{@code *.yml} CRD under {@code dir}. */
  static CrdSchemaValidator load(Path dir) throws IOException {
    Map<String, Crd> crds = new HashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        try (Reader in = Files.newBufferedReader(f)) {
          for (JsonNode crd : Manifests.read(in)) {
            if (!crd.path("kind").asText().equals("CustomResourceDefinition")) {
              continue;
            }
            Map<String, JsonNode> versions = new HashMap<>();
            Map<String, JsonSchema> compiled = new HashMap<>();
            for (JsonNode v : crd.at("/spec/versions")) {
              versions.put(v.path("name").asText(), v);
              compiled.put(v.path("name").asText(), compile(v.at("/schema/openAPIV3Schema")));
            }
            String key = crd.at("/spec/group").asText() + "/" + crd.at("/spec/names/kind").asText();
            crds.put(key, new Crd(f, versions, compiled));
          }
        }
      }
    }
    return new CrdSchemaValidator(crds);
  }

  /** True when a CRD here defines {@code group}'s {@code kind}. */
  boolean knows(String group, String kind) {
    return byGroupKind.containsKey(group + "/" + kind);
  }

  /** Validates {@code doc} (of a kind this validator {@link #knows}) into {@code problems}. */
  void validate(JsonNode doc, String group, String version, List<ManifestProblem> problems) {
    String resource = Manifests.describe(doc);
    Crd crd = byGroupKind.get(group + "/" + doc.path("kind").asText());
    JsonNode v = crd.versions().get(version);
    if (v == null || !v.path("served").asBoolean(false)) {
      problems.add(
          new ManifestProblem(
              resource,
              "apiVersion",
              group
                  + "/"
                  + version
                  + " is not served; the CRD ("
                  + crd.file().getFileName()
                  + ") serves "
                  + crd.versions().keySet()));
      return;
    }
    if (v.path("deprecated").asBoolean(false)) {
      problems.add(
          new ManifestProblem(
              resource, "apiVersion", "deprecated: " + v.path("deprecationWarning").asText()));
    }
    ObjectNode body = doc.deepCopy();
    body.remove(ENVELOPE);
    for (ValidationMessage m : crd.closed().get(version).validate(body)) {
      String path = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
      String hint =
          m.getType().equals("additionalProperties")
              ? " (not in the CRD, or not in the excerpt kept in "
                  + crd.file().getParent().getFileName()
                  + "/"
                  + crd.file().getFileName()
                  + ": see schemas/SOURCES.md)"
              : "";
      problems.add(
          new ManifestProblem(
              resource, path, m.getMessage().replaceFirst("^\\$[^:]*: ", "") + hint));
    }
    coreKinds(v.at("/schema/openAPIV3Schema"), doc, resource, "", version, problems);
  }

  /**
   * A version's schema, {@link #closed}, as JSON Schema for a manifest without its {@link
   * #ENVELOPE}: closed at the top as well.
   */
  private static JsonSchema compile(JsonNode schema) {
    ObjectNode strict = closed(schema);
    if (strict.get("properties") instanceof ObjectNode props) {
      props.remove(ENVELOPE);
    }
    strict.put("additionalProperties", false);
    return FACTORY.getSchema(strict);
  }

  /**
   * {@code schema} as JSON Schema that refuses unknown fields: objects with properties are closed
   * unless the CRD preserves unknown fields there; core-kind subtrees accept anything (they are
   * checked by {@link #coreKinds}); Kubernetes' {@code x-} keywords are dropped.
   */
  static ObjectNode closed(JsonNode schema) {
    ObjectNode out = Manifests.YAML.createObjectNode();
    if (!schema.isObject() || schema.has(CORE_KIND)) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String k = e.getKey();
      JsonNode value = e.getValue();
      if (k.startsWith("x-") || k.equals("format") || k.equals("description")) {
        continue;
      }
      switch (k) {
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          value.fields().forEachRemaining(p -> props.set(p.getKey(), closed(p.getValue())));
        }
        case "items", "additionalProperties" ->
            out.set(k, value.isObject() ? closed(value) : value);
        case "anyOf", "oneOf", "allOf" -> {
          var list = out.putArray(k);
          value.forEach(alt -> list.add(closed(alt)));
        }
        default -> out.set(k, value);
      }
    }
    boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (schema.has("properties") && !schema.has("additionalProperties") && !open) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  /** Binds each part of {@code doc} under a core-kind mark to fabric8's model of that type. */
  private static void coreKinds(
      JsonNode schema,
      JsonNode doc,
      String resource,
      String path,
      String version,
      List<ManifestProblem> problems) {
    if (schema.has(CORE_KIND)) {
      coreType(schema.path(CORE_KIND).asText())
          .ifPresentOrElse(
              type -> ModelValidator.validate(type, doc, resource, path, version, problems),
              () ->
                  problems.add(
                      new ManifestProblem(
                          resource, path, "no model for core kind " + schema.path(CORE_KIND))));
      return;
    }
    if (doc.isObject()) {
      doc.fields()
          .forEachRemaining(
              f -> {
                JsonNode sub = schema.path("properties").path(f.getKey());
                if (sub.isMissingNode() && schema.path("additionalProperties").isObject()) {
                  sub = schema.path("additionalProperties");
                }
                if (sub.isObject()) {
                  coreKinds(
                      sub,
                      f.getValue(),
                      resource,
                      ModelValidator.join(path, "." + f.getKey()),
                      version,
                      problems);
                }
              });
    } else if (doc.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < doc.size(); i++) {
        coreKinds(
            schema.path("items"), doc.get(i), resource, path + "[" + i + "]", version, problems);
      }
    }
  }

  private static Optional<Class<?>> coreType(String name) {
    try {
      return Optional.of(Class.forName("io.fabric8.kubernetes.api.model." + name));
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }
}
