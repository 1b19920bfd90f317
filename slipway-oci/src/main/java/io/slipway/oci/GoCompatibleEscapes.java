package io.slipway.oci;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * String escaping that matches Go's {@code encoding/json}, which wrote most manifests in
 * existence: {@code <}, {@code >} and {@code &} become {@code \u003c}, {@code \u003e} and {@code
 * \u0026}; U+2028 and U+2029 are escaped; other control characters use lowercase hex. With the
 * same field order, Slipway's canonical encoding of a value is then byte-identical to Go's
 * compact encoding of it. Immutable.
 */
final class GoCompatibleEscapes extends CharacterEscapes {
  private static final long serialVersionUID = 1L;

  private static final int[] ASCII = standardAsciiEscapesForJSON();

  static {
    for (int c = 0; c < 0x20; c++) {
      if (c != '\n' && c != '\r' && c != '\t') {
        ASCII[c] = ESCAPE_CUSTOM;
      }
    }
    ASCII['<'] = ESCAPE_CUSTOM;
    ASCII['>'] = ESCAPE_CUSTOM;
    ASCII['&'] = ESCAPE_CUSTOM;
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return ASCII.clone();
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
      return new SerializedString(String.format("\\u%04x", ch));
    }
    return null;
  }
}
