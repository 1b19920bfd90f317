package io.slipway.cli;

import io.slipway.build.prune.ByteSize;
import io.slipway.build.prune.DiskUsage;
import io.slipway.build.prune.PrunePlanner;
import io.slipway.build.prune.RecordFilter;
import io.slipway.build.prune.UsageRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slipway du}: the builder's disk usage, as {@code docker buildx du} shows it: each cache
 * record and cache mount with its type, size (private and shared), last use and use count, then
 * totals including the metadata database. Exits 0, 1 when the root cannot be read, 2 on a usage
 * error. Confined to the main thread.
 */
@Command(
    name = "du",
    mixinStandardHelpOptions = true,
    description = {
      "Show the builder's disk usage: cache records, cache mounts and the metadata database.",
      "SIZE is what removing a record frees; SHARED is content other records also use."
          + " * marks records a running build uses."
    })
public final class DuCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Builder state (default: $XDG_DATA_HOME/slipway or ~/.local/share/slipway)")
  Path root;

  @Option(names = {"-v", "--verbose"}, description = "Every field of every record")
  boolean verbose;

  @Option(names = "--filter", paramLabel = "KEY=VALUE",
      description = "Only records matching: type=layer|source|cache-mount, id=PREFIX,"
          + " description=TEXT (repeat to combine)")
  List<String> filters = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<RecordFilter> parsed = PruneCommand.filters(spec, filters);
    Path state = CliEnvironment.current().builderRoot(root);
    DiskUsage usage;
    try (BuilderRoot opened = BuilderRoot.open(state)) {
      usage = opened.pruner().usage();
    } catch (IOException e) {
      err.println("slipway du: " + e.getMessage());
      err.flush();
      return 1;
    }
    Instant now = Instant.now();
    List<UsageRecord> shown = usage.records().stream()
        .filter(r -> parsed.stream().allMatch(f -> f.matches(r)))
        .sorted(PrunePlanner.ORDER.reversed())
        .toList();
    if (!verbose) {
      UsageTable.header(out);
    }
    long reclaimable = 0;
    for (UsageRecord record : shown) {
      if (verbose) {
        UsageTable.block(out, usage, record, now);
      } else {
        UsageTable.row(out, usage, record, now);
      }
      if (!record.inUse()) {
        reclaimable += usage.privateBytes(record);
      }
    }
    out.println();
    out.printf("%-14s%d%s%n", "Records:", shown.size(),
        parsed.isEmpty() ? "" : " of " + usage.records().size() + " (filtered)");
    out.printf("%-14s%s%n", "Reclaimable:", ByteSize.format(reclaimable));
    out.printf("%-14s%s%n", "Metadata:", ByteSize.format(usage.metadataBytes())
        + " (meta.db with its -wal and -shm)");
    if (usage.unreferencedBytes() > 0) {
      out.printf("%-14s%s%n", "Unreferenced:", ByteSize.format(usage.unreferencedBytes())
          + " (no record names it; the next prune or build deletes it)");
    }
    out.printf("%-14s%s%n", "Total:", ByteSize.format(usage.usedBytes()));
    out.flush();
    return 0;
  }
}
