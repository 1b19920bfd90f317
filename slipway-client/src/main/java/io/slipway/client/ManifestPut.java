package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

/** {@code PUT /v2/<name>/manifests/<reference>}: stores a manifest's exact bytes. Stateless. */
final class ManifestPut {
  private ManifestPut() {}

  // PUT /v2/<name>/manifests/<reference>
  static void send(Transport transport, Repository repository, String reference, String mediaType,
      byte[] bytes) throws IOException, InterruptedException {
    Transport.Call call = Transport.Call.of(repository,
            ScopeSet.of(Scope.pullPush(repository.name())), "PUT",
            transport.uri(repository, "manifests/" + reference), Set.of(201, 200, 202))
        .header("Content-Type", mediaType)
        .body(() -> HttpRequest.BodyPublishers.ofByteArray(bytes))
        // A registry may not yet see the blobs just pushed (MANIFEST_BLOB_UNKNOWN is a 400, so
        // that case surfaces as an error); a 404 here comes from a lagging cache.
        .retryNotFound();
    HttpResponse<InputStream> response = transport.send(call);
    Transport.discard(response);
  }
}
