package io.slipway.client.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code WWW-Authenticate} headers (RFC 9110 section 11.6.1) into challenges.
 *
 * <p>One header may hold several challenges separated by commas, and commas also separate the
 * parameters of one challenge; a new challenge starts where a comma is followed by a token that is
 * not followed by {@code =}. Values are tokens or quoted strings with backslash escapes, so commas
 * inside quotes (as in {@code scope="repository:a:pull,push"}) stay in the value. Unquoted values
 * are read up to the next comma or space, which accepts the unquoted URLs some servers send.
 * Stateless and thread-safe.
 */
public final class WwwAuthenticate {

  private WwwAuthenticate() {}

  /** Parses every challenge of every header, in order. */
  public static List<AuthChallenge> parse(List<String> headers) throws MalformedChallengeException {
    List<AuthChallenge> challenges = new ArrayList<>();
    for (String header : headers) {
      challenges.addAll(parse(header));
    }
    return challenges;
  }

  /** Parses every challenge of one header, in order. */
  public static List<AuthChallenge> parse(String header) throws MalformedChallengeException {
    return new Parser(header).challenges();
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    List<AuthChallenge> challenges() throws MalformedChallengeException {
      List<AuthChallenge> result = new ArrayList<>();
      skipSeparators();
      if (atEnd()) {
        throw error("no challenge");
      }
      while (!atEnd()) {
        String scheme = token();
        if (scheme.isEmpty()) {
          throw error("expected an authentication scheme");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        skipSpaces();
        boolean first = true;
        while (!atEnd()) {
          int start = pos;
          if (!first) {
            if (text.charAt(pos) != ',') {
              throw error("expected \",\" between parameters");
            }
            skipSeparators();
            if (atEnd()) {
              break;
            }
          }
          int nameStart = pos;
          String name = token();
          skipSpaces();
          if (name.isEmpty() || atEnd() || text.charAt(pos) != '=') {
            if (first && !name.isEmpty() && (atEnd() || text.charAt(pos) == ',')) {
              // A scheme with no parameters followed by the next challenge.
              pos = nameStart;
              break;
            }
            if (!first && !name.isEmpty()) {
              // The comma ended this challenge; the token starts the next one.
              pos = nameStart;
              break;
            }
            pos = name.isEmpty() ? nameStart : pos;
            throw error(name.isEmpty()
                ? "expected a parameter name"
                : "expected \"=\" after parameter \"" + name + "\" (token68 is not supported)");
          }
          pos++;
          skipSpaces();
          String value = value();
          if (parameters.putIfAbsent(name, value) != null) {
            pos = start;
            throw error("parameter \"" + name + "\" appears twice");
          }
          skipSpaces();
          first = false;
        }
        result.add(new AuthChallenge(scheme, parameters));
        skipSeparators();
      }
      return result;
    }

    private String value() throws MalformedChallengeException {
      if (atEnd()) {
        throw error("missing value");
      }
      if (text.charAt(pos) == '"') {
        int open = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
          char c = text.charAt(pos++);
          if (c == '"') {
            return out.toString();
          }
          if (c == '\\') {
            if (pos >= text.length()) {
              break;
            }
            c = text.charAt(pos++);
          }
          out.append(c);
        }
        pos = open;
        throw error("unterminated quoted string");
      }
      int start = pos;
      while (pos < text.length() && text.charAt(pos) != ',' && !isSpace(text.charAt(pos))) {
        if (text.charAt(pos) == '"') {
          throw error("quote inside an unquoted value");
        }
        pos++;
      }
      if (pos == start) {
        throw error("missing value");
      }
      return text.substring(start, pos);
    }

    private String token() {
      int start = pos;
      while (pos < text.length() && isTokenChar(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private void skipSpaces() {
      while (pos < text.length() && isSpace(text.charAt(pos))) {
        pos++;
      }
    }

    private void skipSeparators() {
      while (pos < text.length() && (isSpace(text.charAt(pos)) || text.charAt(pos) == ',')) {
        pos++;
      }
    }

    private boolean atEnd() {
      return pos >= text.length();
    }

    private MalformedChallengeException error(String problem) {
      return new MalformedChallengeException(text, pos, problem);
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t';
    }

    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }
}
