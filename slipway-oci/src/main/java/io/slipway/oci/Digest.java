package io.slipway.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86…}: the identity of every blob and manifest.
 *
 * <p>Parsing follows the OCI image spec: {@code algorithm ":" encoded}, where the algorithm is
 * lowercase components joined by {@code + . _ -} and the encoded part is {@code [a-zA-Z0-9=_-]+}.
 * Of the grammatically valid algorithms only the registered {@code sha256} and {@code sha512} are
 * accepted, and their encoded part must be lowercase hex of the exact length. Immutable.
 */
public record Digest(DigestAlgorithm algorithm, String encoded) implements Comparable<Digest> {

  private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
  private static final Pattern ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");

  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length() != algorithm.encodedLength() || !isLowerHex(encoded)) {
      throw new InvalidDigestException(
          algorithm.ociName() + ":" + encoded,
          algorithm.ociName() + " needs " + algorithm.encodedLength() + " lowercase hex characters");
    }
  }

  /**
   * True when {@code text} is non-empty lowercase hex. A loop, not a regular expression: digests
   * are made by the tens of thousands when a build reads its remembered context digests.
   */
  private static boolean isLowerHex(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /** Parses a digest string, rejecting anything the OCI image spec does not allow. */
  @JsonCreator
  public static Digest parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidDigestException(String.valueOf(text), "empty");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new InvalidDigestException(text, "missing \":\" between algorithm and encoded part");
    }
    String algorithmName = text.substring(0, colon);
    String encoded = text.substring(colon + 1);
    // The common case first, without regular expressions: a registered algorithm's name is
    // grammatical, and lowercase hex of the right length is a valid encoded part. Anything else
    // takes the checks below, which name what is wrong. Builds parse hundreds of stored digests
    // each time they open a root.
    Optional<DigestAlgorithm> registered = DigestAlgorithm.byOciName(algorithmName);
    if (registered.isPresent() && encoded.length() == registered.get().encodedLength()
        && isLowerHex(encoded)) {
      return new Digest(registered.get(), encoded);
    }
    if (!ALGORITHM.matcher(algorithmName).matches()) {
      throw new InvalidDigestException(
          text, "algorithm \"" + algorithmName + "\" is not lowercase components joined by + . _ -");
    }
    if (encoded.isEmpty()) {
      throw new InvalidDigestException(text, "encoded part after \":\" is empty");
    }
    if (!ENCODED.matcher(encoded).matches()) {
      throw new InvalidDigestException(
          text, "encoded part may only hold letters, digits, \"=\", \"_\" and \"-\"");
    }
    DigestAlgorithm algorithm =
        DigestAlgorithm.byOciName(algorithmName)
            .orElseThrow(
                () ->
                    new InvalidDigestException(
                        text, "unsupported algorithm \"" + algorithmName + "\" (use sha256 or sha512)"));
    if (encoded.length() != algorithm.encodedLength()) {
      throw new InvalidDigestException(
          text,
          algorithmName + " needs " + algorithm.encodedLength() + " lowercase hex characters, got "
              + encoded.length() + " characters");
    }
    if (!isLowerHex(encoded)) {
      throw new InvalidDigestException(
          text, algorithmName + " needs lowercase hex characters (0-9, a-f), got others");
    }
    return new Digest(algorithm, encoded);
  }

  /** True when {@code text} parses as a supported digest. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (InvalidDigestException e) {
      return false;
    }
  }

  /** The digest of {@code bytes} under {@code algorithm}. */
  public static Digest of(DigestAlgorithm algorithm, byte[] bytes) {
    return fromHash(algorithm, algorithm.newHasher().digest(bytes));
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return of(DigestAlgorithm.SHA256, bytes);
  }

  /** Wraps a finished hash, as produced by {@link DigestAlgorithm#newHasher()}. */
  public static Digest fromHash(DigestAlgorithm algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  /** The canonical string form, {@code algorithm:encoded}. */
  @JsonValue
  @Override
  public String toString() {
    return algorithm.ociName() + ":" + encoded;
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }
}
