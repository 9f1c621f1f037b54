package io.pixelstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;

/** {@code schemas/model-manifest.schema.json}, from the schemas module, for tests. */
public final class ManifestSchema {

  private ManifestSchema() {}

  public static JsonSchema load() throws IOException {
    try (InputStream in =
        ManifestSchema.class.getResourceAsStream(
            "/io/pixelstream/schemas/model-manifest.schema.json")) {
      assertThat(in).as("schema resource from the schemas module").isNotNull();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }
}
