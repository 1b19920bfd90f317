package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repository>}: links a blob that
 * already lives in another repository of the same registry. The token asks for push on the target
 * and pull on the source. Returns empty when mounted (201), or the upload session the registry
 * opened instead (202). Stateless.
 */
final class BlobMount {
  private BlobMount() {}

  // POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>
  static Optional<URI> send(Transport transport, Repository repository, Digest digest, String from)
      throws IOException, InterruptedException {
    URI uri = UploadLocation.withParameter(UploadLocation.withParameter(
        transport.uri(repository, "blobs/uploads/"), "mount", digest.toString()), "from", from);
    Transport.Call call = Transport.Call.of(repository,
            ScopeSet.of(Scope.pullPush(repository.name()), Scope.pull(from)), "POST", uri,
            Set.of(201, 202))
        // An empty body, sent with Content-Length: 0 as the spec asks of a POST.
        .body(() -> HttpRequest.BodyPublishers.ofByteArray(new byte[0]));
    HttpResponse<InputStream> response = transport.send(call);
    Transport.discard(response);
    return response.statusCode() == 201
        ? Optional.empty()
        : Optional.of(UploadLocation.from(response, call.describe()));
  }
}
