package io.slipway.build.graph;

import io.slipway.build.dockerfile.SourceRange;
import io.slipway.oci.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of the build graph: an operation, the vertices it reads, and its digest.
 *
 * <p>The digest is the sha256 of the operation's canonical encoding followed by its inputs'
 * digests, so it identifies the whole subgraph below the vertex: identical subgraphs in two builds
 * have identical digests, and any change below a vertex changes it. The description and source
 * range are for people (progress, errors) and are not part of the digest; equality is by digest.
 * Immutable.
 */
public final class Vertex {

  private final Digest digest;
  private final Operation operation;
  private final List<Vertex> inputs;
  private final String description;
  private final Optional<SourceRange> source;

  private Vertex(
      Digest digest,
      Operation operation,
      List<Vertex> inputs,
      String description,
      Optional<SourceRange> source) {
    this.digest = digest;
    this.operation = operation;
    this.inputs = inputs;
    this.description = description;
    this.source = source;
  }

  /** A vertex running {@code operation} over {@code inputs}; computes its digest. */
  public static Vertex of(
      Operation operation, List<Vertex> inputs, String description, Optional<SourceRange> source) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(source, "source");
    List<Vertex> copied = List.copyOf(inputs);
    CanonicalEncoder encoder = new CanonicalEncoder();
    encoder.operation(operation);
    encoder.integer(copied.size());
    for (Vertex input : copied) {
      encoder.string(input.digest().toString());
    }
    return new Vertex(Digest.sha256(encoder.bytes()), operation, copied, description, source);
  }

  /** The stable identity of this vertex and everything below it. */
  public Digest digest() {
    return digest;
  }

  /** What this vertex does. */
  public Operation operation() {
    return operation;
  }

  /** The vertices this one reads, by index as its operation refers to them. */
  public List<Vertex> inputs() {
    return inputs;
  }

  /** A human description such as {@code [build 2/5] RUN go build}. */
  public String description() {
    return description;
  }

  /** The Dockerfile lines this vertex came from, when it came from an instruction. */
  public Optional<SourceRange> source() {
    return source;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Vertex v && v.digest.equals(digest);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return operation.kind() + " " + digest + " " + description;
  }
}
