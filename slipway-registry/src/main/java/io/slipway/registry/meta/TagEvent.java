package io.slipway.registry.meta;

import io.slipway.oci.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded change of a tag: created, moved to another manifest, or deleted. Immutable.
 *
 * @param id ascending sequence number, in commit order
 * @param repository the repository
 * @param tag the tag
 * @param at when the change committed
 * @param actor the authenticated user, or {@value RegistryMetadata#ANONYMOUS}
 * @param oldDigest what the tag pointed at before, null for a create
 * @param newDigest what it points at after, null for a delete
 */
public record TagEvent(
    long id, String repository, String tag, Instant at, String actor, Digest oldDigest, Digest newDigest) {

  /** The three things that happen to a tag. */
  public enum Kind {
    CREATE,
    MOVE,
    DELETE
  }

  public TagEvent {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    if (oldDigest == null && newDigest == null) {
      throw new IllegalArgumentException("a tag event needs an old or a new digest");
    }
  }

  /** Create when there was no old digest, delete when there is no new one, move otherwise. */
  public Kind kind() {
    return oldDigest == null ? Kind.CREATE : newDigest == null ? Kind.DELETE : Kind.MOVE;
  }
}
