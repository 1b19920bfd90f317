package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.meta.ManifestReference;
import java.util.List;

/**
 * What the registry needs from a pushed manifest: its media type, what must already be in the
 * repository, and its referrers-API fields. The bytes themselves are stored untouched. Immutable.
 *
 * @param mediaType the manifest's media type
 * @param references blobs and child manifests that must be present
 * @param subject the manifest it refers to, or null
 * @param artifactType its artifact type ({@code artifactType}, else the config media type), or ""
 * @param annotationsJson its annotations as JSON text, or ""
 */
record ParsedManifest(
    String mediaType,
    List<ManifestReference> references,
    Digest subject,
    String artifactType,
    String annotationsJson) {}
