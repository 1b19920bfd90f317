package io.slipway.build.graph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runtime part of an image configuration that Dockerfile instructions change: environment,
 * user, working directory, entrypoint and command, labels, ports, volumes, healthcheck, stop signal,
 * the shell for shell-form commands, ONBUILD triggers and the author. Environment entries are
 * {@code KEY=value} strings in declaration order, as in the OCI image config. Immutable.
 */
public record ImageConfig(
    List<String> env,
    String user,
    String workingDir,
    Optional<List<String>> entrypoint,
    Optional<List<String>> cmd,
    SortedMap<String, String> labels,
    SortedSet<String> exposedPorts,
    SortedSet<String> volumes,
    Optional<String> stopSignal,
    Optional<HealthcheckConfig> healthcheck,
    List<String> shell,
    List<String> onBuild,
    Optional<String> author) {

  /** The shell used when an image sets none. */
  public static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

  /** The config of {@code scratch} and of any base whose config is not known. */
  public static final ImageConfig EMPTY =
      new ImageConfig(
          List.of(), "", "", Optional.empty(), Optional.empty(), new TreeMap<>(), new TreeSet<>(),
          new TreeSet<>(), Optional.empty(), Optional.empty(), DEFAULT_SHELL, List.of(),
          Optional.empty());

  public ImageConfig {
    env = List.copyOf(env);
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workingDir, "workingDir");
    entrypoint = entrypoint.map(List::copyOf);
    cmd = cmd.map(List::copyOf);
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    exposedPorts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(exposedPorts));
    volumes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(volumes));
    Objects.requireNonNull(stopSignal, "stopSignal");
    Objects.requireNonNull(healthcheck, "healthcheck");
    shell = List.copyOf(shell);
    onBuild = List.copyOf(onBuild);
    Objects.requireNonNull(author, "author");
  }

  /** The value of environment variable {@code name}, if set. */
  public Optional<String> envValue(String name) {
    for (String entry : env) {
      int eq = entry.indexOf('=');
      if (eq >= 0 && entry.substring(0, eq).equals(name)) {
        return Optional.of(entry.substring(eq + 1));
      }
    }
    return Optional.empty();
  }

  /** A healthcheck as the image config holds it; zero durations mean the default. Immutable. */
  public record HealthcheckConfig(
      List<String> test,
      java.time.Duration interval,
      java.time.Duration timeout,
      java.time.Duration startPeriod,
      java.time.Duration startInterval,
      int retries) {
    public HealthcheckConfig {
      test = List.copyOf(test);
    }
  }
}
