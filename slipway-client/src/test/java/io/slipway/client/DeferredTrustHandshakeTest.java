package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.peers.TestCertificateAuthority;
import io.slipway.testing.peers.TestCertificateAuthority.ServerCertificate;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS handshakes through {@link DeferredTrustManager}: the deferred trust must check a
 * server's host name exactly as the JDK's own trust manager does, so a certificate its trust
 * vouches for but issued for another name is refused.
 */
@RequiresTool(value = "openssl", debianPackage = "openssl")
class DeferredTrustHandshakeTest {
  @TempDir Path dir;

  @Test
  void acceptsATrustedCertificateForTheHostItReached() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("ca"));
    HttpsServer server = serve(ca.issue("127.0.0.1"));
    try {
      HttpResponse<String> response = client(ca).send(request(server),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void refusesATrustedCertificateIssuedForAnotherName() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("ca"));
    HttpsServer server = serve(ca.issue("registry.other.test"));
    try {
      assertThatThrownBy(() -> client(ca).send(request(server),
          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("127.0.0.1");
    } finally {
      server.stop(0);
    }
  }

  private static HttpRequest request(HttpsServer server) {
    return HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/v2/"))
        .timeout(Duration.ofSeconds(20)).build();
  }

  /** A client whose only trust is the test CA, loaded on the first handshake. */
  private static HttpClient client(TestCertificateAuthority ca) throws Exception {
    DeferredTrustManager deferred = new DeferredTrustManager(() -> {
      try {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", certificate(ca.certificate()));
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
      } catch (Exception e) {
        throw new CertificateException(e);
      }
    });
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {deferred}, null);
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static HttpsServer serve(ServerCertificate issued) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", privateKey(issued.key()), new char[0],
        new Certificate[] {certificate(issued.certificate())});
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext("/v2/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static PrivateKey privateKey(Path pem) throws Exception {
    String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
