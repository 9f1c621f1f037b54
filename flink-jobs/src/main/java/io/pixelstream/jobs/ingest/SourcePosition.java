package io.pixelstream.jobs.ingest;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The highest Kafka offset a shard writer has written, per {@code topic-partition}. Kept in Flink
 * state so that every index commit records the complete position, also after a restore.
 */
public record SourcePosition(Map<String, Long> offsets) {

  public SourcePosition {
    offsets = Map.copyOf(offsets);
  }

  /** The element-wise maximum of {@code positions} (several after a rescale). */
  public static Map<String, Long> merge(Collection<SourcePosition> positions) {
    Map<String, Long> merged = new TreeMap<>();
    for (SourcePosition p : positions) {
      p.offsets.forEach((k, v) -> merged.merge(k, v, Math::max));
    }
    return merged;
  }

  /** Serialises positions for Flink's writer state. */
  public static final class Serializer implements SimpleVersionedSerializer<SourcePosition> {

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(SourcePosition position) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(position.offsets.size());
        for (Map.Entry<String, Long> e : new TreeMap<>(position.offsets).entrySet()) {
          out.writeUTF(e.getKey());
          out.writeLong(e.getValue());
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public SourcePosition deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown SourcePosition state version " + version);
      }
      try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(serialized))) {
        int n = in.readInt();
        Map<String, Long> offsets = new TreeMap<>();
        for (int i = 0; i < n; i++) {
          offsets.put(in.readUTF(), in.readLong());
        }
        return new SourcePosition(offsets);
      }
    }
  }
}
