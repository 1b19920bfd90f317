package io.slipway.build.engine;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import io.slipway.build.solver.SolveListener;
import io.slipway.build.solver.SolvedVertex;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns solver events into OpenTelemetry spans: one span per vertex ({@code pull} for a base
 * image, {@code vertex} otherwise), child of the build's span, with the description, vertex digest,
 * cache key, cache-hit flag and the digest and size of the layer the step added. Then forwards the
 * events to {@code next}.
 *
 * <p>Safe for concurrent use: spans are kept in a concurrent map by vertex, and the OpenTelemetry
 * SDK's processors are built for concurrent span ends.
 */
final class TracingListener implements SolveListener {

  static final AttributeKey<String> DESCRIPTION = AttributeKey.stringKey("slipway.vertex.description");
  static final AttributeKey<String> DIGEST = AttributeKey.stringKey("slipway.vertex.digest");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("slipway.vertex.kind");
  static final AttributeKey<String> CACHE_KEY = AttributeKey.stringKey("slipway.cache.key");
  static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("slipway.cache.hit");
  static final AttributeKey<String> LAYER_DIGEST = AttributeKey.stringKey("slipway.layer.digest");
  static final AttributeKey<Long> LAYER_SIZE = AttributeKey.longKey("slipway.layer.size");
  static final AttributeKey<Long> LAYERS = AttributeKey.longKey("slipway.layers");

  private final Tracer tracer;
  private final Context parent;
  private final SolveListener next;
  private final ConcurrentHashMap<Vertex, Span> spans = new ConcurrentHashMap<>();

  TracingListener(Tracer tracer, Context parent, SolveListener next) {
    this.tracer = tracer;
    this.parent = parent;
    this.next = next;
  }

  @Override
  public void planned(List<Vertex> vertices) {
    next.planned(vertices);
  }

  @Override
  public void started(Vertex vertex) {
    String name = vertex.operation() instanceof Operation.Image ? "pull" : "vertex";
    Span span = tracer.spanBuilder(name)
        .setParent(parent)
        .setAttribute(DESCRIPTION, vertex.description())
        .setAttribute(DIGEST, vertex.digest().toString())
        .setAttribute(KIND, vertex.operation().kind())
        .startSpan();
    spans.put(vertex, span);
    next.started(vertex);
  }

  @Override
  public void finished(SolvedVertex result, Duration elapsed) {
    Span span = spans.remove(result.vertex());
    if (span != null) {
      List<LayerRef> chain = result.record().chain();
      span.setAttribute(CACHE_KEY, result.cacheKey().toString());
      span.setAttribute(CACHE_HIT, result.cached());
      span.setAttribute(LAYERS, (long) chain.size());
      if (!chain.isEmpty()) {
        span.setAttribute(LAYER_DIGEST, chain.getLast().blob().digest().toString());
        span.setAttribute(LAYER_SIZE, chain.getLast().blob().size());
      }
      span.end();
    }
    next.finished(result, elapsed);
  }

  @Override
  public void failed(Vertex vertex, Throwable error) {
    Span span = spans.remove(vertex);
    if (span != null) {
      span.recordException(error);
      span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
      span.end();
    }
    next.failed(vertex, error);
  }
}
