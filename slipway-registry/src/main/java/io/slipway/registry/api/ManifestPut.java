package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.RepositoryNames;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.ManifestEntry;
import io.slipway.registry.meta.ManifestReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores a manifest under its digest and points tags at it: the tag in the path, or every
 * {@code ?tag=} when pushing by digest. The bytes are kept exactly as received; the manifest is
 * validated first (JSON, media type, size limit → 413) and every blob and child manifest it names
 * must already be in the repository (else MANIFEST_BLOB_UNKNOWN naming the digest). The bytes are
 * durable in the store before the index points at them. Answers 201 with {@code OCI-Subject} when
 * the manifest has a subject. Thread-safe.
 */
// PUT /v2/<name>/manifests/<reference>
// PUT /v2/<name>/manifests/<digest>?tag=<tag>&tag=<tag>
public final class ManifestPut implements WireCall {
  private final Registry registry;

  public ManifestPut(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String reference = exchange.reference();
    ManifestReferences.check(reference);
    Set<String> tags = new LinkedHashSet<>();
    if (!ManifestReferences.isDigest(reference)) {
      tags.add(reference);
    }
    for (String tag : exchange.queryAll("tag")) {
      tags.add(RepositoryNames.checkTag(tag));
    }
    long limit = registry.config().maxManifestBytes();
    RegistryException tooLarge =
        RegistryException.of(
                ErrorCode.SIZE_INVALID,
                "manifest is larger than this registry's limit of " + limit + " bytes")
            .withStatus(413);
    if (exchange.contentLength() > limit) {
      throw tooLarge;
    }
    byte[] bytes = exchange.readBody(limit, tooLarge);
    DigestAlgorithm algorithm =
        ManifestReferences.isDigest(reference)
            ? Digest.parse(reference).algorithm()
            : DigestAlgorithm.SHA256;
    ManifestParser.Parsed parsed =
        ManifestParser.parse(bytes, exchange.header("Content-Type").orElse(null), algorithm);
    Digest digest = parsed.bytes().digest();
    if (ManifestReferences.isDigest(reference) && !digest.toString().equals(reference)) {
      throw RegistryException.of(
          ErrorCode.DIGEST_INVALID,
          "manifest content hashes to " + digest + ", not " + reference,
          Map.of("digest", reference, "actual", digest.toString()));
    }
    ManifestEntry entry =
        new ManifestEntry(
            digest, parsed.mediaType(), bytes.length, parsed.artifactType(), parsed.subject(),
            parsed.annotationsJson());
    List<Digest> touched = new ArrayList<>();
    touched.add(digest);
    parsed.references().forEach(r -> touched.add(r.digest()));
    Optional<ManifestReference> missing;
    // The manifest's bytes and everything it names are pinned until the index points at them:
    // the bytes are unreferenced until then, and GC running meanwhile must not take them.
    var pin = registry.pins().pin(touched);
    try {
      // Content first, then the index: nothing in the metadata ever points at missing bytes.
      registry.blobs().put(parsed.bytes().openStream(), digest, bytes.length);
      missing = registry.metadata().putManifest(
          exchange.name(), entry, parsed.references(), tags, exchange.actor());
    } finally {
      pin.close();
    }
    if (missing.isPresent()) {
      ManifestReference absent = missing.get();
      String what = absent.kind() == ManifestReference.Kind.BLOB ? "blob" : "manifest";
      throw RegistryException.of(
          ErrorCode.MANIFEST_BLOB_UNKNOWN,
          "manifest references " + what + " " + absent.digest() + ", which is not in repository "
              + exchange.name() + "; push it first",
          Map.of("digest", absent.digest().toString()));
    }
    exchange.setHeader("Location", "/v2/" + exchange.name() + "/manifests/" + digest);
    exchange.setHeader("Docker-Content-Digest", digest.toString());
    if (parsed.subject() != null) {
      exchange.setHeader("OCI-Subject", parsed.subject().toString());
    }
    exchange.sendEmpty(201);
  }
}
