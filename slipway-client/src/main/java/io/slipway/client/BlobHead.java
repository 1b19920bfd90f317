package io.slipway.client;

import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.OptionalLong;
import java.util.Set;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether a blob exists, and its size. Stateless. */
final class BlobHead {
  private BlobHead() {}

  // HEAD /v2/<name>/blobs/<digest>
  static OptionalLong send(Transport transport, Repository repository, Digest digest, boolean pushing)
      throws IOException, InterruptedException {
    ScopeSet scopes = pushing
        ? ScopeSet.of(Scope.pullPush(repository.name()))
        : ScopeSet.of(Scope.pull(repository.name()));
    Transport.Call call = Transport.Call.of(repository, scopes, "HEAD",
        transport.uri(repository, "blobs/" + digest), Set.of(200, 404));
    HttpResponse<InputStream> response = transport.send(call);
    Transport.discard(response);
    if (response.statusCode() == 404) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(response.headers().firstValueAsLong("Content-Length").orElse(-1));
  }
}
