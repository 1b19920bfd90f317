package io.slipway.build.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * Where an instruction came from: its keyword as written (so lint can check casing), the logical
 * line with continuations joined, the lines it spans, where its keyword and its arguments begin,
 * and the comment lines directly above it (a stage's description comes from these). Immutable.
 */
public record Origin(
    String keyword,
    String text,
    SourceRange range,
    Location location,
    Location argumentsLocation,
    List<String> comments) {

  public Origin {
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(argumentsLocation, "argumentsLocation");
    comments = List.copyOf(comments);
  }
}
