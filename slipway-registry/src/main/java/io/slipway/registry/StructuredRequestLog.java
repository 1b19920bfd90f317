package io.slipway.registry;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per request as {@code key=value} pairs (logfmt), which log shippers parse without
 * configuration: method, path, status, bytes in and out, duration, remote address. Logger
 * {@code io.slipway.registry.access}. Stateless, thread-safe.
 */
public final class StructuredRequestLog implements RequestLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.slipway.registry.access");

  @Override
  public void log(Request request, Response response) {
    if (!ACCESS.isInfoEnabled()) {
      return;
    }
    long micros = (System.nanoTime() - request.getBeginNanoTime()) / 1000;
    ACCESS.info(
        "method={} path=\"{}\" status={} bytes_in={} bytes_out={} duration_ms={}.{} remote={}",
        request.getMethod(),
        request.getHttpURI().getPathQuery().replace("\"", "%22"),
        response.getStatus(),
        Request.getContentBytesRead(request),
        Response.getContentBytesWritten(response),
        micros / 1000,
        String.format("%03d", micros % 1000),
        Request.getRemoteAddr(request));
  }
}
