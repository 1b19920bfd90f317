package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code PATCH <upload-location>} with {@code Content-Range: <start>-<end>}: appends one chunk.
 * Not retried here: after a broken connection the caller asks {@link UploadStatus} how much the
 * registry kept and resumes from there. Stateless.
 */
final class UploadPatch {
  private UploadPatch() {}

  // PATCH /v2/<name>/blobs/uploads/<id>
  static URI send(Transport transport, Repository repository, URI location, long start,
      long length, Supplier<HttpRequest.BodyPublisher> chunk)
      throws IOException, InterruptedException {
    Transport.Call call = new Transport.Call(repository.registry(),
            ScopeSet.of(Scope.pullPush(repository.name())), "PATCH", location, java.util.List.of(),
            chunk, Set.of(202, 204), false)
        .header("Content-Type", "application/octet-stream")
        .header("Content-Range", start + "-" + (start + length - 1));
    HttpResponse<InputStream> response = transport.sendOnce(call);
    Transport.discard(response);
    return UploadLocation.from(response, call.describe());
  }
}
