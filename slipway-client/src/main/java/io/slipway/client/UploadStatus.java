package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * {@code GET <upload-location>}: how many bytes of an upload the registry holds, from its {@code
 * Range} header. Stateless.
 */
final class UploadStatus {
  private UploadStatus() {}

  /** Where the session is now and how many bytes it holds. */
  record Status(URI location, long committed) {}

  // GET /v2/<name>/blobs/uploads/<id>
  static Status send(Transport transport, Repository repository, URI location)
      throws IOException, InterruptedException {
    Transport.Call call = Transport.Call.of(repository,
        ScopeSet.of(Scope.pullPush(repository.name())), "GET", location, Set.of(204, 200));
    HttpResponse<InputStream> response = transport.send(call);
    Transport.discard(response);
    URI next = response.headers().firstValue("Location").isPresent()
        ? UploadLocation.from(response, call.describe())
        : location;
    return new Status(next, UploadLocation.committedEnd(response).orElse(0L));
  }
}
