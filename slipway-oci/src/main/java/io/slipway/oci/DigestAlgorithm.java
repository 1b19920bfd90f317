package io.slipway.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The digest algorithms Slipway accepts: the two the OCI image spec registers. Immutable.
 */
public enum DigestAlgorithm {
  SHA256("sha256", "SHA-256", 64),
  SHA512("sha512", "SHA-512", 128);

  private final String ociName;
  private final String jcaName;
  private final int encodedLength;

  DigestAlgorithm(String ociName, String jcaName, int encodedLength) {
    this.ociName = ociName;
    this.jcaName = jcaName;
    this.encodedLength = encodedLength;
  }

  /** The name used in digest strings, such as {@code sha256}. */
  public String ociName() {
    return ociName;
  }

  /** Length of the lowercase hex encoding of a digest of this algorithm. */
  public int encodedLength() {
    return encodedLength;
  }

  /** A fresh hasher; {@link MessageDigest} is not thread-safe, so each caller gets its own. */
  public MessageDigest newHasher() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jcaName, e);
    }
  }

  /** Looks up an algorithm by its OCI name. */
  public static Optional<DigestAlgorithm> byOciName(String name) {
    for (DigestAlgorithm algorithm : values()) {
      if (algorithm.ociName.equals(name)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }
}
