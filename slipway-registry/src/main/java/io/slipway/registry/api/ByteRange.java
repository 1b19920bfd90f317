package io.slipway.registry.api;

import io.slipway.registry.ErrorCode;
import io.slipway.registry.RegistryException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a blob, from a {@code Range: bytes=…} request header. Immutable.
 *
 * @param start first byte, inclusive
 * @param end last byte, inclusive
 */
record ByteRange(long start, long end) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  long length() {
    return end - start + 1;
  }

  /**
   * Parses the header against a blob of {@code size} bytes: empty for a full answer (no header,
   * or several ranges, which RFC 9110 lets a server ignore); 416 {@code RANGE_INVALID} with
   * {@code Content-Range: bytes *}{@code /size} for a range that is malformed or unsatisfiable.
   */
  static Optional<ByteRange> parse(String header, long size) {
    if (header == null || header.contains(",")) {
      return Optional.empty();
    }
    Matcher matcher = SINGLE.matcher(header.strip());
    RegistryException unsatisfiable =
        RegistryException.of(
                ErrorCode.RANGE_INVALID,
                "range \"" + header + "\" cannot be served from a blob of " + size + " bytes")
            .withHeader("Content-Range", "bytes */" + size);
    if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
      throw unsatisfiable;
    }
    try {
      if (matcher.group(1).isEmpty()) {
        long suffix = Long.parseLong(matcher.group(2));
        if (suffix == 0 || size == 0) {
          throw unsatisfiable;
        }
        return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
      }
      long start = Long.parseLong(matcher.group(1));
      long end = matcher.group(2).isEmpty() ? size - 1 : Long.parseLong(matcher.group(2));
      if (start >= size || end < start) {
        throw unsatisfiable;
      }
      return Optional.of(new ByteRange(start, Math.min(end, size - 1)));
    } catch (NumberFormatException e) {
      throw unsatisfiable;
    }
  }
}
