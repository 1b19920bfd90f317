/**
 * Dockerfile lint: the reference builder's rules by their reference names, honouring
 * {@code # check=skip=…;error=true}. Reads parsed Dockerfiles and stage structure only.
 */
package io.slipway.build.lint;
