package io.slipway.testing.peers;

import io.slipway.testing.RequiredToolsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's {@code docker-registry} (distribution 2.8) started on a free loopback port with its own
 * temporary storage and configuration, for tests that need a real peer registry; plain HTTP, or
 * HTTPS with a given certificate ({@link #startWithTls}). {@link #close()} stops the process and
 * deletes the storage.
 *
 * <p>Not safe for concurrent start/stop; once started, {@link #host()} may be read from any thread.
 */
public final class DistributionRegistry implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path root;
  private final int port;
  private final SSLContext tls;

  private DistributionRegistry(Process process, Path root, int port, SSLContext tls) {
    this.process = process;
    this.root = root;
    this.port = port;
    this.tls = tls;
  }

  /**
   * Starts a registry and waits until {@code /v2/} answers.
   *
   * @throws IOException when the program is missing or does not come up within 20 s; the message
   *     includes its log
   */
  public static DistributionRegistry start() throws IOException, InterruptedException {
    return start(null, null);
  }

  /**
   * Starts a registry that serves HTTPS with {@code server}'s certificate and key, and waits until
   * {@code /v2/} answers a client that trusts {@code caCertificate} (the PEM of the CA that signed
   * it).
   */
  public static DistributionRegistry startWithTls(
      TestCertificateAuthority.ServerCertificate server, Path caCertificate)
      throws IOException, InterruptedException {
    return start(server, trusting(caCertificate));
  }

  private static DistributionRegistry start(
      TestCertificateAuthority.ServerCertificate server, SSLContext tls)
      throws IOException, InterruptedException {
    Path program = RequiredToolsExtension.locate("docker-registry").orElseThrow(() ->
        new IOException("docker-registry not found on PATH (Debian package docker-registry)"));
    Path root = Files.createTempDirectory("slipway-distribution-");
    int port = freePort();
    Path config = root.resolve("config.yml");
    Files.writeString(config, String.join("\n",
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + root.resolve("data"),
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: 127.0.0.1:" + port,
        server == null ? "" : "  tls:\n    certificate: " + server.certificate()
            + "\n    key: " + server.key(),
        ""));
    Path log = root.resolve("registry.log");
    Process process = new ProcessBuilder(program.toString(), "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    DistributionRegistry registry = new DistributionRegistry(process, root, port, tls);
    try {
      registry.awaitReady(log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** {@code 127.0.0.1:<port>}, the registry name to use in references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** Where the registry keeps its data and log. */
  public Path root() {
    return root;
  }

  private void awaitReady(Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    if (tls != null) {
      client.sslContext(tls);
    }
    try (HttpClient http = client.build()) {
      HttpRequest probe = HttpRequest.newBuilder(
              URI.create((tls == null ? "http" : "https") + "://" + host() + "/v2/"))
          .timeout(Duration.ofSeconds(2)).build();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("docker-registry exited with " + process.exitValue() + ": "
              + Files.readString(log));
        }
        try {
          if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // Not listening yet.
        }
        Thread.sleep(50);
      }
    }
    throw new IOException("docker-registry did not answer on " + host() + " within "
        + START_TIMEOUT + ": " + Files.readString(log));
  }

  private static SSLContext trusting(Path caCertificate) throws IOException {
    try (InputStream in = Files.newInputStream(caCertificate)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory managers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      managers.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, managers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + caCertificate + ": " + e.getMessage(), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
