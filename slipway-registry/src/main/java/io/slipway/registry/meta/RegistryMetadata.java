package io.slipway.registry.meta;

import io.slipway.oci.Digest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The registry's metadata store. Every method is one transaction, durable when it returns, and
 * visible to every later call (read-your-writes). Implementations are safe for concurrent use and
 * throw {@link MetadataException} when the database fails.
 */
public interface RegistryMetadata extends AutoCloseable {

  /** The actor recorded in tag history for requests without an authenticated user. */
  String ANONYMOUS = "anonymous";

  /** Makes a stored blob visible in {@code repository}, creating the repository if needed. */
  void linkBlob(String repository, Digest digest, long size);

  /** The size of the blob if it is visible in {@code repository}. */
  Optional<Long> linkedBlobSize(String repository, Digest digest);

  /** Any repository the blob is visible in (for a mount without {@code from}). */
  Optional<String> repositoryLinking(Digest digest);

  /** Hides the blob from {@code repository}; false when it was not visible there. */
  boolean unlinkBlob(String repository, Digest digest);

  /**
   * Records a manifest and points {@code tags} at it, provided every reference is present in the
   * repository. Returns the first missing reference, in which case nothing was written.
   */
  default Optional<ManifestReference> putManifest(
      String repository,
      ManifestEntry manifest,
      List<ManifestReference> references,
      Collection<String> tags) {
    return putManifest(repository, manifest, references, tags, ANONYMOUS);
  }

  /**
   * As {@link #putManifest(String, ManifestEntry, List, Collection)}, recording in the tag
   * history, in the same transaction, each tag created or moved, by {@code actor}.
   */
  Optional<ManifestReference> putManifest(
      String repository,
      ManifestEntry manifest,
      List<ManifestReference> references,
      Collection<String> tags,
      String actor);

  /** The manifest with this digest in {@code repository}. */
  Optional<ManifestEntry> manifest(String repository, Digest digest);

  /** The manifest {@code tag} points at in {@code repository}. */
  Optional<ManifestEntry> taggedManifest(String repository, String tag);

  /** Deletes the manifest and every tag pointing at it; false when it was not there. */
  default boolean deleteManifest(String repository, Digest digest) {
    return deleteManifest(repository, digest, ANONYMOUS);
  }

  /** As {@link #deleteManifest(String, Digest)}, recording each tag deleted, by {@code actor}. */
  boolean deleteManifest(String repository, Digest digest, String actor);

  /** Removes the tag, keeping the manifest; false when there was no such tag. */
  default boolean deleteTag(String repository, String tag) {
    return deleteTag(repository, tag, ANONYMOUS);
  }

  /** As {@link #deleteTag(String, String)}, recording the delete, by {@code actor}. */
  boolean deleteTag(String repository, String tag, String actor);

  /**
   * Up to {@code limit} recorded changes of {@code tag} with an id above {@code afterId} (0 for
   * the start), oldest first. A tag that was deleted keeps its history.
   */
  List<TagEvent> tagHistory(String repository, String tag, long afterId, int limit);

  /** True once anything was pushed to the repository. */
  boolean repositoryExists(String repository);

  /** Up to {@code limit} tags after {@code last} (exclusive, null for the start), in lexical order. */
  List<String> tags(String repository, String last, int limit);

  /** Up to {@code limit} repository names after {@code last}, in lexical order. */
  List<String> repositories(String last, int limit);

  /**
   * Manifests in {@code repository} whose subject is {@code subject}, ordered by digest, after
   * {@code last} (null for the start), filtered by artifact type when {@code artifactType} is not
   * null.
   */
  List<ManifestEntry> referrers(
      String repository, Digest subject, String artifactType, Digest last, int limit);

  /** Records a new upload session. */
  void createUpload(UploadSession session);

  /** The upload session with this id. */
  Optional<UploadSession> upload(String id);

  /** Marks the session as written to at {@code when}. */
  void touchUpload(String id, Instant when);

  /** Forgets the session; false when it was not there. */
  boolean deleteUpload(String id);

  /** Sessions not written to since {@code cutoff}: the abandoned ones. */
  List<UploadSession> uploadsIdleSince(Instant cutoff);

  /** Checks that the database answers, for the health endpoint. */
  void ping();

  @Override
  void close();
}
