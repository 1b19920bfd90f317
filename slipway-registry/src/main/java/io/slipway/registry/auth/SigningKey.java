package io.slipway.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The P-256 key the token service signs ES256 tokens with, and its {@code kid} (the RFC 7638
 * thumbprint of the public key, so the same key always gets the same id). Generated on first start
 * and kept in a PEM file of mode 0600, or loaded from a PEM file an operator made ({@code openssl
 * ecparam -name prime256v1 -genkey}, PKCS#8 or SEC1). Immutable, so safe for concurrent use.
 */
public final class SigningKey {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKey.class);

  private final ECKey key;

  private SigningKey(ECKey key) {
    this.key = key;
  }

  /** A fresh key that lives only in memory (tests, and the self-check of a new file). */
  public static SigningKey generate() {
    try {
      return new SigningKey(new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
    }
  }

  /**
   * Loads the key from {@code pem}, or generates one and writes it there when the file does not
   * exist. The file is created with mode 0600 and synced before use, so a restart signs with the
   * same key and tokens issued before it stay valid.
   *
   * @throws IOException when the file cannot be read or written, or holds no P-256 private key
   */
  public static SigningKey loadOrCreate(Path pem) throws IOException {
    if (Files.exists(pem)) {
      return load(pem);
    }
    SigningKey created = generate();
    Files.createDirectories(pem.toAbsolutePath().getParent());
    try (FileChannel channel =
        FileChannel.open(
            pem,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      channel.write(ByteBuffer.wrap(created.toPem().getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    } catch (FileAlreadyExistsException e) {
      // Another process created it first: use theirs, so both sign with the same key.
      return load(pem);
    }
    try (FileChannel directory =
        FileChannel.open(pem.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    }
    LOG.info("generated token signing key {} in {}", created.keyId(), pem);
    return created;
  }

  /**
   * Loads a P-256 private key from a PEM file.
   *
   * @throws IOException naming the file when it holds no P-256 private key
   */
  public static SigningKey load(Path pem) throws IOException {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(pem);
      if (permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn("{} is readable by others than its owner; chmod 600 it", pem);
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    }
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    JWK jwk;
    try {
      jwk = JWK.parseFromPEMEncodedObjects(text);
    } catch (JOSEException | RuntimeException e) {
      throw new IOException(pem + ": not a PEM private key: " + e.getMessage(), e);
    }
    if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate()) {
      throw new IOException(
          pem + ": the token signing key must be a P-256 (prime256v1) EC private key for ES256;"
              + " make one with `openssl ecparam -name prime256v1 -genkey -noout`");
    }
    try {
      return new SigningKey(new ECKey.Builder(ec).keyIDFromThumbprint().build());
    } catch (JOSEException e) {
      throw new IOException(pem + ": cannot compute the key id: " + e.getMessage(), e);
    }
  }

  /** The key id put in the {@code kid} header of every token. */
  public String keyId() {
    return key.getKeyID();
  }

  /** The private key with its public half, for signing. */
  public ECKey privateJwk() {
    return key;
  }

  /** The public half, for verifying and for publishing as JWKS. */
  public ECKey publicJwk() {
    return key.toPublicJWK();
  }

  /** PKCS#8 private key and X.509 public key, PEM encoded. */
  public String toPem() {
    try {
      return pem("PRIVATE KEY", key.toECPrivateKey().getEncoded())
          + pem("PUBLIC KEY", key.toECPublicKey().getEncoded());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot encode the signing key", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
