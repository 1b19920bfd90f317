package io.slipway.client;

import io.slipway.oci.Digest;
import java.time.Instant;

/**
 * One event of a tag's history as a Slipway registry reports it. Immutable.
 *
 * @param id the registry's event id, ascending
 * @param time when the change committed
 * @param user who made it, or {@code anonymous}
 * @param action {@code create}, {@code move} or {@code delete}
 * @param from the digest before, null for a create
 * @param to the digest after, null for a delete
 */
public record TagChange(long id, Instant time, String user, String action, Digest from, Digest to) {}
