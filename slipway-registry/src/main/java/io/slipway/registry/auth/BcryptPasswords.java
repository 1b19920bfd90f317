package io.slipway.registry.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * bcrypt hashing and verification for htpasswd entries, through {@code at.favre.lib:bcrypt}.
 * Hashes are written as {@code $2y$} like {@code htpasswd -B}; {@code $2a$}, {@code $2b$} and
 * {@code $2y$} are verified. Stateless, so safe for concurrent use.
 */
public final class BcryptPasswords {
  /** The cost {@code htpasswd -B} and distribution's docs use. */
  public static final int DEFAULT_COST = 10;

  /** bcrypt reads at most this many bytes of a password. */
  public static final int MAX_PASSWORD_BYTES = 72;

  private static final BCrypt.Hasher HASHER = BCrypt.with(BCrypt.Version.VERSION_2Y);

  // Verification truncates at 72 bytes as Apache's htpasswd and OpenBSD do, so a hash made
  // elsewhere from a longer password still verifies.
  private static final BCrypt.Verifyer VERIFIER =
      BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

  private BcryptPasswords() {}

  /**
   * Hashes a password with a fresh salt.
   *
   * @throws IllegalArgumentException when the password is empty or longer than 72 bytes in UTF-8,
   *     which bcrypt would silently cut
   */
  public static String hash(char[] password, int cost) {
    byte[] bytes = utf8(password);
    try {
      if (bytes.length == 0) {
        throw new IllegalArgumentException("the password is empty");
      }
      if (bytes.length > MAX_PASSWORD_BYTES) {
        throw new IllegalArgumentException(
            "the password is " + bytes.length + " bytes in UTF-8; bcrypt reads at most "
                + MAX_PASSWORD_BYTES);
      }
      return new String(HASHER.hash(cost, bytes), StandardCharsets.US_ASCII);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** True when {@code hash} looks like a bcrypt hash this class can verify. */
  public static boolean isBcrypt(String hash) {
    return hash.length() == 60
        && (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$"))
        && Character.isDigit(hash.charAt(4))
        && Character.isDigit(hash.charAt(5))
        && hash.charAt(6) == '$';
  }

  /** True when {@code password} matches {@code hash}; false also for a malformed hash. */
  public static boolean verify(char[] password, String hash) {
    if (!isBcrypt(hash)) {
      return false;
    }
    byte[] bytes = utf8(password);
    try {
      return VERIFIER.verify(bytes, hash.getBytes(StandardCharsets.US_ASCII)).verified;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] utf8(char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return bytes;
  }
}
