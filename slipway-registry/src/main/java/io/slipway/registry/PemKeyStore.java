package io.slipway.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an in-memory key store from the PEM files web servers use: a certificate chain and an
 * unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}, RSA or EC). Stateless.
 */
public final class PemKeyStore {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);

  private PemKeyStore() {}

  /** A PKCS#12 key store holding the key and chain under alias {@code registry}. */
  public static KeyStore load(Path certificate, Path key, char[] password) throws IOException {
    try {
      List<? extends Certificate> chain;
      try (InputStream in = Files.newInputStream(certificate)) {
        chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (chain.isEmpty()) {
        throw new IOException(certificate + " holds no PEM certificate");
      }
      String pem = Files.readString(key, StandardCharsets.US_ASCII);
      Matcher matcher = PRIVATE_KEY.matcher(pem);
      if (!matcher.find()) {
        throw new IOException(
            key + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
                + " `openssl pkcs8 -topk8 -nocrypt`");
      }
      byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
      PrivateKey privateKey = null;
      for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
        try {
          privateKey = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
          break;
        } catch (GeneralSecurityException e) {
          // Try the next algorithm: PKCS#8 does not say which one in a way KeyFactory reads.
        }
      }
      if (privateKey == null) {
        throw new IOException(key + " holds a key that is not RSA, EC or Ed25519");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("registry", privateKey, password, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load TLS certificate " + certificate + ": " + e.getMessage(), e);
    }
  }
}
