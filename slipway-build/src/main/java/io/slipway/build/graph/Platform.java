package io.slipway.build.graph;

import java.util.Locale;
import java.util.Objects;

/**
 * An OS/architecture/variant triple such as {@code linux/arm64/v8}, as used by
 * {@code FROM --platform}, {@code --platform} and the automatic {@code TARGET*}/{@code BUILD*} ARGs.
 * Immutable.
 */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(variant, "variant");
  }

  /**
   * Parses {@code os/arch[/variant]} (or a bare {@code arch}, taken as Linux), normalising common
   * aliases ({@code x86_64} to {@code amd64}, {@code aarch64} to {@code arm64}).
   */
  public static Platform parse(String text) {
    String[] parts = text.strip().toLowerCase(Locale.ROOT).split("/");
    if (parts.length == 0 || parts.length > 3 || parts[0].isEmpty()) {
      throw new IllegalArgumentException(
          "invalid platform \"" + text + "\": use os/arch[/variant], such as linux/arm64");
    }
    if (parts.length == 1) {
      return normalise("linux", parts[0], "");
    }
    return normalise(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  private static Platform normalise(String os, String arch, String variant) {
    String a =
        switch (arch) {
          case "x86_64", "x86-64" -> "amd64";
          case "aarch64" -> "arm64";
          case "i386", "i686" -> "386";
          default -> arch;
        };
    String v = variant;
    if (a.equals("arm64") && v.equals("v8")) {
      v = "";
    }
    if (a.equals("arm") && v.isEmpty()) {
      v = "v7";
    }
    return new Platform(os, a, v);
  }

  /** The platform of the machine running Slipway. */
  public static Platform host() {
    return normalise("linux", System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT), "");
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
