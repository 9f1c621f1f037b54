package io.pixelstream.core.ingest;

/**
 * A validated image ready for the encoder.
 *
 * @param id the image id
 * @param label the label, or null
 * @param source the source header, or null
 * @param input the normalised CHW encoder input
 * @param bytes the original encoded image, kept for the index's stored field
 */
public record PreparedImage(String id, Integer label, String source, float[] input, byte[] bytes) {}
