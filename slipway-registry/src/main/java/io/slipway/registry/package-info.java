/** The OCI Distribution Spec registry: routing, wire calls, metadata and upload sessions. */
package io.slipway.registry;
