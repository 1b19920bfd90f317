package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoresTest {
  @TempDir Path dir;

  @Test
  void doesNotLoadTheTrustStoreUntilACertificateIsChecked() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    X509ExtendedTrustManager system = systemTrustManager();
    DeferredTrustManager deferred = new DeferredTrustManager(() -> {
      loads.incrementAndGet();
      return system;
    });
    assertThat(loads).hasValue(0);

    assertThat(deferred.getAcceptedIssuers()).isNotEmpty();
    assertThatThrownBy(() -> deferred.checkServerTrusted(new X509Certificate[0], "RSA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(loads).as("the trust store is loaded once, then reused").hasValue(1);
  }

  @Test
  void doesReportATrustStoreThatCannotLoadOnEveryCheck() {
    DeferredTrustManager deferred = new DeferredTrustManager(() -> {
      throw new CertificateException("cannot load the JDK's trust store: test");
    });

    assertThat(deferred.getAcceptedIssuers()).isEmpty();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> deferred.checkServerTrusted(new X509Certificate[0], "RSA"))
          .isInstanceOf(CertificateException.class).hasMessageContaining("test");
    }
  }

  @Test
  void doesRefuseACertificateTheSystemTrustDoesNotVouchFor() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve("self.p12");
    run(keytool.toString(), "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-alias", "self", "-keyalg", "EC", "-dname", "CN=localhost",
        "-validity", "2");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    X509Certificate selfSigned = (X509Certificate) keys.getCertificate("self");
    DeferredTrustManager system = new DeferredTrustManager(TrustStores::systemTrust);

    assertThat(TrustStores.context(null).getProtocol()).isEqualTo("TLS");
    assertThatThrownBy(() -> system.checkServerTrusted(new X509Certificate[] {selfSigned}, "EC"))
        .isInstanceOf(CertificateException.class);
  }

  private static X509ExtendedTrustManager systemTrustManager() throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
  }

  @Test
  void doesTrustExtraCaWhenCaFileHoldsPemCertificate() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve("ca.p12");
    Path pem = dir.resolve("ca.pem");
    run(keytool.toString(), "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Slipway Test CA",
        "-ext", "bc:c", "-validity", "2");
    run(keytool.toString(), "-exportcert", "-rfc", "-keystore", store.toString(), "-storepass",
        "changeit", "-alias", "ca", "-file", pem.toString());
    SSLContext context = TrustStores.context(pem);
    assertThat(context).isNotSameAs(SSLContext.getDefault());
    assertThat(context.getProtocol()).isEqualTo("TLS");
  }

  @Test
  void doesSayWhenTheCaFileIsMissing() {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> TrustStores.context(missing))
        .hasMessage("CA file " + missing + " does not exist or is not a file");
  }

  @Test
  void doesNameCaFileWhenItHoldsNoCertificate() throws Exception {
    Path pem = dir.resolve("empty.pem");
    Files.writeString(pem, "not a certificate\n");
    assertThatThrownBy(() -> TrustStores.context(pem))
        .hasMessageContaining(pem.toString());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
