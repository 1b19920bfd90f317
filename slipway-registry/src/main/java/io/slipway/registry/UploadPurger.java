package io.slipway.registry;

import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.blob.IngestNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes upload sessions nobody wrote to for longer than the configured age, with their partial
 * data. Skips sessions a request is writing right now. Safe to run from any thread, and
 * concurrently with uploads.
 */
public final class UploadPurger implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(UploadPurger.class);

  private final Registry registry;

  public UploadPurger(Registry registry) {
    this.registry = registry;
  }

  /** How often to run: a quarter of the maximum age, between 1 second and 1 hour. */
  public Duration interval() {
    Duration quarter = registry.config().uploadMaxIdle().dividedBy(4);
    if (quarter.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return quarter.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : quarter;
  }

  /** Purges now; returns how many sessions were removed. */
  public int purge() {
    Instant cutoff = Instant.now().minus(registry.config().uploadMaxIdle());
    int purged = 0;
    for (UploadSession session : registry.metadata().uploadsIdleSince(cutoff)) {
      if (!registry.claimUpload(session.id())) {
        continue;
      }
      try {
        registry.closeParkedWriter(session.id());
        try {
          BlobWriter writer = registry.blobs().resumeWriter(session.id());
          writer.abort();
        } catch (IngestNotFoundException e) {
          // Already gone (for example cleaned by the store at startup): only the record is left.
        }
        registry.metadata().deleteUpload(session.id());
        purged++;
        LOG.info(
            "purged upload {} to {} idle since {}", session.id(), session.repository(),
            session.updatedAt());
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot purge upload {}: {}", session.id(), e.toString());
      } finally {
        registry.releaseUpload(session.id());
      }
    }
    return purged;
  }

  @Override
  public void run() {
    try {
      purge();
    } catch (RuntimeException e) {
      LOG.warn("upload purge failed: {}", e.toString());
    }
  }
}
