package io.slipway.oci;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The platform an image runs on: operating system, CPU architecture and optional variant, OS
 * version and OS features, as in the {@code platform} object of an OCI index entry.
 *
 * <p>Absent optional parts are {@code null} (an empty string is read as absent). The spec requires
 * {@code os} and {@code architecture}; parsed JSON that lacks them yields empty strings, and such a
 * platform matches nothing. The JSON form uses the OCI field names ({@code os.version}, {@code
 * os.features}) and omits absent parts.
 *
 * <p>{@link #normalize()} maps the aliases other tools write ({@code x86_64}, {@code aarch64},
 * {@code armhf}, {@code macos}…) to the names registries use, and fills the variant an
 * architecture implies ({@code arm64} is {@code v8}, {@code arm} is {@code v7}). {@link
 * #matches(Platform)} and {@link #runs(Platform)} compare normalized forms, so {@code
 * linux/aarch64} matches an index entry for {@code linux/arm64/v8}. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant"})
public record Platform(
    @JsonProperty("os") String os,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("variant") String variant,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures) {

  private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_.-]+");

  public Platform {
    // The spec requires both, but an index entry that lacks one must still parse: it then
    // matches no platform instead of making the whole index unreadable.
    os = os == null ? "" : os;
    architecture = architecture == null ? "" : architecture;
    variant = Values.emptyToNull(variant);
    osVersion = Values.emptyToNull(osVersion);
    osFeatures = Values.listCopy(osFeatures, "os.features");
  }

  /** A platform with no variant, such as {@code linux/amd64}. */
  public static Platform of(String os, String architecture) {
    return of(os, architecture, null);
  }

  /** A platform with a variant, such as {@code linux/arm/v7}; a null variant means none. */
  public static Platform of(String os, String architecture, String variant) {
    String text = os + "/" + architecture + (variant == null ? "" : "/" + variant);
    if (os == null || os.isEmpty()) {
      throw new InvalidPlatformException(text, "os is empty");
    }
    if (architecture == null || architecture.isEmpty()) {
      throw new InvalidPlatformException(text, "architecture is empty");
    }
    return new Platform(os, architecture, variant, null, List.of());
  }

  /**
   * Parses {@code os/architecture[/variant]} as given to {@code --platform}. The result is as
   * written, not normalized; call {@link #normalize()} for that.
   */
  public static Platform parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidPlatformException(String.valueOf(text), "empty");
    }
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new InvalidPlatformException(
          text, "expected os/architecture or os/architecture/variant, such as linux/arm64/v8");
    }
    String[] names = {"os", "architecture", "variant"};
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty()) {
        throw new InvalidPlatformException(text, names[i] + " is empty");
      }
      if (!COMPONENT.matcher(parts[i]).matches()) {
        throw new InvalidPlatformException(
            text,
            names[i] + " \"" + parts[i] + "\" may only hold letters, digits, \"_\", \".\" and \"-\"");
      }
    }
    return of(
        parts[0].toLowerCase(Locale.ROOT),
        parts[1].toLowerCase(Locale.ROOT),
        parts.length == 3 ? parts[2].toLowerCase(Locale.ROOT) : null);
  }

  /** The platform of the running JVM, normalized: what {@code --platform} defaults to. */
  public static Platform ofRuntime() {
    String osName = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String os =
        osName.startsWith("windows") ? "windows" : osName.startsWith("mac") ? "darwin" : osName;
    return of(os.replace(' ', '-'), System.getProperty("os.arch", "amd64")).normalize();
  }

  /**
   * The canonical form: lowercase, architecture aliases resolved ({@code x86_64} and {@code
   * x86-64} are {@code amd64}, {@code aarch64} is {@code arm64}, {@code i386}/{@code i686} are
   * {@code 386}, {@code armhf} is {@code arm/v7}, {@code armel} is {@code arm/v6}), variants
   * spelled with a {@code v} ({@code 8} is {@code v8}), implied variants filled in ({@code arm64}
   * is {@code v8}, {@code arm} is {@code v7}) and the baseline {@code amd64/v1} written as plain
   * {@code amd64}.
   */
  public Platform normalize() {
    String normalOs = os.toLowerCase(Locale.ROOT);
    if (normalOs.equals("macos")) {
      normalOs = "darwin";
    }
    String arch = architecture.toLowerCase(Locale.ROOT);
    String normalVariant = variant == null ? null : variant.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "i386", "i486", "i586", "i686", "x86", "386" -> {
        arch = "386";
        normalVariant = null;
      }
      case "x86_64", "x86-64", "amd64" -> {
        arch = "amd64";
        normalVariant = withV(normalVariant);
        if ("v1".equals(normalVariant)) {
          normalVariant = null;
        }
      }
      case "aarch64", "arm64" -> {
        arch = "arm64";
        normalVariant = normalVariant == null ? "v8" : withV(normalVariant);
        if (normalVariant.endsWith(".0")) {
          normalVariant = normalVariant.substring(0, normalVariant.length() - 2);
        }
      }
      case "armhf" -> {
        arch = "arm";
        normalVariant = "v7";
      }
      case "armel" -> {
        arch = "arm";
        normalVariant = "v6";
      }
      case "arm" -> normalVariant = normalVariant == null ? "v7" : withV(normalVariant);
      default -> {
        // Unknown architectures are kept as written: the spec allows any GOARCH value.
      }
    }
    return new Platform(normalOs, arch, normalVariant, osVersion, osFeatures);
  }

  /**
   * True when {@code candidate} is exactly this platform after normalization: same OS,
   * architecture and variant; when this platform names an OS version, the candidate's must agree
   * on major.minor.build; when it names OS features, the candidate must have them all.
   */
  public boolean matches(Platform candidate) {
    Platform want = normalize();
    Platform have = candidate.normalize();
    return !want.os.isEmpty()
        && !want.architecture.isEmpty()
        && want.os.equals(have.os)
        && want.architecture.equals(have.architecture)
        && Objects.equals(want.variant, have.variant)
        && want.acceptsOsOf(have);
  }

  /**
   * True when a machine of this platform can run images built for {@code candidate}: an exact
   * {@link #matches match}, or the same OS and architecture with an older variant of it ({@code
   * linux/arm/v7} runs {@code linux/arm/v6}; {@code linux/amd64/v3} runs {@code linux/amd64}).
   */
  public boolean runs(Platform candidate) {
    Platform want = normalize();
    Platform have = candidate.normalize();
    if (want.os.isEmpty()
        || want.architecture.isEmpty()
        || !want.os.equals(have.os)
        || !want.architecture.equals(have.architecture)
        || !want.acceptsOsOf(have)) {
      return false;
    }
    if (Objects.equals(want.variant, have.variant)) {
      return true;
    }
    Optional<Double> wantLevel = want.variantLevel();
    Optional<Double> haveLevel = have.variantLevel();
    return wantLevel.isPresent()
        && haveLevel.isPresent()
        && haveLevel.get() <= wantLevel.get();
  }

  /**
   * Orders candidates from best to worst for a machine of this platform: exact matches first, then
   * runnable candidates with the newest variant first. Candidates this platform cannot {@link
   * #runs run} sort last.
   */
  @JsonIgnore
  public Comparator<Platform> preference() {
    return Comparator.comparingInt(this::preferenceRank)
        .thenComparing(
            (Platform p) -> p.normalize().variantLevel().orElse(0.0), Comparator.reverseOrder());
  }

  /** {@code os/architecture[/variant]}, the form {@code --platform} takes. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }

  private int preferenceRank(Platform candidate) {
    if (matches(candidate)) {
      return 0;
    }
    return runs(candidate) ? 1 : 2;
  }

  private boolean acceptsOsOf(Platform have) {
    if (osVersion != null) {
      if (have.osVersion == null || !buildPrefix(osVersion).equals(buildPrefix(have.osVersion))) {
        return false;
      }
    }
    return have.osFeatures.containsAll(osFeatures);
  }

  // Windows versions are major.minor.build.revision; images are compatible across revisions.
  private static String buildPrefix(String version) {
    String[] parts = version.split("\\.");
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < Math.min(3, parts.length); i++) {
      kept.add(parts[i]);
    }
    return String.join(".", kept);
  }

  // The numeric level of a normalized variant within its architecture: amd64 v1..v4, arm v5..v8,
  // arm64 v8, v8.1 … v9. Empty for variants with no known order.
  private Optional<Double> variantLevel() {
    String v = variant == null ? (architecture.equals("amd64") ? "v1" : null) : variant;
    if (v == null || !v.startsWith("v")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Double.parseDouble(v.substring(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String withV(String variant) {
    if (variant == null) {
      return null;
    }
    return !variant.isEmpty() && Character.isDigit(variant.charAt(0)) ? "v" + variant : variant;
  }
}
