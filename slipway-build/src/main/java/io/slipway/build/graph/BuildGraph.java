package io.slipway.build.graph;

import io.slipway.oci.Digest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The result of the frontend: the target stage, every stage it needs (unreachable stages pruned),
 * and all vertices in dependency order (each after its inputs), de-duplicated by digest. This is
 * what the solver executes. Immutable and thread-safe.
 */
public record BuildGraph(BuildStage target, List<BuildStage> stages, List<Vertex> vertices) {

  public BuildGraph {
    Objects.requireNonNull(target, "target");
    stages = List.copyOf(stages);
    vertices = List.copyOf(vertices);
  }

  /** Assembles a graph, ordering the vertices reachable from {@code stages}' roots. */
  static BuildGraph of(BuildStage target, List<BuildStage> stages) {
    Map<Digest, Vertex> ordered = new LinkedHashMap<>();
    for (BuildStage stage : stages) {
      order(stage.root(), ordered);
    }
    return new BuildGraph(target, stages, new ArrayList<>(ordered.values()));
  }

  /** Post-order walk without recursion, so deep graphs (long Dockerfiles) cannot overflow. */
  private static void order(Vertex root, Map<Digest, Vertex> ordered) {
    Deque<Vertex> stack = new ArrayDeque<>();
    Deque<Boolean> expanded = new ArrayDeque<>();
    Set<Digest> onStack = new HashSet<>();
    stack.push(root);
    expanded.push(false);
    while (!stack.isEmpty()) {
      Vertex vertex = stack.pop();
      boolean done = expanded.pop();
      if (ordered.containsKey(vertex.digest())) {
        continue;
      }
      if (done) {
        ordered.put(vertex.digest(), vertex);
        continue;
      }
      stack.push(vertex);
      expanded.push(true);
      onStack.add(vertex.digest());
      List<Vertex> inputs = vertex.inputs();
      for (int i = inputs.size() - 1; i >= 0; i--) {
        if (!ordered.containsKey(inputs.get(i).digest())) {
          stack.push(inputs.get(i));
          expanded.push(false);
        }
      }
    }
  }

  /** The vertex with {@code digest}, if it is part of this graph. */
  public Optional<Vertex> vertex(Digest digest) {
    for (Vertex vertex : vertices) {
      if (vertex.digest().equals(digest)) {
        return Optional.of(vertex);
      }
    }
    return Optional.empty();
  }

  /** The stage called {@code name}, if it was needed. */
  public Optional<BuildStage> stage(String name) {
    return stages.stream().filter(s -> s.name().filter(name::equals).isPresent()).findFirst();
  }
}
