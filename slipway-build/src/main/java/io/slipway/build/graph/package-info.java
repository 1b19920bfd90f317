/**
 * From a parsed Dockerfile to the build graph the solver executes.
 *
 * <p>{@link io.slipway.build.graph.GraphBuilder} expands variables with the reference scoping,
 * resolves stages and converts only what the target needs into an immutable
 * {@link io.slipway.build.graph.BuildGraph}. Each {@link io.slipway.build.graph.Vertex} holds one
 * {@link io.slipway.build.graph.Operation} and its inputs; input 0 of a file operation, merge or
 * exec is the file system it changes, later inputs are read-only sources (copy sources, mounts).
 * A stage's final vertex plus its {@link io.slipway.build.graph.ImageConfig} and history entries
 * describe the image; metadata instructions change only the config. Vertex digests identify whole
 * subgraphs and are the starting point of cache keys; the solver adds content checksums for
 * {@code Local} and {@code Http} sources, whose content the definition does not pin.
 */
package io.slipway.build.graph;
