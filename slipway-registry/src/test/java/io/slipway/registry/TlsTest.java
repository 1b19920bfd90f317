package io.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.RequiresTool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "openssl", debianPackage = "openssl")
class TlsTest {
  @TempDir Path dir;

  @Test
  void doesServeHttpsWhenGivenPemCertificateAndKey() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
        .redirectErrorStream(true).start();
    openssl.getInputStream().readAllBytes();
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).isZero();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = java.nio.file.Files.newInputStream(cert)) {
      trust.setCertificateEntry("registry", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trustManagers.getTrustManagers(), null);

    try (RegistryServer server = RegistryServer.start(
            RegistryConfig.defaults(dir.resolve("root")).withAddress("127.0.0.1", 0)
                .withTls(cert, key));
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build()) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(server.baseUri().getScheme()).isEqualTo("https");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Docker-Distribution-API-Version"))
          .hasValue("registry/2.0");
    }
  }
}
