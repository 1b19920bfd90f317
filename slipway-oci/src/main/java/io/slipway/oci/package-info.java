/**
 * The OCI content model: digests, descriptors, media types, image manifests, indexes, configs and
 * platforms, with the JSON rules that keep manifest bytes exact and Slipway's own output
 * canonical. Depends on Jackson only; knows nothing of storage, HTTP or references.
 */
package io.slipway.oci;
