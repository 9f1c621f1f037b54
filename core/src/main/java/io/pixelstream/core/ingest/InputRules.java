package io.pixelstream.core.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The input topic's rules for keys and headers (see {@code schemas/topics.md}): an image id is
 * 1-256 characters of {@code [A-Za-z0-9._:/-]}; a {@code label} header is a decimal int in
 * 0..{@value #MAX_LABEL}.
 */
public final class InputRules {

  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:/-]{1,256}");
  public static final int MAX_LABEL = 1_000_000;
  public static final int MAX_SOURCE_CHARS = 256;

  private InputRules() {}

  /** The id in {@code key} (UTF-8) or a {@link RejectReason#BAD_ID} refusal. */
  public static String imageId(byte[] key) throws RejectedInputException {
    if (key == null || key.length == 0) {
      throw new RejectedInputException(RejectReason.BAD_ID, "record has no key (the image id)");
    }
    if (key.length > 256) {
      throw new RejectedInputException(
          RejectReason.BAD_ID, "id is " + key.length + " bytes, the limit is 256");
    }
    String id;
    try {
      id =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(key))
              .toString();
    } catch (CharacterCodingException e) {
      throw new RejectedInputException(RejectReason.BAD_ID, "id is not valid UTF-8");
    }
    return checkId(id);
  }

  /** {@code id} if it follows the rule, else a {@link RejectReason#BAD_ID} refusal. */
  public static String checkId(String id) throws RejectedInputException {
    if (id == null || !ID.matcher(id).matches()) {
      throw new RejectedInputException(
          RejectReason.BAD_ID, "id must be 1-256 characters of [A-Za-z0-9._:/-]");
    }
    return id;
  }

  /** The label in a {@code label} header value, null when absent, else a refusal. */
  public static Integer label(byte[] header) throws RejectedInputException {
    if (header == null) {
      return null;
    }
    String text = new String(header, StandardCharsets.UTF_8).trim();
    if (text.isEmpty() || text.length() > 7 || !text.chars().allMatch(Character::isDigit)) {
      throw new RejectedInputException(
          RejectReason.BAD_LABEL,
          "label header must be a decimal int in 0.."
              + MAX_LABEL
              + ", got '"
              + abbreviate(text)
              + "'");
    }
    int label = Integer.parseInt(text);
    if (label > MAX_LABEL) {
      throw new RejectedInputException(
          RejectReason.BAD_LABEL, "label " + label + " is above " + MAX_LABEL);
    }
    return label;
  }

  /** The {@code source} header as text (null when absent), cut to {@value #MAX_SOURCE_CHARS}. */
  public static String source(byte[] header) {
    if (header == null) {
      return null;
    }
    String s = new String(header, StandardCharsets.UTF_8);
    return s.length() > MAX_SOURCE_CHARS ? s.substring(0, MAX_SOURCE_CHARS) : s;
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "...";
  }
}
