package io.pixelstream.core.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives of float arrays (a zip of {@code .npy} files), the
 * format DJL's {@code NDList.decode} and {@code numpy.load} both read. Writing is deterministic:
 * the same arrays in the same order give the same bytes.
 */
public final class Npz {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Largest single array accepted when reading (1 Gi values), so a broken header cannot OOM us. */
  private static final long MAX_VALUES = 1L << 30;

  private Npz() {}

  /** Writes {@code arrays} (name -> array) as an npz archive, entries named {@code <name>.npy}. */
  public static void write(Map<String, NdArray> arrays, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
      ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
      entry.setTime(315532800000L); // 1980-01-01, the zip epoch: keeps the bytes reproducible
      zip.putNextEntry(entry);
      zip.write(toNpy(e.getValue()));
      zip.closeEntry();
    }
    zip.finish();
  }

  /**
   * Reads an npz archive. Accepts little-endian float32 and float64 arrays in C order; anything
   * else is refused with an {@link IOException} that names the entry.
   */
  public static Map<String, NdArray> read(InputStream in) throws IOException {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    ZipInputStream zip = new ZipInputStream(in);
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      String name = entry.getName();
      if (!name.endsWith(".npy")) {
        throw new IOException("npz entry '" + name + "' is not an .npy file");
      }
      String key = name.substring(0, name.length() - 4);
      arrays.put(key, fromNpy(key, zip.readAllBytes()));
    }
    if (arrays.isEmpty()) {
      throw new IOException("npz archive holds no arrays (empty or not a zip file)");
    }
    return arrays;
  }

  static byte[] toNpy(NdArray array) {
    int[] shape = array.shape();
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    if (shape.length > 1) {
      dims.setLength(dims.length() - 2);
    } else if (shape.length == 1) {
      dims.setLength(dims.length() - 1);
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buf =
        ByteBuffer.allocate(MAGIC.length + 4 + headerBytes.length + 4 * array.data().length)
            .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC)
        .put((byte) 1)
        .put((byte) 0)
        .putShort((short) headerBytes.length)
        .put(headerBytes);
    for (float v : array.data()) {
      buf.putFloat(v);
    }
    return buf.array();
  }

  static NdArray fromNpy(String key, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10) {
      throw new IOException("array '" + key + "' is truncated");
    }
    for (byte b : MAGIC) {
      if (buf.get() != b) {
        throw new IOException("array '" + key + "' is not in .npy format (bad magic)");
      }
    }
    int major = buf.get();
    buf.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
    if (headerLen < 0 || headerLen > buf.remaining()) {
      throw new IOException("array '" + key + "' has a bad header length");
    }
    byte[] headerBytes = new byte[headerLen];
    buf.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.US_ASCII);
    String descr = group(DESCR, header, key, "descr");
    if ("True".equals(group(FORTRAN, header, key, "fortran_order"))) {
      throw new IOException("array '" + key + "' is in Fortran order; only C order is supported");
    }
    int[] shape = parseShape(group(SHAPE, header, key, "shape"), key);
    long count = 1;
    for (int d : shape) {
      count *= d;
      if (count > MAX_VALUES) {
        throw new IOException("array '" + key + "' is too large");
      }
    }
    int width =
        switch (descr) {
          case "<f4" -> 4;
          case "<f8" -> 8;
          default ->
              throw new IOException(
                  "array '" + key + "' has dtype " + descr + "; only <f4 and <f8 are supported");
        };
    if (buf.remaining() != count * width) {
      throw new IOException(
          "array '" + key + "' holds " + buf.remaining() + " bytes, shape needs " + count * width);
    }
    float[] data = new float[(int) count];
    for (int i = 0; i < data.length; i++) {
      data[i] = width == 4 ? buf.getFloat() : (float) buf.getDouble();
    }
    return new NdArray(shape, data);
  }

  private static String group(Pattern p, String header, String key, String what)
      throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException("array '" + key + "' header has no " + what);
    }
    return m.group(1);
  }

  private static int[] parseShape(String dims, String key) throws IOException {
    String trimmed = dims.trim();
    if (trimmed.isEmpty()) {
      return new int[0];
    }
    String[] parts = trimmed.split(",");
    int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
    int[] shape = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        shape[i] = Integer.parseInt(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new IOException("array '" + key + "' has a bad shape: (" + dims + ")", e);
    }
    return shape;
  }

  /** Serialises {@code arrays} to bytes; see {@link #write}. */
  public static byte[] toBytes(Map<String, NdArray> arrays) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(arrays, out);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
