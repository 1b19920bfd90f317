package io.slipway.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS context registries are reached with: the JDK's trust store, plus the
 * certificates of an optional PEM CA file (for registries signed by a private CA). Stateless;
 * the contexts it returns are safe for concurrent use.
 */
final class TrustStores {
  private TrustStores() {}

  /**
   * The JDK's trust when {@code caFile} is null; otherwise that and the file's certificates too.
   * Without a CA file the trust store is loaded on the first TLS handshake ({@link
   * DeferredTrustManager}), not here. Client certificates set through {@code
   * javax.net.ssl.keyStore} are only honoured by the JDK's default context, which is used as it
   * is when that property is set.
   */
  static SSLContext context(Path caFile) throws IOException {
    try {
      if (caFile == null) {
        if (System.getProperty("javax.net.ssl.keyStore") != null) {
          return SSLContext.getDefault();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new DeferredTrustManager(TrustStores::systemTrust)},
            null);
        return context;
      }
      if (!Files.isRegularFile(caFile)) {
        // Otherwise the JDK's NoSuchFileException says only the path, with no word of what it is.
        throw new IOException("CA file " + caFile + " does not exist or is not a file");
      }
      X509TrustManager system = trustManager(null);
      KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
      extra.load(null, null);
      Collection<? extends Certificate> certificates;
      try (InputStream in = Files.newInputStream(caFile)) {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certificates.isEmpty()) {
        throw new IOException(caFile + " holds no PEM certificate");
      }
      int i = 0;
      for (Certificate certificate : certificates) {
        extra.setCertificateEntry("ca-" + i++, certificate);
      }
      X509TrustManager custom = trustManager(extra);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Either(system, custom)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS trust"
          + (caFile == null ? "" : " with CA file " + caFile) + ": " + e.getMessage(), e);
    }
  }

  /** The JDK's own trust (its trust store, or {@code javax.net.ssl.trustStore}). */
  static X509ExtendedTrustManager systemTrust() throws CertificateException {
    X509TrustManager system;
    try {
      system = trustManager(null);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("cannot load the JDK's trust store: " + e.getMessage(), e);
    }
    if (system instanceof X509ExtendedTrustManager extended) {
      return extended;
    }
    // The JDK's own always is; another provider's would lose the host-name check the JDK makes
    // through an extended manager, so it is refused rather than used.
    throw new CertificateException("the JDK's trust manager (" + system.getClass().getName()
        + ") cannot check host names");
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager available");
  }

  /** Trusts a server that either the system store or the extra CA file vouches for. */
  private record Either(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        first.checkClientTrusted(chain, authType);
      } catch (CertificateException e) {
        second.checkClientTrusted(chain, authType);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      all.addAll(List.of(second.getAcceptedIssuers()));
      return all.toArray(X509Certificate[]::new);
    }
  }
}
