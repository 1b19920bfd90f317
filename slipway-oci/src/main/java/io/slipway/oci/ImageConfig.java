package io.slipway.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An image configuration: the platform an image is for, how to run it ({@link RunConfig}), the
 * uncompressed digests of its layers ({@link RootFs}) and its build history. Covers the OCI config
 * ({@link MediaTypes#OCI_CONFIG}) and the Docker config ({@link MediaTypes#DOCKER_CONFIG}), which
 * share these fields.
 *
 * <p>{@code created} is kept as the RFC 3339 text found in the document ({@link #createdAt()}
 * parses it). Absent strings are {@code null}; absent lists are empty. Fields Slipway does not
 * model ({@code container_config}, {@code docker_version}…) are ignored when reading and not
 * written back, which is harmless: a changed config is a new blob with a new digest anyway.
 * {@link #toBytes()} is canonical. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
  "created",
  "author",
  "architecture",
  "os",
  "os.version",
  "os.features",
  "variant",
  "config",
  "rootfs",
  "history"
})
public record ImageConfig(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    @JsonProperty("variant") String variant,
    @JsonProperty("config") @JsonInclude(JsonInclude.Include.ALWAYS) RunConfig config,
    @JsonProperty("rootfs") @JsonInclude(JsonInclude.Include.ALWAYS) RootFs rootfs,
    @JsonProperty("history") List<History> history) {

  public ImageConfig {
    created = Values.emptyToNull(created);
    author = Values.emptyToNull(author);
    architecture = Values.emptyToNull(architecture);
    os = Values.emptyToNull(os);
    osVersion = Values.emptyToNull(osVersion);
    osFeatures = Values.listCopy(osFeatures, "os.features");
    variant = Values.emptyToNull(variant);
    config = config == null ? RunConfig.EMPTY : config;
    rootfs = rootfs == null ? RootFs.EMPTY : rootfs;
    history = Values.listCopy(history, "history");
  }

  /** A config for {@code platform} with no layers, no history and an empty run config. */
  public static ImageConfig of(Platform platform) {
    return new ImageConfig(
        null,
        null,
        platform.architecture(),
        platform.os(),
        platform.osVersion(),
        platform.osFeatures(),
        platform.variant(),
        RunConfig.EMPTY,
        RootFs.EMPTY,
        List.of());
  }

  /**
   * Reads a config blob.
   *
   * @throws InvalidImageConfigException if it is not a JSON object of the config's shape
   */
  public static ImageConfig parse(byte[] json) {
    return OciJson.read(json, ImageConfig.class, InvalidImageConfigException::new);
  }

  /** The canonical encoding: the same config always yields the same bytes and digest. */
  public byte[] toBytes() {
    return OciJson.canonicalBytes(this);
  }

  /**
   * The platform the image is for. An image config without {@code os} or {@code architecture}
   * yields a platform that matches nothing.
   */
  public Platform platform() {
    return new Platform(os, architecture, variant, osVersion, osFeatures);
  }

  /** {@code created} as an instant; empty when absent or not RFC 3339. */
  public Optional<Instant> createdAt() {
    return parseTime(created);
  }

  /** The uncompressed layer digests, base layer first. */
  public List<Digest> diffIds() {
    return rootfs.diffIds();
  }

  /** The same config with {@code created} set to {@code instant} in RFC 3339 UTC (null clears). */
  public ImageConfig withCreated(Instant instant) {
    return new ImageConfig(
        instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant),
        author, architecture, os, osVersion, osFeatures, variant, config, rootfs, history);
  }

  /** The same config with {@code author} (null clears). */
  public ImageConfig withAuthor(String author) {
    return new ImageConfig(
        created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs,
        history);
  }

  /** The same config with this run config. */
  public ImageConfig withConfig(RunConfig config) {
    return new ImageConfig(
        created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs,
        history);
  }

  /** The same config for another platform. */
  public ImageConfig withPlatform(Platform platform) {
    return new ImageConfig(
        created,
        author,
        platform.architecture(),
        platform.os(),
        platform.osVersion(),
        platform.osFeatures(),
        platform.variant(),
        config,
        rootfs,
        history);
  }

  /**
   * The same config with one more layer on top: its uncompressed digest appended to the rootfs
   * and {@code entry} to the history.
   */
  public ImageConfig withLayer(Digest diffId, History entry) {
    if (entry.emptyLayer()) {
      throw new IllegalArgumentException("a history entry for a layer cannot be marked empty_layer");
    }
    List<Digest> ids = new ArrayList<>(rootfs.diffIds());
    ids.add(diffId);
    return withRootFsAndHistory(new RootFs(rootfs.type(), ids), entry);
  }

  /** The same config with a history entry for a step that made no layer ({@code ENV}, {@code CMD}…). */
  public ImageConfig withEmptyLayerHistory(History entry) {
    return withRootFsAndHistory(rootfs, entry.emptyLayer() ? entry : entry.asEmptyLayer());
  }

  private ImageConfig withRootFsAndHistory(RootFs newRootfs, History entry) {
    List<History> entries = new ArrayList<>(history);
    entries.add(entry);
    return new ImageConfig(
        created, author, architecture, os, osVersion, osFeatures, variant, config, newRootfs,
        entries);
  }

  private static Optional<Instant> parseTime(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The parameters a container of this image runs with, under the Docker field names ({@code Env},
   * {@code Entrypoint}…). Empty lists and maps mean "not set" and are not written. Immutable.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyOrder({
    "User",
    "ExposedPorts",
    "Env",
    "Entrypoint",
    "Cmd",
    "Volumes",
    "WorkingDir",
    "Labels",
    "StopSignal",
    "ArgsEscaped",
    "Healthcheck",
    "OnBuild",
    "Shell"
  })
  public record RunConfig(
      @JsonProperty("User") String user,
      @JsonProperty("ExposedPorts")
          @JsonSerialize(using = KeySetJson.Writer.class)
          @JsonDeserialize(using = KeySetJson.Reader.class)
          Set<String> exposedPorts,
      @JsonProperty("Env") List<String> env,
      @JsonProperty("Entrypoint") List<String> entrypoint,
      @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("Volumes")
          @JsonSerialize(using = KeySetJson.Writer.class)
          @JsonDeserialize(using = KeySetJson.Reader.class)
          Set<String> volumes,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("Labels") Map<String, String> labels,
      @JsonProperty("StopSignal") String stopSignal,
      @JsonProperty("ArgsEscaped") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
          boolean argsEscaped,
      @JsonProperty("Healthcheck") Healthcheck healthcheck,
      @JsonProperty("OnBuild") List<String> onBuild,
      @JsonProperty("Shell") List<String> shell) {

    /** No parameters set. */
    public static final RunConfig EMPTY =
        new RunConfig(
            null, Set.of(), List.of(), List.of(), List.of(), Set.of(), null, Map.of(), null, false,
            null, List.of(), List.of());

    public RunConfig {
      user = Values.emptyToNull(user);
      exposedPorts = sortedSet(exposedPorts);
      env = Values.listCopy(env, "Env");
      entrypoint = Values.listCopy(entrypoint, "Entrypoint");
      cmd = Values.listCopy(cmd, "Cmd");
      volumes = sortedSet(volumes);
      workingDir = Values.emptyToNull(workingDir);
      labels = Values.sortedCopy(labels, "Labels");
      stopSignal = Values.emptyToNull(stopSignal);
      onBuild = Values.listCopy(onBuild, "OnBuild");
      shell = Values.listCopy(shell, "Shell");
    }

    /** The value of environment variable {@code name}, as the last {@code name=} entry sets it. */
    public Optional<String> envValue(String name) {
      String prefix = name + "=";
      Optional<String> value = Optional.empty();
      for (String entry : env) {
        if (entry.startsWith(prefix)) {
          value = Optional.of(entry.substring(prefix.length()));
        } else if (entry.equals(name)) {
          value = Optional.of("");
        }
      }
      return value;
    }

    /** The same run config with {@code name=value} set, replacing an earlier value in place. */
    public RunConfig withEnvValue(String name, String value) {
      String prefix = name + "=";
      List<String> entries = new ArrayList<>();
      boolean replaced = false;
      for (String entry : env) {
        if (entry.startsWith(prefix) || entry.equals(name)) {
          if (!replaced) {
            entries.add(prefix + value);
            replaced = true;
          }
        } else {
          entries.add(entry);
        }
      }
      if (!replaced) {
        entries.add(prefix + value);
      }
      return withEnv(entries);
    }

    /** The same run config with {@code User}. */
    public RunConfig withUser(String user) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code ExposedPorts} (entries such as {@code 80/tcp}). */
    public RunConfig withExposedPorts(Set<String> exposedPorts) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code Env} ({@code NAME=value} entries, in order). */
    public RunConfig withEnv(List<String> env) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code Entrypoint}. */
    public RunConfig withEntrypoint(List<String> entrypoint) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code Cmd}. */
    public RunConfig withCmd(List<String> cmd) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code Volumes} (container paths). */
    public RunConfig withVolumes(Set<String> volumes) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code WorkingDir}. */
    public RunConfig withWorkingDir(String workingDir) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code Labels}. */
    public RunConfig withLabels(Map<String, String> labels) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code StopSignal}. */
    public RunConfig withStopSignal(String stopSignal) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code ArgsEscaped} (Windows images only). */
    public RunConfig withArgsEscaped(boolean argsEscaped) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code Healthcheck} (null clears). */
    public RunConfig withHealthcheck(Healthcheck healthcheck) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code OnBuild} triggers. */
    public RunConfig withOnBuild(List<String> onBuild) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    /** The same run config with {@code Shell}. */
    public RunConfig withShell(List<String> shell) {
      return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
          stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    private static SortedSet<String> sortedSet(Set<String> values) {
      if (values == null || values.isEmpty()) {
        return Collections.emptySortedSet();
      }
      return Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }
  }

  /**
   * A container health check, as {@code HEALTHCHECK} sets it. {@code test} is {@code ["NONE"]} to
   * disable an inherited check, {@code ["CMD", …]} or {@code ["CMD-SHELL", "…"]} otherwise.
   * Durations are in nanoseconds, as Docker writes them; zero means "use the default". Immutable.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyOrder({"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"})
  public record Healthcheck(
      @JsonProperty("Test") List<String> test,
      @JsonProperty("Interval") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long intervalNanos,
      @JsonProperty("Timeout") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long timeoutNanos,
      @JsonProperty("StartPeriod") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
          long startPeriodNanos,
      @JsonProperty("StartInterval") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
          long startIntervalNanos,
      @JsonProperty("Retries") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int retries) {

    public Healthcheck {
      test = Values.listCopy(test, "Healthcheck.Test");
    }
  }

  /**
   * The layers of the image's root filesystem, as uncompressed ("diff ID") digests, base layer
   * first. {@code type} is always {@code layers} in practice. Immutable.
   */
  @JsonPropertyOrder({"type", "diff_ids"})
  public record RootFs(
      @JsonProperty("type") String type, @JsonProperty("diff_ids") List<Digest> diffIds) {

    /** A root filesystem with no layers. */
    public static final RootFs EMPTY = new RootFs("layers", List.of());

    public RootFs {
      type = type == null || type.isEmpty() ? "layers" : type;
      diffIds = Values.listCopy(diffIds, "rootfs.diff_ids");
    }

    /** A {@code layers} root filesystem of these diff IDs. */
    public static RootFs of(List<Digest> diffIds) {
      return new RootFs("layers", diffIds);
    }
  }

  /**
   * One build step in the image's history: when and how it was made, and whether it added a layer.
   * Entries with {@code emptyLayer} false correspond, in order, to the rootfs diff IDs. Absent
   * strings are {@code null}. Immutable.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyOrder({"created", "created_by", "author", "comment", "empty_layer"})
  public record History(
      @JsonProperty("created") String created,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("author") String author,
      @JsonProperty("comment") String comment,
      @JsonProperty("empty_layer") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
          boolean emptyLayer) {

    public History {
      created = Values.emptyToNull(created);
      createdBy = Values.emptyToNull(createdBy);
      author = Values.emptyToNull(author);
      comment = Values.emptyToNull(comment);
    }

    /** An entry for a step, such as {@code RUN make}, made at {@code created} (null: unknown). */
    public static History of(Instant created, String createdBy) {
      return new History(
          created == null ? null : DateTimeFormatter.ISO_INSTANT.format(created),
          createdBy,
          null,
          null,
          false);
    }

    /** The same entry marked as adding no layer. */
    public History asEmptyLayer() {
      return new History(created, createdBy, author, comment, true);
    }

    /** {@code created} as an instant; empty when absent or not RFC 3339. */
    public Optional<Instant> createdAt() {
      return parseTime(created);
    }
  }
}
