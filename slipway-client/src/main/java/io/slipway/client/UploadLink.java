package io.slipway.client;

import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import io.slipway.oci.auth.Scope;
import io.slipway.store.blob.StoreKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

/**
 * {@code PUT <upload-location>?digest=<digest>&store-proof=<hmac>}: Slipway's extension that closes
 * an upload without its bytes when client and registry share one content store; the proof shows
 * the client holds the store's key. Stateless.
 */
final class UploadLink {
  private UploadLink() {}

  // PUT /v2/<name>/blobs/uploads/<id>?digest=<digest>&store-proof=<hmac>
  static void send(Transport transport, Repository repository, URI location, Digest digest,
      String proof) throws IOException, InterruptedException {
    URI target = UploadLocation.withParameter(
        UploadLocation.withParameter(location, "digest", digest.toString()),
        StoreKey.PROOF_PARAMETER, proof);
    Transport.Call call = new Transport.Call(repository.registry(),
            ScopeSet.of(Scope.pullPush(repository.name())), "PUT", target, List.of(),
            HttpRequest.BodyPublishers::noBody, Set.of(201), false);
    // Once: a refusal leaves the session open for the caller's ordinary upload.
    HttpResponse<InputStream> response = transport.sendOnce(call);
    response.body().close();
  }
}
