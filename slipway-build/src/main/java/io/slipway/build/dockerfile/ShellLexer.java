package io.slipway.build.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands variables in Dockerfile words the way the reference builder does: {@code $v},
 * {@code ${v}}, {@code ${v:-w}}, {@code ${v-w}}, {@code ${v:+w}}, {@code ${v+w}},
 * {@code ${v:?msg}}, {@code ${v?msg}}, {@code ${v#p}}, {@code ${v##p}}, {@code ${v%p}},
 * {@code ${v%%p}}, {@code ${v/p/r}} and {@code ${v//p/r}}, with single and double quotes and the
 * Dockerfile's escape character.
 *
 * <p>This is not a shell: there is no command substitution, arithmetic or globbing, and quotes are
 * removed (unless {@link #withRawQuotes}) rather than interpreted further. Immutable and
 * thread-safe; every call works on its own scanner state.
 */
public final class ShellLexer {

  /**
   * The result of one expansion: the whole text, its shell words, the variables it read, and those
   * it read while unset without a default ({@code ${v:-w}} and its kind do not count). Immutable.
   */
  public record Expansion(String value, List<String> words, Set<String> used, Set<String> unset) {
    public Expansion {
      words = List.copyOf(words);
      used = Set.copyOf(used);
      unset = Set.copyOf(unset);
    }
  }

  private final char escape;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean skipUnset;
  private final boolean skipProcessQuotes;

  private ShellLexer(
      char escape, boolean rawQuotes, boolean rawEscapes, boolean skipUnset, boolean skipQuotes) {
    this.escape = escape;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.skipUnset = skipUnset;
    this.skipProcessQuotes = skipQuotes;
  }

  /** A lexer for a Dockerfile whose escape character is {@code escape}. */
  public static ShellLexer of(char escape) {
    return new ShellLexer(escape, false, false, false, false);
  }

  /** A copy that keeps quote characters in the output instead of removing them. */
  public ShellLexer withRawQuotes() {
    return new ShellLexer(escape, true, rawEscapes, skipUnset, skipProcessQuotes);
  }

  /** A copy that keeps escape characters in the output. */
  public ShellLexer withRawEscapes() {
    return new ShellLexer(escape, rawQuotes, true, skipUnset, skipProcessQuotes);
  }

  /** A copy that leaves references to unset variables as written instead of expanding to "". */
  public ShellLexer withSkipUnset() {
    return new ShellLexer(escape, rawQuotes, rawEscapes, true, skipProcessQuotes);
  }

  /**
   * A copy that treats quotes as ordinary characters; the reference builder expands heredoc bodies
   * this way.
   */
  public ShellLexer withQuotesUnprocessed() {
    return new ShellLexer(escape, rawQuotes, rawEscapes, skipUnset, true);
  }

  /** Expands {@code word} against {@code env}; a missing key is an unset variable. */
  public Expansion expand(String word, Map<String, String> env) {
    Scanner scanner = new Scanner(word, env);
    Words words = new Words();
    String value = scanner.processStopOn((char) 0, false, words);
    return new Expansion(value, words.finish(), scanner.used, scanner.unset);
  }

  /** The expanded text of {@code word}. */
  public String expandWord(String word, Map<String, String> env) {
    return expand(word, env).value();
  }

  /** The shell words of {@code text} after expansion; unquoted expansions split on whitespace. */
  public List<String> expandWords(String text, Map<String, String> env) {
    return expand(text, env).words();
  }

  /** Collects shell words as characters arrive, splitting on unquoted whitespace. */
  private static final class Words {
    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    void addChar(char c) {
      if (Character.isWhitespace(c)) {
        if (inWord && word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        addRawChar(c);
      }
    }

    void addRawChar(char c) {
      word.append(c);
      inWord = true;
    }

    void addString(String s) {
      for (int i = 0; i < s.length(); i++) {
        addChar(s.charAt(i));
      }
    }

    void addRawString(String s) {
      word.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
      }
      return words;
    }
  }

  private final class Scanner {
    private static final char EOF = (char) -1;
    private final String text;
    private final Map<String, String> env;
    private final Set<String> used = new LinkedHashSet<>();
    private final Set<String> unset = new LinkedHashSet<>();
    private int pos;

    Scanner(String text, Map<String, String> env) {
      this.text = text;
      this.env = env;
    }

    char peek() {
      return pos < text.length() ? text.charAt(pos) : EOF;
    }

    char next() {
      return pos < text.length() ? text.charAt(pos++) : EOF;
    }

    /** Processes until {@code stop} (consumed) or the end; {@code stop == 0} means the end only. */
    String processStopOn(char stop, boolean escapesRaw, Words words) {
      StringBuilder result = new StringBuilder();
      while (peek() != EOF) {
        char c = peek();
        if (stop != 0 && c == stop) {
          next();
          return result.toString();
        }
        if (!skipProcessQuotes && c == '\'') {
          String quoted = processSingleQuote();
          result.append(quoted);
          words.addRawString(quoted);
        } else if (!skipProcessQuotes && c == '"') {
          String quoted = processDoubleQuote();
          result.append(quoted);
          words.addRawString(quoted);
        } else if (c == '$') {
          String value = processDollar();
          result.append(value);
          words.addString(value);
        } else {
          c = next();
          if (c == escape) {
            if (escapesRaw || rawEscapes) {
              words.addRawChar(c);
              result.append(c);
            }
            c = next();
            if (c == EOF) {
              break;
            }
            words.addRawChar(c);
          } else {
            words.addChar(c);
          }
          result.append(c);
        }
      }
      if (stop != 0) {
        throw new ExpansionException(
            DockerfileException.Kind.BAD_SUBSTITUTION,
            "unexpected end of statement while looking for matching " + stop);
      }
      return result.toString();
    }

    private String processSingleQuote() {
      // Everything up to the next ' is literal, including the escape character.
      StringBuilder result = new StringBuilder();
      next();
      if (rawQuotes) {
        result.append('\'');
      }
      while (true) {
        char c = next();
        if (c == EOF) {
          throw new ExpansionException(
              DockerfileException.Kind.BAD_SUBSTITUTION,
              "unexpected end of statement while looking for matching single-quote");
        }
        if (c == '\'') {
          if (rawQuotes) {
            result.append('\'');
          }
          return result.toString();
        }
        result.append(c);
      }
    }

    private String processDoubleQuote() {
      // Literal except for $ and the escape character, which escapes only " $ and itself.
      StringBuilder result = new StringBuilder();
      next();
      if (rawQuotes) {
        result.append('"');
      }
      while (true) {
        char c = peek();
        if (c == EOF) {
          throw new ExpansionException(
              DockerfileException.Kind.BAD_SUBSTITUTION,
              "unexpected end of statement while looking for matching double-quote");
        }
        if (c == '"') {
          next();
          if (rawQuotes) {
            result.append('"');
          }
          return result.toString();
        }
        if (c == '$') {
          result.append(processDollar());
          continue;
        }
        c = next();
        if (c == escape) {
          if (rawEscapes) {
            result.append(c);
          }
          char following = peek();
          if (following == EOF) {
            continue;
          }
          if (following == '"' || following == '$' || following == escape) {
            c = next();
          }
        }
        result.append(c);
      }
    }

    private String processDollar() {
      next();
      if (peek() != '{') {
        String name = processName();
        if (name.isEmpty()) {
          return "$";
        }
        String value = lookup(name);
        if (value == null && skipUnset) {
          return "$" + name;
        }
        return value == null ? "" : value;
      }
      next();
      char first = peek();
      if (first == EOF) {
        throw bad("syntax error: missing '}'");
      }
      if (first == '{' || first == '}' || first == ':') {
        throw bad("syntax error: bad substitution");
      }
      String name = processName();
      char c = next();
      switch (c) {
        case '}' -> {
          String value = lookup(name);
          if (value == null && skipUnset) {
            return "${" + name + "}";
          }
          return value == null ? "" : value;
        }
        case ':', '+', '-', '?', '#', '%' -> {
          return processModifier(name, c);
        }
        case '/' -> {
          return processReplace(name);
        }
        case EOF -> throw bad("syntax error: missing '}'");
        default -> throw bad("unsupported modifier (" + printable(c) + ") in substitution");
      }
    }

    private String processModifier(String name, char first) {
      boolean nullIsUnset = false;
      String modifier = String.valueOf(first);
      char c = first;
      if (c == ':') {
        nullIsUnset = true;
        c = next();
        modifier += printable(c);
      }
      boolean pattern = c == '#' || c == '%';
      if (nullIsUnset && (pattern || (c != '-' && c != '+' && c != '?'))) {
        throw bad("unsupported modifier (" + modifier + ") in substitution");
      }
      String word;
      try {
        word = processStopOn('}', pattern, new Words());
      } catch (ExpansionException e) {
        if (peek() == EOF) {
          throw bad("syntax error: missing '}'");
        }
        throw e;
      }
      String value = lookup(name, c == '#' || c == '%');
      boolean set = value != null;
      if (skipUnset && !set) {
        return "${" + name + modifier + word + "}";
      }
      boolean empty = !set || (nullIsUnset && value.isEmpty());
      return switch (c) {
        case '-' -> empty ? word : value;
        case '+' -> empty ? "" : word;
        case '?' -> {
          if (!set) {
            throw required(name, word.isEmpty() ? "is not allowed to be unset" : word);
          }
          if (nullIsUnset && value.isEmpty()) {
            throw required(name, word.isEmpty() ? "is not allowed to be empty" : word);
          }
          yield value;
        }
        case '#' -> {
          boolean longest = word.startsWith("#");
          yield trimPrefix(longest ? word.substring(1) : word, value, longest);
        }
        case '%' -> {
          boolean longest = word.startsWith("%");
          yield trimSuffix(longest ? word.substring(1) : word, value, longest);
        }
        default -> throw bad("unsupported modifier (" + modifier + ") in substitution");
      };
    }

    private String processReplace(String name) {
      boolean all = peek() == '/';
      if (all) {
        next();
      }
      String pattern;
      try {
        pattern = processStopOn('/', true, new Words());
      } catch (ExpansionException e) {
        if (peek() == EOF) {
          throw bad("syntax error: missing '/' in ${}");
        }
        throw e;
      }
      String replacement;
      try {
        replacement = processStopOn('}', true, new Words());
      } catch (ExpansionException e) {
        if (peek() == EOF) {
          throw bad("syntax error: missing '}'");
        }
        throw e;
      }
      String value = lookup(name);
      if (skipUnset && value == null) {
        return "${" + name + "/" + pattern + "/" + replacement + "}";
      }
      if (value == null) {
        value = "";
      }
      return replace(value, pattern, replacement, all);
    }

    private String processName() {
      StringBuilder name = new StringBuilder();
      while (peek() != EOF) {
        char c = peek();
        if (name.isEmpty() && Character.isDigit(c)) {
          while (peek() != EOF && Character.isDigit(peek())) {
            name.append(next());
          }
          return name.toString();
        }
        if (name.isEmpty() && "@*#?-$!0".indexOf(c) >= 0) {
          return String.valueOf(next());
        }
        if (!Character.isLetterOrDigit(c) && c != '_') {
          break;
        }
        name.append(next());
      }
      return name.toString();
    }

    private String lookup(String name) {
      return lookup(name, true);
    }

    /**
     * Reads a variable; {@code counts} is false for the forms that handle an unset variable
     * themselves ({@code -}, {@code +}, {@code ?}), which lint must not report as undefined.
     */
    private String lookup(String name, boolean counts) {
      used.add(name);
      String value = env.get(name);
      if (value == null && counts) {
        unset.add(name);
      }
      return value;
    }

    private ExpansionException bad(String message) {
      return new ExpansionException(DockerfileException.Kind.BAD_SUBSTITUTION, message);
    }

    private ExpansionException required(String name, String message) {
      return new ExpansionException(
          DockerfileException.Kind.UNDEFINED_REQUIRED_VARIABLE, name + ": " + message);
    }

    private String printable(char c) {
      return c == EOF ? "" : String.valueOf(c);
    }
  }

  private static String trimPrefix(String pattern, String value, boolean longest) {
    if (longest) {
      for (int end = value.length(); end >= 0; end--) {
        if (ShellPattern.matches(pattern, value, 0, end)) {
          return value.substring(end);
        }
      }
    } else {
      for (int end = 0; end <= value.length(); end++) {
        if (ShellPattern.matches(pattern, value, 0, end)) {
          return value.substring(end);
        }
      }
    }
    return value;
  }

  private static String trimSuffix(String pattern, String value, boolean longest) {
    if (longest) {
      for (int start = 0; start <= value.length(); start++) {
        if (ShellPattern.matches(pattern, value, start, value.length())) {
          return value.substring(0, start);
        }
      }
    } else {
      for (int start = value.length(); start >= 0; start--) {
        if (ShellPattern.matches(pattern, value, start, value.length())) {
          return value.substring(0, start);
        }
      }
    }
    return value;
  }

  private static String replace(String value, String pattern, String replacement, boolean all) {
    if (pattern.isEmpty()) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int start = 0;
    while (start <= value.length()) {
      int matchStart = -1;
      int matchEnd = -1;
      // Leftmost match, and at that position the longest, as bash does.
      for (int i = start; i <= value.length() && matchStart < 0; i++) {
        for (int end = value.length(); end >= i; end--) {
          if (ShellPattern.matches(pattern, value, i, end)) {
            matchStart = i;
            matchEnd = end;
            break;
          }
        }
      }
      if (matchStart < 0) {
        break;
      }
      out.append(value, start, matchStart).append(replacement);
      if (matchEnd == matchStart) {
        if (matchStart < value.length()) {
          out.append(value.charAt(matchStart));
        }
        start = matchStart + 1;
      } else {
        start = matchEnd;
      }
      if (!all) {
        break;
      }
    }
    if (start <= value.length()) {
      out.append(value, start, value.length());
    }
    return out.toString();
  }
}
