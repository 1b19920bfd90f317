package io.slipway.client;

import io.slipway.oci.DigestAlgorithm;
import java.security.MessageDigest;
import java.util.TreeMap;

/**
 * Copies of a blob's running hash at offsets along it, so a copy that broke can resume from
 * wherever the destination says it stopped and still verify the digest over the whole blob:
 * the source is re-read from the nearest checkpoint at or before that point, never from zero.
 * One is taken every {@link #INTERVAL} bytes (a hash state is a few hundred bytes, so a 1 GiB
 * blob costs about 30 KiB). Safe for concurrent use: the HTTP client's sending thread adds
 * checkpoints while the copying thread may read them after a failure.
 */
final class HashCheckpoints {
  /** Bytes between checkpoints: the most a resume re-reads from the source without sending. */
  static final long INTERVAL = 4L << 20;

  private final TreeMap<Long, MessageDigest> states = new TreeMap<>();
  private long last;

  private HashCheckpoints(MessageDigest empty) {
    states.put(0L, empty);
  }

  /** Checkpoints holding only the empty hash at offset 0. */
  static HashCheckpoints start(DigestAlgorithm algorithm) {
    return new HashCheckpoints(algorithm.newHasher());
  }

  /** Records {@code hasher} (the hash of bytes before {@code offset}) if a checkpoint is due. */
  synchronized void offer(long offset, MessageDigest hasher) {
    if (offset - last >= INTERVAL) {
      states.put(offset, copy(hasher));
      last = offset;
    }
  }

  /** The furthest checkpoint at or before {@code offset}. */
  synchronized long floor(long offset) {
    return states.floorKey(offset);
  }

  /** A hasher continuing from the checkpoint at exactly {@code offset}. */
  synchronized MessageDigest hasherAt(long offset) {
    MessageDigest state = states.get(offset);
    if (state == null) {
      throw new IllegalArgumentException("no hash checkpoint at byte " + offset);
    }
    return copy(state);
  }

  private static MessageDigest copy(MessageDigest hasher) {
    try {
      return (MessageDigest) hasher.clone();
    } catch (CloneNotSupportedException e) {
      // The JDK's SHA-2 implementations are all cloneable.
      throw new IllegalStateException(hasher.getAlgorithm() + " hash state cannot be copied", e);
    }
  }

  @Override
  public synchronized String toString() {
    return "HashCheckpoints" + states.keySet();
  }
}
