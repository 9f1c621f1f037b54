package io.pixelstream.core;

import io.pixelstream.core.image.ImageEncoding;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

/** Small images made in tests, from an explicit seed. */
public final class TestImages {

  private TestImages() {}

  /** Random CHW pixels. */
  public static byte[] randomPixels(int channels, int height, int width, long seed) {
    byte[] pixels = new byte[channels * height * width];
    new Random(seed).nextBytes(pixels);
    return pixels;
  }

  /** A random grayscale PNG. */
  public static byte[] grayPng(int height, int width, long seed) {
    return ImageEncoding.png(randomPixels(1, height, width, seed), 1, height, width);
  }

  /** A PNG signature and an IHDR chunk that claims {@code width x height}, then IEND. */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
