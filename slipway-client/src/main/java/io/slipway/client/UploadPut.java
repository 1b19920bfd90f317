package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code PUT <upload-location>?digest=<digest>}: closes an upload, with the whole blob as body
 * (monolithic) or with none after chunks. Stateless.
 */
final class UploadPut {
  private UploadPut() {}

  // PUT /v2/<name>/blobs/uploads/<id>?digest=<digest>
  static void send(Transport transport, Repository repository, URI location, Digest digest,
      long length, Supplier<HttpRequest.BodyPublisher> body, boolean retry)
      throws IOException, InterruptedException {
    Transport.Call call = new Transport.Call(repository.registry(),
            ScopeSet.of(Scope.pullPush(repository.name())), "PUT",
            UploadLocation.withParameter(location, "digest", digest.toString()), java.util.List.of(),
            body, Set.of(201, 204), false)
        .header("Content-Type", "application/octet-stream");
    HttpResponse<InputStream> response = retry ? transport.send(call) : transport.sendOnce(call);
    Transport.discard(response);
  }
}
