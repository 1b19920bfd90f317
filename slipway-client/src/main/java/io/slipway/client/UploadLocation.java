package io.slipway.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads and extends the {@code Location} of an upload session. Stateless. */
final class UploadLocation {
  private UploadLocation() {}

  /** The absolute upload URL from a response, resolved against the request's URL. */
  static URI from(HttpResponse<?> response, String request) throws RegistryException {
    String location = response.headers().firstValue("Location").orElseThrow(() ->
        new RegistryException(request, response.statusCode(), "",
            "the registry sent no Location for the upload"));
    return response.request().uri().resolve(location);
  }

  /** {@code uri} with one more query parameter. */
  static URI withParameter(URI uri, String name, String value) {
    String encoded = name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    return URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + encoded);
  }

  /** The end (exclusive) of what the server holds, from {@code Range: 0-<last>}. */
  static Optional<Long> committedEnd(HttpResponse<?> response) {
    return response.headers().firstValue("Range").map(range -> {
      String value = range.trim();
      if (value.startsWith("bytes=")) {
        value = value.substring(6);
      }
      int dash = value.indexOf('-');
      try {
        return dash < 0 ? 0L : Long.parseLong(value.substring(dash + 1).trim()) + 1;
      } catch (NumberFormatException e) {
        return 0L;
      }
    });
  }
}
