package io.slipway.cli;

import io.slipway.build.prune.ByteSize;
import io.slipway.build.prune.DiskUsage;
import io.slipway.build.prune.PrunePolicy;
import io.slipway.build.prune.PruneResult;
import io.slipway.build.prune.RecordFilter;
import io.slipway.build.prune.SweepResult;
import io.slipway.build.prune.UsageRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slipway prune}: removes builder cache records and the content only they keep, by one
 * policy given as flags (the flags of {@code docker builder prune}) or, with {@code --gc}, by the
 * policies of the builder configuration. Records a running build uses are never removed; their
 * content, and content a running build may read, is deleted once no build runs. The semantics
 * are in docs/prune.md. Exits 0, 1 when the root cannot be read or written, 2 on a usage error.
 * Confined to the main thread.
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Remove builder cache records and the content only they use.",
      "Without flags: every layer record no running build uses. --all: cache mounts and base"
          + " images too. --keep-duration, --reserved-space (a floor), --max-used-space and"
          + " --min-free-space (caps) limit what goes; see docs/prune.md."
    })
public final class PruneCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Builder state (default: $XDG_DATA_HOME/slipway or ~/.local/share/slipway)")
  Path root;

  @Option(names = {"-a", "--all"}, description = "Consider every record type, not only layers")
  boolean all;

  @Option(names = "--filter", paramLabel = "KEY=VALUE",
      description = "Only records matching: type=layer|source|cache-mount, id=PREFIX,"
          + " description=TEXT (repeat to combine)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--keep-duration", paramLabel = "DURATION",
      description = "Keep records used within this long (Go notation: 48h, 30m)")
  String keepDuration;

  @Option(names = "--reserved-space", paramLabel = "SIZE",
      description = "Floor: never bring used space below this (e.g. 2GB; powers of 1024)")
  String reservedSpace;

  @Option(names = "--max-used-space", paramLabel = "SIZE",
      description = "Cap: remove only until used space is at most this")
  String maxUsedSpace;

  @Option(names = "--min-free-space", paramLabel = "SIZE",
      description = "Cap: remove only until the disk has at least this free")
  String minFreeSpace;

  @Option(names = "--gc",
      description = "Apply the builder configuration's gc policies (what runs after builds)"
          + " instead of flags")
  boolean gc;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Builder configuration for --gc (default: ROOT/builder.yaml)")
  Path config;

  @Option(names = "--dry-run", description = "Show what would be removed; remove nothing")
  boolean dryRun;

  @Option(names = {"-v", "--verbose"}, description = "List every record removed")
  boolean verbose;

  /** Parses {@code --filter} values, a usage error (exit 2) naming the bad one. */
  static List<RecordFilter> filters(CommandLine.Model.CommandSpec spec, List<String> texts) {
    List<RecordFilter> parsed = new ArrayList<>();
    for (String text : texts) {
      try {
        parsed.add(RecordFilter.parse(text));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return parsed;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path state = CliEnvironment.current().builderRoot(root);
    boolean policyFlags = all || !filters.isEmpty() || keepDuration != null
        || reservedSpace != null || maxUsedSpace != null || minFreeSpace != null;
    if (gc && policyFlags) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--gc applies the configured policies; give either --gc or policy flags, not both");
    }
    if (config != null && !gc) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--config needs --gc");
    }
    List<PrunePolicy> policies;
    try {
      policies = gc
          ? BuilderConfigFile.read(config != null ? config
              : state.resolve(BuilderConfigFile.NAME)).policies()
          : List.of(policy());
    } catch (IOException e) {
      err.println("slipway prune: " + e.getMessage());
      err.flush();
      return 1;
    }
    try (BuilderRoot opened = BuilderRoot.open(state)) {
      DiskUsage before = opened.pruner().usage();
      PruneResult result = opened.pruner().prune(policies, dryRun);
      report(result, before, out);
      return 0;
    } catch (IOException e) {
      err.println("slipway prune: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private PrunePolicy policy() throws IOException {
    PrunePolicy policy = PrunePolicy.unusedLayers().withAll(all);
    for (RecordFilter filter : filters(spec, filters)) {
      policy = policy.withFilter(filter);
    }
    try {
      if (keepDuration != null) {
        Duration keep = RegistryConfigFile.duration(Path.of("--keep-duration"), "value",
            keepDuration);
        policy = policy.withKeepDuration(keep);
      }
      if (reservedSpace != null) {
        policy = policy.withReservedSpace(size("--reserved-space", reservedSpace));
      }
      if (maxUsedSpace != null) {
        policy = policy.withMaxUsedSpace(size("--max-used-space", maxUsedSpace));
      }
      if (minFreeSpace != null) {
        policy = policy.withMinFreeSpace(size("--min-free-space", minFreeSpace));
      }
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    return policy;
  }

  private long size(String option, String text) {
    try {
      return ByteSize.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  private void report(PruneResult result, DiskUsage before, PrintWriter out) {
    String verb = dryRun ? "would remove" : "removed";
    if (verbose || dryRun) {
      for (UsageRecord record : result.removed()) {
        out.printf("%s %-13s %-11s %10s  %s%n", verb, UsageTable.shortId(record),
            record.type().label(), ByteSize.format(before.privateBytes(record)),
            record.description());
      }
    }
    out.println((dryRun ? "Would remove " : "Removed ") + result.removed().size() + " record"
        + (result.removed().size() == 1 ? "" : "s") + ", freeing "
        + ByteSize.format(result.freedBytes()));
    if (result.sweep().isPresent()) {
      SweepResult sweep = result.sweep().get();
      out.println("Deleted " + sweep.blobs() + " blobs, " + sweep.trees() + " snapshot trees, "
          + sweep.cacheMounts() + " cache directories: " + ByteSize.format(sweep.bytes()));
      if (sweep.deferred()) {
        out.println("A build is running on this root: " + sweep.pendingLeft() + " condemned"
            + " items stay until no build runs; the next prune, or automatic GC after a build,"
            + " deletes them");
      }
    }
    out.flush();
  }
}
