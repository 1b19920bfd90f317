package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, optionally from an offset with {@code Range} to resume
 * a broken download. The JDK client follows the redirect registries send to object storage.
 * Stateless.
 */
final class BlobGet {
  private BlobGet() {}

  // GET /v2/<name>/blobs/<digest>  [Range: bytes=<offset>-]
  static HttpResponse<InputStream> open(Transport transport, Repository repository, Digest digest,
      long offset) throws IOException, InterruptedException {
    Transport.Call call = Transport.Call.of(repository, ScopeSet.of(Scope.pull(repository.name())),
        "GET", transport.uri(repository, "blobs/" + digest), Set.of(200, 206));
    if (offset > 0) {
      call = call.header("Range", "bytes=" + offset + "-");
    }
    return transport.send(call);
  }
}
