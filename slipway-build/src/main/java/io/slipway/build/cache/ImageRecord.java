package io.slipway.build.cache;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An image the builder keeps a record of ({@link BuildImages}): one a build produced, or a base
 * image a build resolved. {@code blobs} are its metadata blobs (the index a base was chosen from,
 * the manifest, the config); its layers belong to cache records. Immutable.
 *
 * @param root the digest of the image's root: its manifest, or the index a base was resolved from
 * @param description what it is, e.g. {@code built image} or {@code base docker.io/library/alpine}
 * @param useCount how many later builds produced or resolved it again (0: recorded once)
 */
public record ImageRecord(Digest root, Role role, String description, Instant created,
    Instant lastUsed, long useCount, List<Descriptor> blobs) {

  /** Why the builder keeps the image. */
  public enum Role {
    /** An image a build produced. */
    BUILT("built"),
    /** A base image a build resolved ({@code FROM}, {@code COPY --from} of an image). */
    BASE("base");

    private final String column;

    Role(String column) {
      this.column = column;
    }

    /** The value stored in {@code build_images.role}. */
    public String column() {
      return column;
    }

    static Role of(String column) {
      for (Role role : values()) {
        if (role.column.equals(column)) {
          return role;
        }
      }
      throw new IllegalArgumentException("unknown image role \"" + column + "\"");
    }
  }

  public ImageRecord {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(lastUsed, "lastUsed");
    blobs = List.copyOf(blobs);
  }

  /** The key a build's lease holds this record under in {@code build_lease_records}. */
  public static String leaseKey(Digest root) {
    return "image:" + root;
  }
}
