package io.slipway.build.prune;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildLeases;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Disk usage and prune for one builder root: {@link #usage} measures it; {@link #prune} plans
 * with {@link PrunePlanner}, removes the planned records that no build holds and condemns their
 * content in one transaction, then deletes content nothing names with {@link ContentSweeper} (or
 * leaves it for later while builds run); {@link #pruneIfDue} is the throttled automatic GC after
 * builds.
 *
 * <p>Safe for concurrent use, and with builds and prunes in other processes: the database
 * serialises the metadata steps and the sweep claim keeps content deletion away from builds.
 */
public final class Pruner {

  /** The free bytes of the file system holding a root. */
  @FunctionalInterface
  public interface FreeSpace {
    long bytes() throws IOException;
  }

  private final BuilderLayout layout;
  private final Database database;
  private final FileBlobStore blobs;
  private final Clock clock;
  private final BuildCache cache;
  private final BuildLeases leases;
  private final PruneLedger ledger;
  private final FreeSpace freeSpace;
  private final List<ContentIndex> others;

  private Pruner(BuilderLayout layout, Database database, FileBlobStore blobs, Clock clock,
      FreeSpace freeSpace, List<ContentIndex> others) {
    this.layout = layout;
    this.database = database;
    this.blobs = blobs;
    this.clock = clock;
    this.cache = new BuildCache(database, blobs, clock);
    this.leases = new BuildLeases(database, clock);
    this.ledger = new PruneLedger(database);
    this.freeSpace = freeSpace;
    this.others = List.copyOf(others);
  }

  /**
   * A pruner for the root {@code layout} whose build database is {@code database} (opened with
   * {@link BuildCache#MIGRATIONS}) and content store {@code blobs}.
   */
  public static Pruner of(BuilderLayout layout, Database database, FileBlobStore blobs,
      Clock clock) {
    return new Pruner(layout, database, blobs, clock,
        () -> Files.getFileStore(layout.root()).getUsableSpace(), List.of());
  }

  /** A copy measuring free space with {@code value} (for tests of {@code min-free-space}). */
  public Pruner withFreeSpace(FreeSpace value) {
    return new Pruner(layout, database, blobs, clock, value, others);
  }

  /**
   * A copy that never deletes a blob {@code indexes} name: the records of other modules sharing
   * the root's database and store, such as a co-located registry.
   */
  public Pruner withOtherIndexes(List<ContentIndex> indexes) {
    return new Pruner(layout, database, blobs, clock, freeSpace, indexes);
  }

  /** What the root holds now. */
  public DiskUsage usage() throws IOException {
    return new UsageScanner(layout, cache, database, leases, ledger, blobs).scan();
  }

  /**
   * Applies {@code policies} in order. A dry run only plans; otherwise the planned records are
   * removed (those a build started to use meanwhile stay) and content is swept.
   */
  public PruneResult prune(List<PrunePolicy> policies, boolean dryRun) throws IOException {
    DiskUsage usage = usage();
    Instant now = clock.instant();
    PrunePlan plan = PrunePlanner.plan(usage, policies, now, freeSpace.bytes());
    if (dryRun) {
      return new PruneResult(plan.records(), plan.freedBytes(), Optional.empty());
    }
    List<UsageRecord> removed = ledger.condemn(plan.records(), now);
    // A build may have started to use some planned records; those stayed.
    long freed = freedBy(usage, removed);
    SweepResult sweep =
        new ContentSweeper(layout, cache, leases, ledger, blobs, database, others).sweep();
    return new PruneResult(removed, freed, Optional.of(sweep));
  }

  /**
   * Runs {@code settings}' policies if automatic GC is enabled and has not run within its
   * interval (in any process); empty when it did not run.
   */
  public Optional<PruneResult> pruneIfDue(GcSettings settings) throws IOException {
    if (!settings.enabled() || !ledger.claimAutomaticRun(clock.instant(), settings.interval())) {
      return Optional.empty();
    }
    return Optional.of(prune(settings.policies(), false));
  }

  /** Bytes only {@code removed} records named, among {@code usage}'s records. */
  private static long freedBy(DiskUsage usage, List<UsageRecord> removed) {
    Map<ContentItem, Integer> references = usage.references();
    Set<ContentItem> freed = new HashSet<>();
    for (UsageRecord record : removed) {
      for (ContentItem item : record.items()) {
        if (references.merge(item, -1, Integer::sum) == 0) {
          freed.add(item);
        }
      }
    }
    return freed.stream().mapToLong(ContentItem::size).sum();
  }
}
