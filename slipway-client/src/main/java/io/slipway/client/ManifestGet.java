package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.oci.InvalidManifestException;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * {@code GET /v2/<name>/manifests/<reference>}: a manifest's exact bytes, size-limited and
 * verified. When the reference is a digest the bytes must hash to it; for a tag they must hash to
 * the {@code Docker-Content-Digest} the registry sent, if any. Stateless.
 */
final class ManifestGet {
  private ManifestGet() {}

  // GET /v2/<name>/manifests/<reference>
  static ManifestBytes send(Transport transport, Repository repository, String reference,
      boolean justPushed) throws IOException, InterruptedException {
    Transport.Call call = Transport.Call.of(repository, ScopeSet.of(Scope.pull(repository.name())),
            "GET", transport.uri(repository, "manifests/" + reference), Set.of(200))
        .header("Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS));
    if (justPushed) {
      call = call.retryNotFound();
    }
    HttpResponse<InputStream> response = transport.send(call);
    long limit = transport.settings().maxManifestSize();
    byte[] bytes;
    try (InputStream in = new IdleTimeoutStream(response.body(),
        transport.settings().idleTimeout(), call.describe())) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }
    if (bytes.length > limit) {
      throw new UnsupportedContentException("manifest " + repository + ":" + reference
          + " is larger than the limit of " + limit + " bytes");
    }
    Digest expected = null;
    if (Digest.isValid(reference)) {
      expected = Digest.parse(reference);
    } else {
      String header = response.headers().firstValue("Docker-Content-Digest").orElse("");
      if (Digest.isValid(header)) {
        expected = Digest.parse(header);
      }
    }
    DigestAlgorithm algorithm = expected == null ? DigestAlgorithm.SHA256 : expected.algorithm();
    Digest actual = Digest.of(algorithm, bytes);
    if (expected != null && !expected.equals(actual)) {
      throw new ContentMismatchException("manifest " + repository + ":" + reference
          + " hashes to " + actual + ", not " + expected + "; refused, nothing was stored");
    }
    String type = MediaTypes.essence(response.headers().firstValue("Content-Type").orElse(""));
    try {
      ManifestBytes manifest = MediaTypes.isManifest(type)
          ? ManifestBytes.of(bytes, type, algorithm)
          : ManifestBytes.detect(bytes);
      if (!MediaTypes.isManifest(manifest.mediaType())) {
        throw new UnsupportedContentException("manifest " + repository + ":" + reference
            + " has unsupported media type " + manifest.mediaType());
      }
      return manifest;
    } catch (InvalidManifestException e) {
      throw new UnsupportedContentException("manifest " + repository + ":" + reference
          + " cannot be read: " + e.getMessage());
    }
  }
}
