/** One class per wire call of the OCI Distribution Spec, each naming its route in a comment. */
package io.slipway.registry.api;
