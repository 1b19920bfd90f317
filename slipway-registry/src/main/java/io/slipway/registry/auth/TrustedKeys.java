package io.slipway.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The public keys whose tokens the registry accepts: its own signing key, and keys of an external
 * token issuer from a JWKS file or a PEM file (public key or certificate). Keys without a {@code
 * kid} get their RFC 7638 thumbprint as id, so a token from them must carry that {@code kid}; a
 * PEM key can also be matched by a token without {@code kid}. Immutable, so safe for concurrent
 * use.
 */
public final class TrustedKeys {
  private final List<JWK> keys;

  private TrustedKeys(List<JWK> keys) {
    this.keys = keys;
  }

  /** Trusts exactly {@code keys} (public halves are kept, private parts dropped). */
  public static TrustedKeys of(List<JWK> keys) {
    List<JWK> publicKeys = new ArrayList<>();
    for (JWK key : keys) {
      publicKeys.add(key.toPublicJWK());
    }
    return new TrustedKeys(List.copyOf(publicKeys));
  }

  /** Trusts the token service's own key only. */
  public static TrustedKeys of(SigningKey own) {
    return of(List.of(own.publicJwk()));
  }

  /**
   * Reads the keys of a JWKS file ({@code {"keys":[...]}}).
   *
   * @throws IOException naming the file when it is not a JWK set
   */
  public static List<JWK> readJwks(Path file) throws IOException {
    try {
      List<JWK> keys = JWKSet.load(file.toFile()).getKeys();
      if (keys.isEmpty()) {
        throw new IOException(file + ": the JWK set holds no keys");
      }
      return List.copyOf(keys);
    } catch (ParseException e) {
      throw new IOException(file + ": not a JWK set: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a public key or certificate from a PEM file ({@code BEGIN PUBLIC KEY} or {@code BEGIN
   * CERTIFICATE}, EC or RSA).
   *
   * @throws IOException naming the file when it holds neither
   */
  public static JWK readPem(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      JWK key =
          text.contains("BEGIN CERTIFICATE")
              ? JWK.parseFromPEMEncodedX509Cert(text)
              : JWK.parseFromPEMEncodedObjects(text);
      return key.getKeyID() != null ? key.toPublicJWK() : withThumbprint(key.toPublicJWK());
    } catch (JOSEException | RuntimeException e) {
      throw new IOException(file + ": not a PEM public key or certificate: " + e.getMessage(), e);
    }
  }

  private static JWK withThumbprint(JWK key) throws JOSEException {
    String kid = key.computeThumbprint().toString();
    return switch (key) {
      case com.nimbusds.jose.jwk.ECKey ec -> new com.nimbusds.jose.jwk.ECKey.Builder(ec).keyID(kid).build();
      case com.nimbusds.jose.jwk.RSAKey rsa ->
          new com.nimbusds.jose.jwk.RSAKey.Builder(rsa).keyID(kid).build();
      default -> throw new JOSEException("only EC and RSA keys can verify tokens");
    };
  }

  /** This set plus {@code more}. */
  public TrustedKeys with(List<JWK> more) {
    List<JWK> all = new ArrayList<>(keys);
    for (JWK key : more) {
      all.add(key.toPublicJWK());
    }
    return new TrustedKeys(List.copyOf(all));
  }

  /** The keys a token with {@code kid} may be verified with; all keys when {@code kid} is null. */
  public List<JWK> candidates(String kid) {
    if (kid == null) {
      return keys;
    }
    List<JWK> matching = new ArrayList<>();
    for (JWK key : keys) {
      if (kid.equals(key.getKeyID())) {
        matching.add(key);
      }
    }
    return matching;
  }

  /** Every trusted key, for publishing as JWKS. */
  public List<JWK> all() {
    return keys;
  }
}
