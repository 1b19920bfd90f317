package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailureTest {

  private static IOException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return new IOException("wrapped", e);
  }

  @Test
  void doesCallARefusedCertificateUntrusted() {
    IOException unknownCa = handshake("PKIX path building failed",
        new CertificateException("unable to find valid certification path to requested target"));
    IOException expired = handshake("expired", new CertificateExpiredException("NotAfter: …"));

    assertThat(TlsFailure.of(unknownCa)).isEqualTo(TlsFailure.UNTRUSTED_CERTIFICATE);
    assertThat(TlsFailure.of(expired)).isEqualTo(TlsFailure.UNTRUSTED_CERTIFICATE);
    assertThat(TlsFailure.reason(unknownCa))
        .isEqualTo("unable to find valid certification path to requested target");
  }

  @Test
  void doesRecogniseAPlainHttpAnswer() {
    assertThat(TlsFailure.of(new SSLException("Unrecognized SSL message, plaintext connection?")))
        .isEqualTo(TlsFailure.PLAIN_HTTP_PEER);
  }

  @Test
  void doesLeaveOtherFailuresToTheRetries() {
    assertThat(TlsFailure.of(new ConnectException("Connection refused"))).isEqualTo(TlsFailure.OTHER);
    assertThat(TlsFailure.of(handshake("Remote host terminated the handshake", null)))
        .isEqualTo(TlsFailure.OTHER);
    // The word alone, outside a TLS error, is not the JDK's plain-HTTP diagnosis.
    assertThat(TlsFailure.of(new IOException("plaintext"))).isEqualTo(TlsFailure.OTHER);
  }
}
