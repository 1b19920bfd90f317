package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoresTest {
  @TempDir Path dir;

  @Test
  void doesUseSystemTrustWhenNoCaFileIsGiven() throws Exception {
    assertThat(TrustStores.context(null)).isSameAs(SSLContext.getDefault());
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
