package io.slipway.registry.meta;

import java.time.Instant;

/**
 * An upload in progress: its id (also the blob store ingest id), the repository it pushes to and
 * when it started and was last written. Immutable.
 */
public record UploadSession(String id, String repository, Instant startedAt, Instant updatedAt) {}
