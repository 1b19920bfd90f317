package io.slipway.client;

import io.slipway.client.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
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

  /** A manifest as received: its bytes are never re-serialized. */
  record Fetched(Content content, byte[] bytes) {}

  // GET /v2/<name>/manifests/<reference>
  static Fetched send(Transport transport, Repository repository, String reference, boolean justPushed)
      throws IOException, InterruptedException {
    Transport.Call call = Transport.Call.of(repository, ScopeSet.of(Scope.pull(repository.name())),
            "GET", transport.uri(repository, "manifests/" + reference), Set.of(200))
        .header("Accept", MediaTypes.accept());
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
    DigestAlgorithm algorithm = DigestAlgorithm.SHA256;
    Digest expected = null;
    if (Digest.isValid(reference)) {
      expected = Digest.parse(reference);
      algorithm = expected.algorithm();
    } else {
      String header = response.headers().firstValue("Docker-Content-Digest").orElse("");
      if (Digest.isValid(header)) {
        expected = Digest.parse(header);
        algorithm = expected.algorithm();
      }
    }
    Digest actual = Digest.of(algorithm, bytes);
    if (expected != null && !expected.equals(actual)) {
      throw new ContentMismatchException("manifest " + repository + ":" + reference
          + " hashes to " + actual + ", not " + expected + "; refusing it (nothing was stored)");
    }
    String type = response.headers().firstValue("Content-Type")
        .map(ManifestHead::stripParameters).orElse("");
    if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
      type = ManifestLinks.sniffMediaType(bytes).orElseThrow(() -> new UnsupportedContentException(
          "manifest " + repository + ":" + reference + " has unsupported media type \""
              + response.headers().firstValue("Content-Type").orElse("") + "\""));
    }
    return new Fetched(new Content(type, actual, bytes.length), bytes);
  }
}
