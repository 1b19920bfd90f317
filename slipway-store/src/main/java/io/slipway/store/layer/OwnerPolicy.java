package io.slipway.store.layer;

/**
 * Which numeric owner a layer records for the files of a tree. {@link Keep} takes the owner from
 * the filesystem (right for an overlay upper dir written as root); {@link Fixed} gives every entry
 * one owner, as {@code COPY} does (root by default, or its {@code --chown}), so a layer made by an
 * unprivileged builder does not record the builder's own uid. Immutable.
 */
public sealed interface OwnerPolicy {

  /** The attributes to record, given those read from the filesystem. */
  EntryAttributes apply(EntryAttributes source);

  static OwnerPolicy keep() {
    return new Keep();
  }

  static OwnerPolicy fixed(long uid, long gid) {
    return new Fixed(uid, gid);
  }

  /** Owners as on disk. */
  record Keep() implements OwnerPolicy {
    @Override
    public EntryAttributes apply(EntryAttributes source) {
      return source;
    }
  }

  /** Every entry owned by {@code uid:gid}, with no owner names. */
  record Fixed(long uid, long gid) implements OwnerPolicy {
    public Fixed {
      if (uid < 0 || gid < 0) {
        throw new IllegalArgumentException("negative uid or gid: " + uid + ":" + gid);
      }
    }

    @Override
    public EntryAttributes apply(EntryAttributes source) {
      return source.withOwner(uid, gid).withNames("", "");
    }
  }
}
