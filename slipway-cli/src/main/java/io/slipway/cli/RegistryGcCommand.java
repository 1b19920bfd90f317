package io.slipway.cli;

import io.slipway.build.cache.BuildContentIndex;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.gc.BlobPins;
import io.slipway.registry.gc.GarbageCollector;
import io.slipway.registry.gc.GcReport;
import io.slipway.registry.gc.MaintenanceConfig;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.sql.SqliteDatabase;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway registry gc [--dry-run] [--config registry.yaml] [--root DIR]}: one garbage
 * collection of a registry root with the policy of the config file's {@code gc} section. Safe
 * beside a server running on the same root while the grace periods are not zero: pushes of
 * another process are protected by them, not by this process's pins. Main thread only.
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Delete untagged manifests the retention rules do not keep and blobs nothing references.",
      "Grace periods (gc.linkgrace, gc.unlinkedgrace, default 1h) protect recent pushes."
    })
public final class RegistryGcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration; its storage and gc sections apply.")
  Path config;

  @Option(names = "--root", paramLabel = "DIR",
      description = "State directory; overrides storage.filesystem.rootdirectory.")
  Path root;

  @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    RegistryConfig settings = RegistryConfig.defaults(Path.of("slipway-data"));
    MaintenanceConfig maintenance = MaintenanceConfig.defaults();
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "config file " + config + " does not exist");
      }
      settings = RegistryConfigFile.read(config, settings);
      maintenance = MaintenanceConfigFile.read(config, maintenance);
    }
    Path directory = root != null ? root : settings.root();
    PrintWriter out = spec.commandLine().getOut();
    try (FileBlobStore store = FileBlobStore.open(directory);
        SqliteDatabase database =
            SqliteDatabase.open(
                directory.resolve("meta.db"), List.of(SqlRegistryMetadata.MIGRATIONS))) {
      GcReport report =
          new GarbageCollector(database, store, new BlobPins(), maintenance.gc(), Clock.systemUTC(),
                  // A builder sharing the root keeps its records here; their blobs are not garbage.
                  List.of(new BuildContentIndex()))
              .collect(dryRun);
      String prefix = dryRun ? "would delete " : "deleted ";
      report.manifests().forEach(m -> out.println(prefix + "untagged manifest " + m));
      report.links().forEach(l -> out.println(prefix + "blob link " + l));
      report.blobs().forEach(b -> out.println(prefix + "blob " + b));
      out.println(report.summary());
      out.flush();
    }
    return 0;
  }
}
