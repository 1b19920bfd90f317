package io.slipway.build.export;

import io.slipway.store.compress.Compression;
import io.slipway.store.layer.LayerWriteOptions;
import io.slipway.store.layer.TimestampPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code --output} of a build, parsed from the reference builder's CSV form
 * ({@code type=oci,dest=out.tar,compression=zstd}). The set is closed so the exporter handles every
 * kind. Immutable records.
 */
public sealed interface Output {

  /** Layer settings every output shares: compression, level and {@code rewrite-timestamp}. */
  LayerSettings layers();

  /** {@code type=oci,dest=FILE.tar[,name=NAME]}: an OCI layout as a tar file. */
  record OciTar(Path dest, List<String> names, LayerSettings layers) implements Output {
    public OciTar {
      Objects.requireNonNull(dest, "dest");
      names = List.copyOf(names);
    }
  }

  /** {@code type=docker,dest=FILE.tar[,name=NAME]}: what {@code docker load} reads. */
  record DockerTar(Path dest, List<String> names, LayerSettings layers) implements Output {
    public DockerTar {
      Objects.requireNonNull(dest, "dest");
      names = List.copyOf(names);
    }
  }

  /** {@code type=local,dest=DIR}: the root file system as a directory. */
  record LocalDirectory(Path dest, LayerSettings layers) implements Output {
    public LocalDirectory {
      Objects.requireNonNull(dest, "dest");
    }
  }

  /** {@code type=tar,dest=FILE}: the root file system as one tar file. */
  record RootfsTar(Path dest, LayerSettings layers) implements Output {
    public RootfsTar {
      Objects.requireNonNull(dest, "dest");
    }
  }

  /** {@code type=image,name=NAME[,push=true]} (and {@code type=registry}): a named image. */
  record Image(List<String> names, boolean push, LayerSettings layers) implements Output {
    public Image {
      names = List.copyOf(names);
    }
  }

  /**
   * How layers are written for the outputs: compression, level (negative: default) and whether
   * file times are rewritten to the {@code SOURCE_DATE_EPOCH}. Immutable.
   */
  record LayerSettings(Compression compression, int level, boolean rewriteTimestamp) {
    /** gzip at its default level, file times kept. */
    public static final LayerSettings DEFAULT = new LayerSettings(Compression.GZIP, -1, false);

    /** The layer writer options for these settings and an optional epoch. */
    public LayerWriteOptions options(Optional<Instant> epoch, int gzipThreads) {
      TimestampPolicy policy = epoch
          .map(e -> rewriteTimestamp ? TimestampPolicy.rewrite(e) : TimestampPolicy.clamp(e))
          .orElse(TimestampPolicy.keep());
      return LayerWriteOptions.defaults().withCompression(compression, level)
          .withGzipThreads(gzipThreads).withTimestamps(policy);
    }
  }

  /**
   * Parses one {@code --output} value; {@code tags} (from {@code -t}) name images when the output
   * has no {@code name}, and a relative {@code dest} is resolved against {@code workingDirectory}.
   *
   * @throws IllegalArgumentException naming the unknown type or key, or the missing {@code dest}
   */
  static Output parse(String text, List<String> tags, Path workingDirectory) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        if (!part.contains("=") && fields.isEmpty() && !part.isBlank()) {
          // "--output DIR" is short for type=local,dest=DIR, as in the reference client.
          fields.put("type", "local");
          fields.put("dest", part);
          continue;
        }
        throw new IllegalArgumentException("invalid --output \"" + text + "\": \"" + part
            + "\" is not KEY=VALUE");
      }
      fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
    }
    String type = fields.getOrDefault("type", "");
    Compression compression = switch (fields.getOrDefault("compression", "gzip")) {
      case "gzip" -> Compression.GZIP;
      case "zstd" -> Compression.ZSTD;
      case "uncompressed" -> Compression.NONE;
      default -> throw new IllegalArgumentException("invalid --output \"" + text
          + "\": compression must be gzip, zstd or uncompressed");
    };
    int level = -1;
    if (fields.containsKey("compression-level")) {
      try {
        level = Integer.parseInt(fields.get("compression-level"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid --output \"" + text
            + "\": compression-level must be a number");
      }
    }
    LayerSettings layers = new LayerSettings(compression, level,
        Boolean.parseBoolean(fields.getOrDefault("rewrite-timestamp", "false")));
    List<String> names = new ArrayList<>();
    if (fields.containsKey("name")) {
      for (String name : fields.get("name").split(";")) {
        if (!name.isBlank()) {
          names.add(name.strip());
        }
      }
    } else {
      names.addAll(tags);
    }
    return switch (type) {
      case "oci" -> new OciTar(dest(fields, text, workingDirectory), names, layers);
      case "docker" -> new DockerTar(dest(fields, text, workingDirectory), names, layers);
      case "local" -> new LocalDirectory(dest(fields, text, workingDirectory), layers);
      case "tar" -> new RootfsTar(dest(fields, text, workingDirectory), layers);
      case "image", "registry" -> new Image(names,
          type.equals("registry") || Boolean.parseBoolean(fields.getOrDefault("push", "false")),
          layers);
      default -> throw new IllegalArgumentException("invalid --output \"" + text
          + "\": type must be image, registry, oci, docker, local or tar");
    };
  }

  private static Path dest(Map<String, String> fields, String text, Path workingDirectory) {
    String dest = fields.get("dest");
    if (dest == null || dest.isEmpty()) {
      throw new IllegalArgumentException("invalid --output \"" + text + "\": dest=PATH is required");
    }
    return workingDirectory.resolve(dest);
  }
}
