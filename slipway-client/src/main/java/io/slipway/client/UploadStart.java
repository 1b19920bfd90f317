package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.store.blob.StoreKey;
import io.slipway.client.auth.ScopeSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;

/** {@code POST /v2/<name>/blobs/uploads/}: opens an upload session. Stateless. */
final class UploadStart {
  private UploadStart() {}

  /**
   * An open session: where to send the bytes, the session's id when the registry names it
   * ({@code Docker-Upload-UUID}) and the fingerprint of the registry's content store when it is a
   * Slipway registry that offers closing by store proof.
   */
  record Session(URI location, Optional<String> id, Optional<String> storeFingerprint) {}

  static URI send(Transport transport, Repository repository)
      throws IOException, InterruptedException {
    return open(transport, repository).location();
  }

  // POST /v2/<name>/blobs/uploads/
  static Session open(Transport transport, Repository repository)
      throws IOException, InterruptedException {
    Transport.Call call = Transport.Call.of(repository,
            ScopeSet.of(Scope.pullPush(repository.name())), "POST",
            transport.uri(repository, "blobs/uploads/"), Set.of(202))
        // An empty body, sent with Content-Length: 0 as the spec asks of a POST.
        .body(() -> HttpRequest.BodyPublishers.ofByteArray(new byte[0]));
    HttpResponse<InputStream> response = transport.send(call);
    Transport.discard(response);
    return new Session(UploadLocation.from(response, call.describe()),
        response.headers().firstValue("Docker-Upload-UUID"),
        response.headers().firstValue(StoreKey.FINGERPRINT_HEADER));
  }
}
