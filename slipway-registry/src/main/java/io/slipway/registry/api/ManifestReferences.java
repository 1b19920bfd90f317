package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.RepositoryNames;
import io.slipway.registry.meta.ManifestEntry;
import java.util.Map;

/** Resolves the {@code <reference>} of a manifest path: a digest or a tag. Stateless. */
final class ManifestReferences {
  private ManifestReferences() {}

  /** True when the reference is a digest (it holds a colon, which tags cannot). */
  static boolean isDigest(String reference) {
    return reference.contains(":");
  }

  /** Validates the reference: 400 DIGEST_INVALID or TAG_INVALID when malformed. */
  static void check(String reference) {
    if (isDigest(reference)) {
      Exchange.parseDigest(reference);
    } else {
      RepositoryNames.checkTag(reference);
    }
  }

  static ManifestEntry resolve(Registry registry, Exchange exchange) {
    String reference = exchange.reference();
    check(reference);
    var found =
        isDigest(reference)
            ? registry.metadata().manifest(exchange.name(), Digest.parse(reference))
            : registry.metadata().taggedManifest(exchange.name(), reference);
    return found.orElseThrow(
        () ->
            RegistryException.of(
                ErrorCode.MANIFEST_UNKNOWN,
                "manifest " + reference + " is not in repository " + exchange.name(),
                Map.of(isDigest(reference) ? "digest" : "tag", reference)));
  }
}
