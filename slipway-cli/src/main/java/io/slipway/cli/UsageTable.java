package io.slipway.cli;

import io.slipway.build.prune.ByteSize;
import io.slipway.build.prune.ContentItem;
import io.slipway.build.prune.DiskUsage;
import io.slipway.build.prune.UsageRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Prints builder cache records for {@code slipway du} and {@code slipway prune}: one line each,
 * or with {@code verbose} one block each with every field. Stateless.
 */
final class UsageTable {

  private static final String ROW = "%-13s %-11s %10s %10s %10s %5s  %s%n";

  private UsageTable() {}

  /** The first 12 characters of a record id, with {@code *} when a running build uses it. */
  static String shortId(UsageRecord record) {
    String id = record.id().length() > 12 ? record.id().substring(0, 12) : record.id();
    return id + (record.inUse() ? "*" : "");
  }

  static void header(PrintWriter out) {
    out.printf(ROW, "ID", "TYPE", "SIZE", "SHARED", "LAST USED", "USES", "DESCRIPTION");
  }

  static void row(PrintWriter out, DiskUsage usage, UsageRecord record, Instant now) {
    long own = usage.privateBytes(record);
    out.printf(ROW, shortId(record), record.type().label(), ByteSize.format(own),
        ByteSize.format(record.size() - own), ago(record.lastUsed(), now), record.useCount(),
        record.description());
  }

  static void block(PrintWriter out, DiskUsage usage, UsageRecord record, Instant now) {
    long own = usage.privateBytes(record);
    List<ContentItem> items = record.items();
    out.println("ID:          " + record.id());
    out.println("Type:        " + record.type().label());
    out.println("Description: " + record.description());
    out.println("Created:     " + record.created());
    out.println("Last used:   " + record.lastUsed() + " (" + ago(record.lastUsed(), now) + ")");
    out.println("Uses:        " + record.useCount());
    out.println("In use:      " + record.inUse());
    out.println("Size:        " + ByteSize.format(own) + " private, "
        + ByteSize.format(record.size() - own) + " shared");
    out.println("Content:     "
        + items.stream().filter(i -> i instanceof ContentItem.Blob).count() + " blobs, "
        + items.stream().filter(i -> i instanceof ContentItem.Tree).count() + " snapshot trees, "
        + items.stream().filter(i -> i instanceof ContentItem.MountDirectory).count()
        + " cache directories");
    out.println();
  }

  /** {@code then} relative to {@code now}: {@code just now}, {@code 5m ago}, {@code 3d ago}. */
  static String ago(Instant then, Instant now) {
    Duration age = Duration.between(then, now);
    if (age.toMinutes() < 1) {
      return "just now";
    }
    if (age.toHours() < 1) {
      return age.toMinutes() + "m ago";
    }
    if (age.toDays() < 1) {
      return age.toHours() + "h ago";
    }
    return age.toDays() + "d ago";
  }
}
