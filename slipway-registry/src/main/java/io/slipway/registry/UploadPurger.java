package io.slipway.registry;

import io.slipway.registry.meta.UploadSession;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes upload sessions nobody wrote to for longer than the configured age, with their partial
 * data. The store skips ingests a writer holds right now, so a slow but live upload survives.
 * Safe to run from any thread, and concurrently with uploads.
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
  public int purge() throws IOException {
    Duration age = registry.config().uploadMaxIdle();
    List<String> purged = registry.blobs().purgeIngests(age);
    int removed = 0;
    for (String id : purged) {
      if (registry.metadata().deleteUpload(id)) {
        removed++;
        LOG.info("purged upload {}: idle for more than {}", id, age);
      }
    }
    // Sessions whose data vanished some other way (store recovery, an operator) go too.
    for (UploadSession session : registry.metadata().uploadsIdleSince(Instant.now().minus(age))) {
      if (registry.blobs().ingest(session.id()).isEmpty()
          && registry.metadata().deleteUpload(session.id())) {
        removed++;
        LOG.info("forgot upload {} to {}: its data is gone", session.id(), session.repository());
      }
    }
    return removed;
  }

  @Override
  public void run() {
    try {
      purge();
    } catch (IOException | RuntimeException e) {
      LOG.warn("upload purge failed: {}", e.toString());
    }
  }
}
