package io.slipway.registry.api;

import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.ManifestEntry;
import io.slipway.store.blob.BlobNotFoundException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Serves a manifest by tag or digest, byte for byte as it was pushed, with its media type as
 * {@code Content-Type} and {@code Docker-Content-Digest}. By tag, a client whose {@code Accept}
 * excludes the stored media type gets 404 MANIFEST_UNKNOWN, as distribution answers; by digest the
 * manifest is always served (the client named exact content). HEAD answers headers only.
 * Thread-safe.
 */
// GET /v2/<name>/manifests/<reference>
// HEAD /v2/<name>/manifests/<reference>
public final class ManifestGet implements WireCall {
  private final Registry registry;

  public ManifestGet(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    ManifestEntry manifest = ManifestReferences.resolve(registry, exchange);
    if (!ManifestReferences.isDigest(exchange.reference()) && !accepts(exchange, manifest)) {
      throw RegistryException.of(
          ErrorCode.MANIFEST_UNKNOWN,
          "manifest " + exchange.reference() + " is a " + manifest.mediaType()
              + ", which the request's Accept header excludes",
          Map.of("mediaType", manifest.mediaType()));
    }
    exchange.setHeader("Docker-Content-Digest", manifest.digest().toString());
    exchange.setHeader("ETag", "\"" + manifest.digest() + "\"");
    if (exchange.isHead()) {
      exchange.setStatus(200);
      exchange.setHeader("Content-Type", manifest.mediaType());
      exchange.response().getHeaders().put("Content-Length", manifest.size());
      exchange.write(java.nio.ByteBuffer.allocate(0), true);
      return;
    }
    byte[] bytes = registry.manifests().get(manifest.digest()).orElse(null);
    if (bytes == null) {
      bytes = load(manifest);
      registry.manifests().put(manifest.digest(), bytes);
    }
    exchange.sendBytes(200, manifest.mediaType(), bytes);
  }

  private byte[] load(ManifestEntry manifest) throws java.io.IOException {
    try (InputStream in = registry.blobs().openVerified(manifest.digest())) {
      return in.readAllBytes();
    } catch (BlobNotFoundException e) {
      throw RegistryException.of(
          ErrorCode.MANIFEST_UNKNOWN,
          "manifest " + manifest.digest() + " is indexed but its content is missing; run"
              + " `slipway fsck`");
    }
  }

  private static boolean accepts(Exchange exchange, ManifestEntry manifest) {
    var accept = exchange.request().getHeaders().getValuesList("Accept");
    if (accept.isEmpty()) {
      return true;
    }
    return accept.stream()
        .flatMap(value -> Arrays.stream(value.split(",")))
        .map(io.slipway.oci.MediaTypes::essence)
        .anyMatch(
            type ->
                type.equals(manifest.mediaType())
                    || type.equals("*/*")
                    || type.equals("application/*")
                    || type.equals("application/json"));
  }
}
