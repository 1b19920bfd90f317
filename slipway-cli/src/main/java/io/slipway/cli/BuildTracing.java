package io.slipway.cli;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The tracing of one {@code slipway build}: spans go to an OTLP/HTTP collector when the standard
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} variable is set
 * (with {@code OTEL_EXPORTER_OTLP_HEADERS}), and to {@code --trace-file} as OTLP JSON (one
 * {@code ExportTraceServiceRequest}, the body an OTLP/HTTP JSON receiver accepts) when asked. With
 * neither, there is no tracer. The SDK's processors are safe for concurrent use; the file is written
 * once, at {@link #close()}, from the command's thread.
 */
final class BuildTracing implements AutoCloseable {

  private final SdkTracerProvider provider;
  private final Optional<Path> traceFile;
  private final ConcurrentLinkedQueue<SpanData> collected;

  private BuildTracing(SdkTracerProvider provider, Optional<Path> traceFile,
      ConcurrentLinkedQueue<SpanData> collected) {
    this.provider = provider;
    this.traceFile = traceFile;
    this.collected = collected;
  }

  /** Tracing as the environment and {@code traceFile} ask, if at all. */
  static Optional<BuildTracing> configure(Map<String, String> env, Optional<Path> traceFile) {
    String generic = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    String traces = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    boolean otlp = (generic != null && !generic.isBlank()) || (traces != null && !traces.isBlank());
    if (!otlp && traceFile.isEmpty()) {
      return Optional.empty();
    }
    SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.builder()
            .put("service.name", env.getOrDefault("OTEL_SERVICE_NAME", "slipway")).build()));
    if (otlp) {
      OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder();
      exporter.setEndpoint(traces != null && !traces.isBlank() ? traces
          : generic.replaceAll("/+$", "") + "/v1/traces");
      String headers = env.getOrDefault("OTEL_EXPORTER_OTLP_HEADERS", "");
      for (String pair : headers.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          exporter.addHeader(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
      }
      builder.addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build());
    }
    ConcurrentLinkedQueue<SpanData> collected = new ConcurrentLinkedQueue<>();
    if (traceFile.isPresent()) {
      builder.addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(collected)));
    }
    return Optional.of(new BuildTracing(builder.build(), traceFile, collected));
  }

  Tracer tracer() {
    return provider.get("io.slipway.build");
  }

  /** Flushes every span, writes the trace file, shuts the SDK down. */
  @Override
  public void close() throws IOException {
    provider.forceFlush().join(10, TimeUnit.SECONDS);
    provider.shutdown().join(10, TimeUnit.SECONDS);
    if (traceFile.isPresent()) {
      Path file = traceFile.get();
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(temporary)) {
          TraceRequestMarshaler.create(collected).writeJsonTo(out);
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /** Keeps finished spans for the trace file; safe for concurrent use. */
  private record CollectingExporter(ConcurrentLinkedQueue<SpanData> spans)
      implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
