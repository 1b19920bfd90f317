package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.slipway.build.solver.SolveListener;
import io.slipway.testing.RequiresTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class TracingTest {

  @TempDir Path dir;

  @Test
  void recordsEverySpanUnderItsBuildWhenManyTracedBuildsRunAtOnce() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
        BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      BuildEngine traced = fixture.engine.withTracer(provider.get("test"));
      int builds = 16;
      List<Future<BuildResult>> results = new ArrayList<>();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < builds; i++) {
          String dockerfile = "FROM busybox\nCOPY a.txt /" + (i % 4) + "/\n";
          results.add(threads.submit(() ->
              traced.build(fixture.request(dockerfile), SolveListener.NONE)));
        }
        for (Future<BuildResult> result : results) {
          result.get(2, TimeUnit.MINUTES);
        }
      }
      provider.forceFlush().join(30, TimeUnit.SECONDS);
      List<SpanData> spans = exporter.getFinishedSpanItems();
      Map<String, SpanData> buildSpans = spans.stream()
          .filter(s -> s.getName().equals("build"))
          .collect(Collectors.toMap(SpanData::getSpanId, s -> s));
      assertThat(buildSpans).hasSize(builds);
      List<SpanData> vertexSpans = spans.stream()
          .filter(s -> s.getName().equals("vertex") || s.getName().equals("pull")).toList();
      // Per build: scratch is not traced apart; busybox pull, context source, the COPY.
      assertThat(vertexSpans).hasSizeGreaterThanOrEqualTo(builds * 3);
      assertThat(vertexSpans).allSatisfy(span -> {
        assertThat(buildSpans).containsKey(span.getParentSpanId());
        assertThat(span.getTraceId())
            .isEqualTo(buildSpans.get(span.getParentSpanId()).getTraceId());
        assertThat(span.getAttributes().get(TracingListener.CACHE_HIT)).isNotNull();
      });
      assertThat(vertexSpans.stream()
              .filter(s -> "file".equals(s.getAttributes().get(TracingListener.KIND))))
          .allSatisfy(s -> assertThat(s.getAttributes().get(TracingListener.LAYER_DIGEST))
              .startsWith("sha256:"));
    }
  }
}
