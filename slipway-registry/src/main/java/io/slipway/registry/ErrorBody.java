package io.slipway.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's error document, {@code {"errors":[{"code","message","detail"}]}}, ready for Jackson.
 * Immutable.
 */
public record ErrorBody(List<Entry> errors) {

  /** One error: the spec's code, a human message, and a detail object. */
  public record Entry(String code, String message, Map<String, String> detail) {}

  /** The document for one exception; {@code detail} always holds at least the message. */
  public static ErrorBody of(RegistryException error) {
    Map<String, String> detail = new LinkedHashMap<>(error.detail());
    if (detail.isEmpty()) {
      detail.put("reason", error.getMessage());
    }
    String code = error.code() == ErrorCode.INTERNAL ? "UNKNOWN" : error.code().name();
    return new ErrorBody(List.of(new Entry(code, error.getMessage(), detail)));
  }
}
