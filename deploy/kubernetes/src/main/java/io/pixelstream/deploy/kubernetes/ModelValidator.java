package io.pixelstream.deploy.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.strimzi.crdgenerator.annotations.Minimum;
import io.strimzi.crdgenerator.annotations.PresentInVersions;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates a manifest by binding it to the Java model of its kind (fabric8's for core kinds and
 * the Prometheus Operator's, Strimzi's own for Strimzi's) and walking the result: a value of the
 * wrong type fails the binding, a field the model does not know lands in the model's {@code
 * additionalProperties} and is reported, and so is a required field left out ({@code @JsonProperty
 * (required = true)}, {@link CoreRequiredFields}), a number under Strimzi's {@code @Minimum} and a
 * field Strimzi's {@code @PresentInVersions} keeps out of the manifest's API version.
 */
final class ModelValidator {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final String resource;
  private final String apiVersion;
  private final List<ManifestProblem> problems;

  /**
   * @param apiVersion the manifest's version within its group (v1, v1beta2), for Strimzi's
   *     version-dependent fields
   */
  private ModelValidator(String resource, String apiVersion, List<ManifestProblem> problems) {
    this.resource = resource;
    this.apiVersion = apiVersion;
    this.problems = problems;
  }

  /**
   * Binds {@code node} to {@code type} and reports what is wrong with it into {@code problems}.
   *
   * @param path where {@code node} is in the manifest ("" for the whole manifest)
   */
  static void validate(
      Class<?> type,
      JsonNode node,
      String resource,
      String path,
      String apiVersion,
      List<ManifestProblem> problems) {
    Object model;
    try {
      model = MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      String at =
          e.getPath().stream()
              .map(
                  r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining());
      problems.add(
          new ManifestProblem(
              resource,
              join(path, at),
              "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage()));
      return;
    } catch (Exception e) {
      problems.add(new ManifestProblem(resource, path, "cannot be read: " + e.getMessage()));
      return;
    }
    new ModelValidator(resource, apiVersion, problems).walk(model, node, path);
  }

  /** Walks {@code value}, bound from {@code node}, along the fields {@code node} sets. */
  private void walk(Object value, JsonNode node, String path) {
    if (value == null || !isModel(value.getClass())) {
      return;
    }
    Map<String, Object> unknown = additionalProperties(value);
    unknown.keySet().forEach(k -> problems.add(problem(join(path, "." + k), "unknown field")));
    JavaType type = MAPPER.constructType(value.getClass());
    for (BeanPropertyDefinition p :
        MAPPER.getSerializationConfig().introspect(type).findProperties()) {
      AnnotatedMember accessor = p.getAccessor();
      if (accessor == null) {
        continue;
      }
      String at = join(path, "." + p.getName());
      JsonNode child = node.path(p.getName());
      boolean absent =
          child.isMissingNode() || child.isNull() || child.isEmpty() && child.isArray();
      if (absent) {
        if (p.isRequired() || CoreRequiredFields.isRequired(value.getClass(), p.getName())) {
          problems.add(problem(at, "missing required field"));
        }
        continue;
      }
      Object v = accessor.getValue(value);
      PresentInVersions present = accessor.getAnnotation(PresentInVersions.class);
      if (present != null && !StrimziVersions.inRange(present.value(), apiVersion)) {
        problems.add(
            problem(at, "not in API version " + apiVersion + " (only in " + present.value() + ")"));
      }
      Minimum min = accessor.getAnnotation(Minimum.class);
      if (min != null && v instanceof Number n && n.longValue() < min.value()) {
        problems.add(problem(at, "must be >= " + min.value() + ", got " + n));
      }
      descend(v, child, at);
    }
  }

  private void descend(Object v, JsonNode node, String at) {
    if (v instanceof List<?> list && node.isArray()) {
      for (int i = 0; i < list.size() && i < node.size(); i++) {
        walk(list.get(i), node.get(i), at + "[" + i + "]");
      }
    } else if (v instanceof Map<?, ?> map && node.isObject()) {
      map.forEach((k, item) -> walk(item, node.path(String.valueOf(k)), at + "." + k));
    } else {
      walk(v, node, at);
    }
  }

  private ManifestProblem problem(String path, String message) {
    return new ManifestProblem(resource, path, message);
  }

  private static boolean isModel(Class<?> c) {
    String name = c.getName();
    return name.startsWith("io.fabric8.") || name.startsWith("io.strimzi.");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> additionalProperties(Object model) {
    try {
      Method m = model.getClass().getMethod("getAdditionalProperties");
      Object extra = m.invoke(model);
      return extra instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    } catch (NoSuchMethodException e) {
      return Map.of();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("reading unknown fields of " + model.getClass(), e);
    }
  }

  static String join(String path, String tail) {
    String joined = path + tail;
    return joined.startsWith(".") ? joined.substring(1) : joined;
  }
}
