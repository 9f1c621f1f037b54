package io.pixelstream.core.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code --name value} and {@code --flag} arguments, checked against the names a command knows so a
 * typo fails with a message instead of being ignored. Every {@code main} in the project uses this.
 */
public final class CliArgs {

  private final Map<String, String> values;

  private CliArgs(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args}.
   *
   * @param known option names without dashes; {@code help} is always accepted
   * @throws IllegalArgumentException for an unknown option or a stray value
   */
  public static CliArgs parse(String[] args, Set<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new IllegalArgumentException(
            "unexpected argument '" + a + "' (options are --name value)");
      }
      String name = a.substring(2);
      String value = "true";
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      }
      if (!known.contains(name) && !name.equals("help")) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + known);
      }
      values.put(name, value);
    }
    return new CliArgs(values);
  }

  /**
   * These arguments over {@code defaults}: an option given on the command line wins, the others
   * take the default's value (a preset's settings, say).
   */
  public CliArgs withDefaults(Map<String, String> defaults) {
    Map<String, String> merged = new LinkedHashMap<>(defaults);
    merged.putAll(values);
    return new CliArgs(merged);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public boolean helpRequested() {
    return values.containsKey("help");
  }

  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** The value of a required option. */
  public String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  public int getInt(String name, int fallback) {
    long v = getLong(name, fallback);
    if (v != (int) v) {
      throw new IllegalArgumentException("--" + name + " is out of range: " + v);
    }
    return (int) v;
  }

  public long getLong(String name, long fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  /** {@code true} or {@code false}; a bare {@code --name} means true. */
  public boolean getBoolean(String name, boolean fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw new IllegalArgumentException("--" + name + " must be true or false, got '" + v + "'");
  }

  /**
   * One constant of {@code fallback}'s enum, given by its {@link #choiceName} ({@code UNIT_RMS} is
   * {@code unit-rms}).
   */
  public <E extends Enum<E>> E getChoice(String name, E fallback) {
    return parseChoice(name, values.get(name), fallback);
  }

  /** {@link #getChoice} for a value {@code v} of option {@code name} read elsewhere (or null). */
  public static <E extends Enum<E>> E parseChoice(String name, String v, E fallback) {
    if (v == null) {
      return fallback;
    }
    E[] choices = fallback.getDeclaringClass().getEnumConstants();
    for (E c : choices) {
      if (choiceName(c).equals(v)) {
        return c;
      }
    }
    String names =
        Arrays.stream(choices).map(CliArgs::choiceName).collect(Collectors.joining(" or "));
    throw new IllegalArgumentException("--" + name + " must be " + names + ", got '" + v + "'");
  }

  /** How {@link #getChoice} spells {@code constant} on a command line: lower case, dashes. */
  public static String choiceName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** All options given, for handing on (e.g. into a Flink configuration). */
  public Map<String, String> asMap() {
    return Map.copyOf(values);
  }
}
