package io.slipway.testing.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority made with {@code openssl} in a directory, for TLS tests: its CA
 * certificate is what clients are given to trust, and {@link #issue} signs server certificates
 * with the subject alternative names a test connects by. Keys are P-256, PKCS#8 PEM (what Jetty,
 * distribution and the JDK all read); everything is valid for two days.
 *
 * <p>Not safe for concurrent use: one test owns it.
 */
public final class TestCertificateAuthority {
  private static final long OPENSSL_TIMEOUT_SECONDS = 60;

  /** A server certificate (PEM) and its private key (PEM, PKCS#8). */
  public record ServerCertificate(Path certificate, Path key) {}

  private final Path directory;
  private final Path certificate;
  private final Path key;
  private int issued;

  private TestCertificateAuthority(Path directory, Path certificate, Path key) {
    this.directory = directory;
    this.certificate = certificate;
    this.key = key;
  }

  /** Makes a CA in {@code directory} (created if missing). */
  public static TestCertificateAuthority create(Path directory)
      throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Path certificate = directory.resolve("ca.pem");
    Path key = directory.resolve("ca.key");
    openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-days", "2", "-subj", "/CN=Slipway test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout", key.toString(), "-out", certificate.toString());
    return new TestCertificateAuthority(directory, certificate, key);
  }

  /** The CA certificate (PEM), for clients to trust. */
  public Path certificate() {
    return certificate;
  }

  /**
   * A server certificate signed by this CA for {@code names}: each an IP address ({@code
   * 127.0.0.1}) or a DNS name ({@code localhost}), all put in the subject alternative names.
   */
  public ServerCertificate issue(String... names) throws IOException, InterruptedException {
    if (names.length == 0) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    String stem = "server-" + ++issued;
    Path serverKey = directory.resolve(stem + ".key");
    Path request = directory.resolve(stem + ".csr");
    Path serverCertificate = directory.resolve(stem + ".pem");
    Path extensions = directory.resolve(stem + ".ext");
    List<String> alternatives = new ArrayList<>();
    for (String name : names) {
      alternatives.add((name.matches("[0-9.]+|.*:.*") ? "IP:" : "DNS:") + name);
    }
    Files.writeString(extensions, String.join("\n",
        "basicConstraints=CA:FALSE",
        "keyUsage=critical,digitalSignature",
        "extendedKeyUsage=serverAuth",
        "subjectAltName=" + String.join(",", alternatives),
        ""));
    openssl(directory, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-subj", "/CN=" + names[0], "-keyout", serverKey.toString(),
        "-out", request.toString());
    openssl(directory, "x509", "-req", "-in", request.toString(), "-CA", certificate.toString(),
        "-CAkey", key.toString(), "-set_serial", String.valueOf(System.nanoTime()), "-days", "2",
        "-extfile", extensions.toString(), "-out", serverCertificate.toString());
    return new ServerCertificate(serverCertificate, serverKey);
  }

  private static void openssl(Path directory, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path log = Files.createTempFile(directory, "openssl", ".log");
    Process process = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("openssl " + args[0] + " did not finish within "
          + OPENSSL_TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " exited with "
          + process.exitValue() + ": " + Files.readString(log));
    }
    Files.delete(log);
  }
}
