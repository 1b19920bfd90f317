package io.slipway.client;

import io.slipway.oci.MediaTypes;

import io.slipway.oci.Descriptor;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}: what a tag or digest points at, without the
 * body. Empty when the registry does not say the digest (some do not on HEAD), so the caller falls
 * back to {@link ManifestGet}. Stateless.
 */
final class ManifestHead {
  private ManifestHead() {}

  // HEAD /v2/<name>/manifests/<reference>
  static Optional<Descriptor> send(Transport transport, Repository repository, String reference,
      boolean justPushed) throws IOException, InterruptedException {
    Transport.Call call = Transport.Call.of(repository, ScopeSet.of(Scope.pull(repository.name())),
            "HEAD", transport.uri(repository, "manifests/" + reference), Set.of(200))
        .header("Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS));
    if (justPushed) {
      // Registries behind write-back caches answer 404 for a moment after a push.
      call = call.retryNotFound();
    }
    HttpResponse<InputStream> response = transport.send(call);
    Transport.discard(response);
    Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
    Optional<String> type = response.headers().firstValue("Content-Type");
    long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (digest.isEmpty() || type.isEmpty() || size < 0 || !Digest.isValid(digest.get())) {
      return Optional.empty();
    }
    return Optional.of(Descriptor.of(stripParameters(type.get()), Digest.parse(digest.get()), size));
  }

  static String stripParameters(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }
}
