package io.slipway.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTlsTest {
  @TempDir Path dir;

  @Test
  void completesHandshakeWhenClientTrustsWrittenCa() throws Exception {
    SelfSignedTls tls = SelfSignedTls.generate(dir.resolve("tls"));

    try (RegistryServer server = RegistryServer.start(RegistryConfig.defaults(dir.resolve("root"))
        .withAddress("127.0.0.1", 0).withTls(tls.certificate(), tls.key()))) {
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(tls.caCertificate()))
          .connectTimeout(Duration.ofSeconds(5)).build();
      for (String host : new String[] {"127.0.0.1", "localhost"}) {
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.port() + "/v2/")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(host).isEqualTo(200);
      }
    }
  }

  @Test
  void failsHandshakeWhenClientTrustsAnotherCa() throws Exception {
    SelfSignedTls tls = SelfSignedTls.generate(dir.resolve("tls"));
    SelfSignedTls other = SelfSignedTls.generate(dir.resolve("other"));

    try (RegistryServer server = RegistryServer.start(RegistryConfig.defaults(dir.resolve("root"))
        .withAddress("127.0.0.1", 0).withTls(tls.certificate(), tls.key()))) {
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(other.caCertificate())).build();

      assertThatThrownBy(() -> client.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/v2/")).build(),
              HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void keepsPrivateKeyOwnerOnlyWhenWritingFiles() throws Exception {
    SelfSignedTls tls = SelfSignedTls.generate(dir.resolve("tls"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.key()))).isEqualTo("rw-------");
    // The chain is the server certificate, then the CA, so clients that want the chain get it.
    assertThat(Files.readString(tls.certificate())).endsWith(Files.readString(tls.caCertificate()))
        .isNotEqualTo(Files.readString(tls.caCertificate()));
    assertThat(Files.list(dir.resolve("tls")).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("ca.pem", "server.pem", "server-key.pem");
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      trust.setCertificateEntry("slipway-ca", ca);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
