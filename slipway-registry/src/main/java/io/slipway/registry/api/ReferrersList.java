package io.slipway.registry.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.oci.Digest;
import io.slipway.oci.OciJson;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.ManifestEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Lists the manifests whose {@code subject} is the given digest, as an OCI image index, optionally
 * only those of one {@code artifactType} (then {@code OCI-Filters-Applied: artifactType}). An
 * unknown subject has an empty list, not a 404. Pages with {@code n} and a Link header.
 * Thread-safe.
 */
// GET /v2/<name>/referrers/<digest>?artifactType=<type>
public final class ReferrersList implements WireCall {
  private final Registry registry;

  public ReferrersList(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Digest subject = Exchange.parseDigest(exchange.reference());
    Optional<String> artifactType = exchange.query("artifactType").filter(s -> !s.isEmpty());
    Pagination pagination = Pagination.from(exchange);
    Digest last = pagination.last() == null ? null : Exchange.parseDigest(pagination.last());
    List<ManifestEntry> referrers =
        pagination.limit() == 0
            ? List.of()
            : pagination.page(
                exchange,
                registry
                    .metadata()
                    .referrers(
                        exchange.name(), subject, artifactType.orElse(null), last,
                        pagination.limit() + 1),
                "/v2/" + exchange.name() + "/referrers/" + subject,
                entry -> entry.digest().toString());
    ObjectNode index = JsonNodeFactory.instance.objectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", io.slipway.oci.MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (ManifestEntry entry : referrers) {
      ObjectNode descriptor = manifests.addObject();
      descriptor.put("mediaType", entry.mediaType());
      descriptor.put("digest", entry.digest().toString());
      descriptor.put("size", entry.size());
      if (!entry.artifactType().isEmpty()) {
        descriptor.put("artifactType", entry.artifactType());
      }
      if (!entry.annotationsJson().isEmpty()) {
        descriptor.set("annotations", OciJson.readTree(
            entry.annotationsJson().getBytes(StandardCharsets.UTF_8), IllegalStateException::new));
      }
    }
    if (artifactType.isPresent()) {
      exchange.setHeader("OCI-Filters-Applied", "artifactType");
    }
    exchange.sendBytes(200, io.slipway.oci.MediaTypes.OCI_INDEX, OciJson.canonicalBytes(index));
  }
}
