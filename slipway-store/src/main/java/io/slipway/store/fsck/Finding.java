package io.slipway.store.fsck;

import io.slipway.oci.Digest;
import java.nio.file.Path;

/** One thing fsck found wrong, and whether it was repaired. Immutable. */
public sealed interface Finding {

  /** True once {@code --repair} fixed it. */
  boolean repaired();

  /** A one-line description naming the digest, path or record at fault. */
  String describe();

  /** The metadata database failed SQLite's integrity check. Never repaired in place. */
  record DatabaseCorrupt(Path file, String detail) implements Finding {
    @Override
    public boolean repaired() {
      return false;
    }

    @Override
    public String describe() {
      return "database " + file + " fails integrity_check: " + detail
          + "; restart the server to set it aside and rebuild it from the content store";
    }
  }

  /** A blob whose bytes do not hash to its name. Repair deletes it so it can be pushed again. */
  record CorruptBlob(Digest digest, Path path, String detail, boolean repaired)
      implements Finding {
    @Override
    public String describe() {
      return "blob " + digest + " at " + path + " is corrupt (" + detail + ")"
          + (repaired ? "; deleted" : "");
    }
  }

  /** A blob no record references. Repair deletes it. */
  record OrphanBlob(Digest digest, long size, boolean repaired) implements Finding {
    @Override
    public String describe() {
      return "blob " + digest + " (" + size + " bytes) is referenced by nothing"
          + (repaired ? "; deleted" : "");
    }
  }

  /** A record pointing at missing content. */
  record Broken(BrokenRecord record, boolean repaired) implements Finding {
    @Override
    public String describe() {
      return record + (repaired ? "; removed" : record.repairable() ? "" : "; left for a human");
    }
  }
}
