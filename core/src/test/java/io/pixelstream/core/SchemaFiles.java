package io.pixelstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;

/** The contracts in {@code schemas/}, from the schemas module's jar, for tests. */
public final class SchemaFiles {

  private SchemaFiles() {}

  /** {@code schemas/<file>}, e.g. {@code model-manifest.schema.json}. */
  public static JsonSchema load(String file) throws IOException {
    try (InputStream in =
        SchemaFiles.class.getResourceAsStream("/io/pixelstream/schemas/" + file)) {
      assertThat(in).as("schema resource %s from the schemas module", file).isNotNull();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  public static JsonSchema manifest() throws IOException {
    return load("model-manifest.schema.json");
  }
}
