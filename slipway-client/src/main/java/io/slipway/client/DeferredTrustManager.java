package io.slipway.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that builds the real one on the first certificate check and hands every check
 * to it, so a client that only ever speaks plain HTTP (a loopback or insecure registry) never
 * loads the JDK's trust store: parsing its 150-odd certificates was the largest single cost of
 * building a {@link RegistryClient}. It is an {@link X509ExtendedTrustManager}, so the JDK hands
 * it the connection and the delegate still checks the host name against the certificate.
 *
 * <p>Thread-safe without a lock: threads that race the first check may each build a delegate;
 * one is kept and used by all from then on.
 */
final class DeferredTrustManager extends X509ExtendedTrustManager {
  /** Builds the real trust manager; a failure is reported on every check until one succeeds. */
  @FunctionalInterface
  interface Source {
    X509ExtendedTrustManager load() throws CertificateException;
  }

  private final Source source;
  private final AtomicReference<X509ExtendedTrustManager> loaded = new AtomicReference<>();

  DeferredTrustManager(Source source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  private X509ExtendedTrustManager delegate() throws CertificateException {
    X509ExtendedTrustManager known = loaded.get();
    if (known != null) {
      return known;
    }
    X509ExtendedTrustManager made = source.load();
    return loaded.compareAndExchange(null, made) == null ? made : loaded.get();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType);
  }

  /**
   * The delegate's accepted issuers. Only a server asks a client's trust manager this; a client
   * that cannot load its trust store accepts no issuer.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    try {
      return delegate().getAcceptedIssuers();
    } catch (CertificateException e) {
      return new X509Certificate[0];
    }
  }
}
