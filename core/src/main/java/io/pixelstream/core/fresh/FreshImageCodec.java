package io.pixelstream.core.fresh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The bytes of a {@link FreshImage} on the fresh-images topic: a format byte, then the fields in
 * declaration order ({@link DataOutputStream} encodings; absent values flagged).
 */
public final class FreshImageCodec {

  static final byte FORMAT = 1;

  private FreshImageCodec() {}

  public static byte[] encode(FreshImage f) {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(256 + (f.image() == null ? 0 : f.image().length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(f.id());
      out.writeBoolean(f.deleted());
      out.writeInt(f.shard());
      out.writeUTF(f.source());
      out.writeLong(f.offset());
      out.writeLong(f.eventTime());
      if (!f.deleted()) {
        out.writeUTF(f.modelVersion());
        out.writeInt(f.vector().length);
        for (float v : f.vector()) {
          out.writeFloat(v);
        }
        out.writeInt(f.cluster());
        out.writeBoolean(f.label() != null);
        if (f.label() != null) {
          out.writeInt(f.label());
        }
        out.writeBoolean(f.duplicateOf() != null);
        if (f.duplicateOf() != null) {
          out.writeUTF(f.duplicateOf());
        }
        out.writeInt(f.image().length);
        out.write(f.image());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when {@code bytes} is not a record this codec wrote
   */
  public static FreshImage decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("fresh image record is empty");
    }
    if (bytes[0] != FORMAT) {
      throw new IllegalArgumentException("fresh image record has unknown format " + bytes[0]);
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length))) {
      String id = in.readUTF();
      boolean deleted = in.readBoolean();
      int shard = in.readInt();
      String source = in.readUTF();
      long offset = in.readLong();
      long eventTime = in.readLong();
      if (deleted) {
        return FreshImage.tombstone(id, shard, source, offset, eventTime);
      }
      String version = in.readUTF();
      float[] vector = new float[length(in.readInt(), bytes.length / 4, "vector")];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = in.readFloat();
      }
      int cluster = in.readInt();
      Integer label = in.readBoolean() ? in.readInt() : null;
      String duplicateOf = in.readBoolean() ? in.readUTF() : null;
      byte[] image = new byte[length(in.readInt(), bytes.length, "image")];
      in.readFully(image);
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            "fresh image record has " + in.available() + " trailing bytes");
      }
      return new FreshImage(
          id,
          false,
          version,
          shard,
          source,
          offset,
          eventTime,
          vector,
          cluster,
          label,
          duplicateOf,
          image);
    } catch (IOException e) {
      throw new IllegalArgumentException("fresh image record is truncated: " + e, e);
    }
  }

  private static int length(int n, int max, String what) {
    if (n < 0 || n > max) {
      throw new IllegalArgumentException("fresh image record has a bad " + what + " length " + n);
    }
    return n;
  }
}
