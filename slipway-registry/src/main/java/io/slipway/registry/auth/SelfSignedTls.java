package io.slipway.registry.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code --tls-self-signed}: a throw-away certificate authority and a server certificate it signs
 * for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, written as PEM files the registry
 * serves HTTPS from and a client can trust ({@code ca.pem}: {@code skopeo --cert-dir}, {@code
 * curl --cacert}, a JDK trust store). The JDK has no public API to build certificates, so this
 * uses BouncyCastle's bcpkix for that one job; keys are the JDK's. Stateless, so safe for
 * concurrent use.
 *
 * @param caCertificate the CA certificate to give clients
 * @param certificate the server certificate chain (server, then CA)
 * @param key the server's PKCS#8 private key (mode 0600)
 */
public record SelfSignedTls(Path caCertificate, Path certificate, Path key) {

  /** The certificates are valid this long from generation. */
  public static final Duration VALIDITY = Duration.ofDays(365);

  /**
   * Generates a CA and a server certificate into {@code directory} ({@code ca.pem}, {@code
   * server.pem}, {@code server-key.pem}), replacing files of those names.
   *
   * @throws IOException when the files cannot be written
   */
  public static SelfSignedTls generate(Path directory) throws IOException {
    try {
      KeyPair caKeys = ecKeys();
      KeyPair serverKeys = ecKeys();
      Instant now = Instant.now();
      X500Principal caName = new X500Principal("CN=Slipway local CA " + now.getEpochSecond());
      X509Certificate ca =
          sign(
              new JcaX509v3CertificateBuilder(caName, serial(), notBefore(now), notAfter(now), caName,
                      caKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                  .addExtension(Extension.keyUsage, true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                  .addExtension(Extension.subjectKeyIdentifier, false,
                      new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic())),
              caKeys);
      GeneralNames names =
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")
              });
      X509Certificate server =
          sign(
              new JcaX509v3CertificateBuilder(ca, serial(), notBefore(now), notAfter(now),
                      new X500Principal("CN=localhost"), serverKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                  .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                  .addExtension(Extension.extendedKeyUsage, false,
                      new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                  .addExtension(Extension.subjectAlternativeName, false, names)
                  .addExtension(Extension.authorityKeyIdentifier, false,
                      new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca)),
              caKeys);
      Files.createDirectories(directory);
      SelfSignedTls files =
          new SelfSignedTls(directory.resolve("ca.pem"), directory.resolve("server.pem"),
              directory.resolve("server-key.pem"));
      write(files.caCertificate(), pem("CERTIFICATE", ca.getEncoded()), "rw-r--r--");
      write(files.certificate(),
          pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()), "rw-r--r--");
      write(files.key(), pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()), "rw-------");
      return files;
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IOException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }

  private static Date notBefore(Instant now) {
    // An hour back, so a client whose clock runs a little behind still accepts it.
    return Date.from(now.minus(Duration.ofHours(1)));
  }

  private static Date notAfter(Instant now) {
    return Date.from(now.plus(VALIDITY));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** Writes through a synced temporary file renamed into place, with the given mode. */
  private static void write(Path file, String text, String mode) throws IOException {
    Path temp =
        Files.createTempFile(file.toAbsolutePath().getParent(), ".tls", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The files, for logs. */
  public List<Path> files() {
    return List.of(caCertificate, certificate, key);
  }
}
