package io.slipway.build.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prune policies over fabricated records (sizes, ages, use counts, sharing), asserting exactly
 * which records go and in which order. Sizes are in MiB and ages in hours to keep the arithmetic
 * readable; free space is given explicitly.
 */
class PrunePlannerTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final long MIB = 1L << 20;

  private static ContentItem blob(String name, long mib) {
    return new ContentItem.Blob(Digest.sha256(name.getBytes(StandardCharsets.UTF_8)), mib * MIB);
  }

  private static UsageRecord record(String id, RecordType type, long hoursAgo, long uses,
      ContentItem... items) {
    Instant used = NOW.minus(Duration.ofHours(hoursAgo));
    return new UsageRecord(id, type, "step " + id, used.minus(Duration.ofHours(1)), used, uses,
        false, List.of(items));
  }

  private static UsageRecord layer(String id, long hoursAgo, long mib) {
    return record(id, RecordType.LAYER, hoursAgo, 0, blob(id, mib));
  }

  private static UsageRecord inUse(UsageRecord r) {
    return new UsageRecord(r.id(), r.type(), r.description(), r.created(), r.lastUsed(),
        r.useCount(), true, r.items());
  }

  private static List<String> removed(List<UsageRecord> records, long freeMib,
      PrunePolicy... policies) {
    return removed(new DiskUsage(records, 0, 0), freeMib, policies);
  }

  private static List<String> removed(DiskUsage usage, long freeMib, PrunePolicy... policies) {
    List<String> ids = new ArrayList<>();
    for (UsageRecord r : PrunePlanner.plan(usage, List.of(policies), NOW, freeMib * MIB)
        .records()) {
      ids.add(r.id());
    }
    return ids;
  }

  private static final List<UsageRecord> FOUR_LAYERS = List.of(
      layer("a", 100, 10), layer("b", 50, 20), layer("c", 10, 30), layer("d", 1, 40));

  @Test
  void removesEveryUnusedLayerOldestFirstWithoutLimits() {
    assertThat(removed(FOUR_LAYERS, 1000, PrunePolicy.unusedLayers()))
        .containsExactly("a", "b", "c", "d");
  }

  @Test
  void keepsRecordsUsedWithinKeepDuration() {
    assertThat(removed(FOUR_LAYERS, 1000,
        PrunePolicy.unusedLayers().withKeepDuration(Duration.ofHours(24))))
        .containsExactly("a", "b");
  }

  @Test
  void removesARecordExactlyAsOldAsKeepDuration() {
    assertThat(removed(FOUR_LAYERS, 1000,
        PrunePolicy.unusedLayers().withKeepDuration(Duration.ofHours(50))))
        .containsExactly("a", "b");
  }

  @Test
  void maxUsedSpaceIsACapRemovingOnlyUntilUsageFits() {
    // 100 MiB used; cap 75: a (10) leaves 90, b (20) leaves 70 <= 75, stop.
    assertThat(removed(FOUR_LAYERS, 1000, PrunePolicy.unusedLayers().withMaxUsedSpace(75 * MIB)))
        .containsExactly("a", "b");
  }

  @Test
  void maxUsedSpaceAlreadyMetRemovesNothing() {
    assertThat(removed(FOUR_LAYERS, 1000,
        PrunePolicy.unusedLayers().withMaxUsedSpace(100 * MIB))).isEmpty();
  }

  @Test
  void metadataCountsTowardsUsedSpace() {
    // 100 MiB of records + 5 MiB of meta.db = 105; cap 100: a (10) is enough.
    DiskUsage usage = new DiskUsage(FOUR_LAYERS, 5 * MIB, 0);
    assertThat(removed(usage, 1000, PrunePolicy.unusedLayers().withMaxUsedSpace(100 * MIB)))
        .containsExactly("a");
  }

  @Test
  void reservedSpaceIsAFloorNeverCrossed() {
    // No cap: remove all it may, but used space stays >= 65 MiB: a (->90), b (->70), then c
    // would leave 40 < 65, so it stops there.
    assertThat(removed(FOUR_LAYERS, 1000, PrunePolicy.unusedLayers().withReservedSpace(65 * MIB)))
        .containsExactly("a", "b");
  }

  @Test
  void floorWinsOverCap() {
    // Cap 20 asks to go down to 20 MiB; floor 60 stops at 70 (c would leave 40 < 60).
    assertThat(removed(FOUR_LAYERS, 1000, PrunePolicy.unusedLayers()
        .withMaxUsedSpace(20 * MIB).withReservedSpace(60 * MIB)))
        .containsExactly("a", "b");
  }

  @Test
  void minFreeSpaceRemovesUntilEnoughIsFree() {
    // 5 MiB free, want 35: a frees 10 (15), b 20 (35), stop.
    assertThat(removed(FOUR_LAYERS, 5, PrunePolicy.unusedLayers().withMinFreeSpace(35 * MIB)))
        .containsExactly("a", "b");
  }

  @Test
  void bothCapsMustHoldBeforeStopping() {
    // Cap 95 holds after a; free 5 + 10 = 15 < 50, so b (35) and c (65) go too.
    assertThat(removed(FOUR_LAYERS, 5, PrunePolicy.unusedLayers()
        .withMaxUsedSpace(95 * MIB).withMinFreeSpace(50 * MIB)))
        .containsExactly("a", "b", "c");
  }

  @Test
  void keepDurationHoldsEvenWhenTheCapIsNotMet() {
    assertThat(removed(FOUR_LAYERS, 1000, PrunePolicy.unusedLayers()
        .withMaxUsedSpace(0).withKeepDuration(Duration.ofHours(24))))
        .containsExactly("a", "b");
  }

  @Test
  void fewerUsesGoFirstAmongEquallyOldRecords() {
    List<UsageRecord> records = List.of(
        record("often", RecordType.LAYER, 10, 9, blob("often", 10)),
        record("once", RecordType.LAYER, 10, 1, blob("once", 10)),
        record("never", RecordType.LAYER, 10, 0, blob("never", 10)));
    assertThat(removed(records, 1000, PrunePolicy.unusedLayers().withMaxUsedSpace(15 * MIB)))
        .containsExactly("never", "once");
  }

  @Test
  void recordsInUseAreNeverRemoved() {
    List<UsageRecord> records = List.of(inUse(layer("a", 100, 10)), layer("b", 50, 20),
        layer("c", 10, 30));
    assertThat(removed(records, 1000, PrunePolicy.unusedLayers().withAll(true)))
        .containsExactly("b", "c");
  }

  @Test
  void withoutAllOnlyLayersGoAndAllTakesEveryType() {
    List<UsageRecord> records = List.of(
        record("base", RecordType.SOURCE, 100, 0, blob("base", 50)),
        record("mount", RecordType.CACHE_MOUNT, 90, 3,
            new ContentItem.MountDirectory("k/0", 5 * MIB)),
        layer("step", 80, 10));
    assertThat(removed(records, 1000, PrunePolicy.unusedLayers())).containsExactly("step");
    assertThat(removed(records, 1000, PrunePolicy.unusedLayers().withAll(true)))
        .containsExactly("base", "mount", "step");
  }

  @Test
  void aTypeFilterSelectsThatTypeWithoutAll() {
    List<UsageRecord> records = List.of(
        record("mount", RecordType.CACHE_MOUNT, 90, 3,
            new ContentItem.MountDirectory("k/0", 5 * MIB)),
        layer("step", 80, 10));
    assertThat(removed(records, 1000,
        PrunePolicy.unusedLayers().withFilter(RecordFilter.parse("type=cache-mount"))))
        .containsExactly("mount");
  }

  @Test
  void descriptionAndIdFiltersNarrowTheSelection() {
    List<UsageRecord> records = List.of(layer("abc1", 10, 1), layer("abd2", 10, 1),
        layer("xyz3", 10, 1));
    assertThat(removed(records, 1000,
        PrunePolicy.unusedLayers().withFilter(RecordFilter.parse("id=ab"))))
        .containsExactly("abc1", "abd2");
    assertThat(removed(records, 1000,
        PrunePolicy.unusedLayers().withFilter(RecordFilter.parse("description=step x"))))
        .containsExactly("xyz3");
  }

  @Test
  void sharedContentIsFreedOnlyWithItsLastRecord() {
    // base layer (60) shared by both; each adds its own top layer (10, 20). Used: 90 MiB.
    ContentItem base = blob("base", 60);
    List<UsageRecord> records = List.of(
        record("old", RecordType.LAYER, 100, 0, base, blob("old-top", 10)),
        record("new", RecordType.LAYER, 50, 0, base, blob("new-top", 20)));
    // Cap 75: removing old frees only 10 (-> 80), so new goes too (-> 0).
    PrunePlan plan = PrunePlanner.plan(new DiskUsage(records, 0, 0),
        List.of(PrunePolicy.unusedLayers().withMaxUsedSpace(75 * MIB)), NOW, 0);
    assertThat(plan.records()).extracting(UsageRecord::id).containsExactly("old", "new");
    assertThat(plan.freedBytes()).isEqualTo(90 * MIB);
  }

  @Test
  void policiesApplyInOrderToWhatIsLeft() {
    List<UsageRecord> records = new ArrayList<>(FOUR_LAYERS);
    records.add(record("img", RecordType.SOURCE, 200, 0, blob("img", 100)));
    // 1: layers older than 24h (a, b). 2: anything, cap 100 MiB: 200 - 30 = 170 -> img (70).
    assertThat(removed(records, 1000,
        PrunePolicy.unusedLayers().withKeepDuration(Duration.ofHours(24)),
        PrunePolicy.unusedLayers().withAll(true).withMaxUsedSpace(100 * MIB)))
        .containsExactly("a", "b", "img");
  }

  @Test
  void defaultGcPoliciesKeepRecentWorkUnderTheCap() {
    List<UsageRecord> records = List.of(layer("month-old", 24 * 31, 10), layer("week-old",
        24 * 7, 10), record("base", RecordType.SOURCE, 24 * 40, 0, blob("base", 10)));
    // Under 20 GiB: only the 30-day layer rule acts; the base image stays.
    assertThat(removed(new DiskUsage(records, 0, 0), 1000,
        GcSettings.defaultPolicies().toArray(PrunePolicy[]::new)))
        .containsExactly("month-old");
  }

  @Test
  void rejectsNegativeSizesAndUnknownFilters() {
    assertThatThrownBy(() -> PrunePolicy.unusedLayers().withMaxUsedSpace(-1))
        .hasMessageContaining("max-used-space must not be negative");
    assertThatThrownBy(() -> RecordFilter.parse("color=red"))
        .hasMessageContaining("unknown key \"color\"");
    assertThatThrownBy(() -> RecordFilter.parse("type=volume"))
        .hasMessageContaining("unknown record type \"volume\"");
    assertThatThrownBy(() -> RecordFilter.parse("type"))
        .hasMessageContaining("invalid filter \"type\"");
  }
}
