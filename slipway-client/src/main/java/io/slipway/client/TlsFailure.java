package io.slipway.client;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Tells apart the ways a TLS handshake fails: the peer's certificate refused, the peer speaking
 * plain HTTP, or anything else (a reset, a timeout), which may pass on retry. Stateless.
 */
enum TlsFailure {
  UNTRUSTED_CERTIFICATE,
  PLAIN_HTTP_PEER,
  OTHER;

  /** What kind of failure {@code error} (or one of its causes) is. */
  static TlsFailure of(Throwable error) {
    boolean tls = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof SSLPeerUnverifiedException) {
        return UNTRUSTED_CERTIFICATE;
      }
      tls |= t instanceof SSLException;
    }
    // The JDK's words when the first bytes back are not a TLS record ("Unrecognized SSL message,
    // plaintext connection?"); there is no more specific type to test for.
    for (Throwable t = error; tls && t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (t instanceof SSLException && message != null
          && (message.contains("plaintext") || message.contains("nrecognized SSL message"))) {
        return PLAIN_HTTP_PEER;
      }
    }
    return OTHER;
  }

  /** The most specific message in {@code error}'s chain: the certificate problem itself. */
  static String reason(Throwable error) {
    String reason = error.getMessage();
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t instanceof CertificateException) {
        reason = t.getMessage();
      }
    }
    return reason == null ? error.getClass().getSimpleName() : reason;
  }
}
