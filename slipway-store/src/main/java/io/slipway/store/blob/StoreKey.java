package io.slipway.store.blob;

import io.slipway.oci.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A content store's own secret: 32 random bytes in {@code store-key} at the store's root, readable
 * by the store's owner only. Whoever holds it can read every blob of the store from disk anyway,
 * so presenting it (as an HMAC, never the bytes) proves a caller shares the store. The builder and
 * a Slipway registry on one root use it so that pushing a built image links blobs instead of
 * sending them (see {@code docs/architecture.md}, "Pushing to a registry that shares the store").
 * The public {@link #fingerprint} lets the two sides recognise each other without revealing the
 * key. Immutable; safe for concurrent use.
 */
public final class StoreKey {

  /** Response header of an upload start naming the registry store's {@link #fingerprint}. */
  public static final String FINGERPRINT_HEADER = "Slipway-Store";

  /** Query parameter of an upload's closing PUT carrying {@link #signLink}'s proof. */
  public static final String PROOF_PARAMETER = "store-proof";

  /** The file at the store's root holding the key. */
  public static final String FILE_NAME = "store-key";

  private static final int LENGTH = 32;

  private final byte[] key;

  private StoreKey(byte[] key) {
    this.key = key.clone();
  }

  /**
   * The key of the store rooted at {@code root}, made on first use. Two processes making it at
   * once agree: the key is written to a private temporary file and linked into place, which fails
   * for the loser, who then reads the winner's.
   */
  static StoreKey openOrCreate(Path root) throws IOException {
    Path file = root.resolve(FILE_NAME);
    Optional<StoreKey> existing = read(file);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] bytes = new byte[LENGTH];
    new SecureRandom().nextBytes(bytes);
    Path temporary = Files.createTempFile(root, "." + FILE_NAME, ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(HexFormat.of().formatHex(bytes)
            .getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException e) {
        return read(file).orElseThrow(() -> new IOException(file + " is empty"));
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    return new StoreKey(bytes);
  }

  private static Optional<StoreKey> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      byte[] bytes = HexFormat.of().parseHex(text);
      if (bytes.length != LENGTH) {
        throw new IOException(file + " does not hold a " + LENGTH + "-byte hex key");
      }
      return Optional.of(new StoreKey(bytes));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " does not hold a hex key: " + e.getMessage(), e);
    }
  }

  /** A public name for this key (hex of its SHA-256, truncated): equal stores, equal names. */
  public String fingerprint() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
  }

  /**
   * The proof that the closer of upload {@code uploadId} holds this key and wants {@code digest}
   * linked: bound to the one upload session, so a logged proof cannot be replayed elsewhere.
   */
  public String signLink(String uploadId, Digest digest) {
    return sign("slipway-store-link\n" + uploadId + "\n" + digest);
  }

  /** Whether {@code proof} is {@link #signLink}'s answer, compared in constant time. */
  public boolean verifyLink(String uploadId, Digest digest, String proof) {
    byte[] expected = signLink(uploadId, digest).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, proof.getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK must provide HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "StoreKey[" + fingerprint() + "]";
  }
}
