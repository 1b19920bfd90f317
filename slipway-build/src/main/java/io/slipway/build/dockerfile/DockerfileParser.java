package io.slipway.build.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.Digest;
import io.slipway.oci.InvalidDigestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Dockerfile text into a {@link Dockerfile}, following the reference builder's grammar:
 * parser directives at the top, whole-line comments, continuation lines (skipping comment and empty
 * lines inside them), flags before the arguments, exec (JSON array) or shell form with the
 * reference fallback rules, and heredocs for RUN, COPY and ADD.
 *
 * <p>Variables are not expanded here; see {@link ShellLexer} and the graph builder. Stateless and
 * thread-safe: every call parses with its own state.
 */
public final class DockerfileParser {

  private static final Pattern DIRECTIVE =
      Pattern.compile("#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*");
  private static final Pattern HEREDOC = Pattern.compile("(\\d*)<<(-?)([^<]*)");
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-_.]*");
  private static final Pattern BLANKS = Pattern.compile("[\\t\\x0B\\f\\r ]+");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Every instruction keyword, lower-case. */
  public static final Set<String> KEYWORDS =
      Set.of(
          "from", "run", "cmd", "label", "maintainer", "expose", "env", "add", "copy",
          "entrypoint", "volume", "user", "workdir", "arg", "onbuild", "stopsignal",
          "healthcheck", "shell");

  private DockerfileParser() {}

  /** Reads and parses the Dockerfile at {@code path}; errors name the file by its file name. */
  public static Dockerfile parse(Path path) throws IOException {
    return parse(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
  }

  /** Parses {@code text}; {@code file} names the Dockerfile in errors. */
  public static Dockerfile parse(String file, String text) {
    return new Parse(file, text).run();
  }

  /** Flag kinds: a single string, a boolean, or a string that may repeat. */
  private enum FlagType {
    STRING,
    BOOL,
    LIST
  }

  /** A flag word as written, where it starts, and its name and value. */
  private record RawFlag(String word, String name, String value, Location location) {}

  /** An instruction line split into keyword, flags, arguments and heredocs. */
  private record Node(
      String keyword,
      LogicalLine line,
      String text,
      int keywordOffset,
      List<RawFlag> flags,
      String arguments,
      int argumentsOffset,
      List<Heredoc> heredocs,
      SourceRange range,
      List<String> comments) {

    Origin origin() {
      return new Origin(
          keyword, text.strip(), range, line.locate(keywordOffset), line.locate(argumentsOffset),
          comments);
    }
  }

  /** Parsed flags of one instruction, by name. */
  private record Flags(Map<String, String> strings, Map<String, List<String>> lists) {
    Optional<String> string(String name) {
      return Optional.ofNullable(strings.get(name));
    }

    boolean bool(String name) {
      return Boolean.parseBoolean(strings.getOrDefault(name, "false"));
    }

    Optional<Boolean> optionalBool(String name) {
      return string(name).map(Boolean::parseBoolean);
    }

    List<String> list(String name) {
      return lists.getOrDefault(name, List.of());
    }
  }

  private static final class Parse {
    private final String file;
    private final String[] lines;
    private int next;
    private char escape = '\\';
    private Optional<String> syntax = Optional.empty();
    private Optional<String> check = Optional.empty();
    private Optional<Location> checkLocation = Optional.empty();
    private final List<ParseWarning> warnings = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    Parse(String file, String text) {
      this.file = file;
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      String[] split = text.split("\n", -1);
      int count = split.length;
      if (count > 0 && split[count - 1].isEmpty()) {
        count--;
      }
      lines = new String[count];
      for (int i = 0; i < count; i++) {
        String line = split[i];
        lines[i] = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      }
    }

    Dockerfile run() {
      List<Instruction> instructions = new ArrayList<>();
      List<String> comments = new ArrayList<>();
      boolean directivesOpen = true;
      while (next < lines.length) {
        int lineNumber = next + 1;
        String raw = lines[next++];
        String stripped = raw.stripLeading();
        if (directivesOpen) {
          directivesOpen = directive(stripped, lineNumber);
          if (directivesOpen) {
            continue;
          }
        }
        if (stripped.startsWith("#")) {
          String comment = stripped.substring(1).strip();
          if (comment.isEmpty()) {
            comments.clear();
          } else {
            comments.add(comment);
          }
          continue;
        }
        if (stripped.isEmpty()) {
          continue;
        }
        LogicalLine line = new LogicalLine();
        int indent = raw.length() - stripped.length();
        String first = stripped;
        int continuation = continuationStart(first);
        if (continuation >= 0) {
          first = first.substring(0, continuation);
        }
        line.append(first, lineNumber, indent + 1);
        int endLine = lineNumber;
        while (continuation >= 0 && next < lines.length) {
          String piece = lines[next++];
          endLine = next;
          String pieceStripped = piece.stripLeading();
          if (pieceStripped.startsWith("#")) {
            continue;
          }
          if (pieceStripped.isEmpty()) {
            warnings.add(
                new ParseWarning(
                    "NoEmptyContinuation",
                    Location.lineStart(endLine),
                    "Empty continuation line found in instruction starting at line "
                        + lineNumber));
            continue;
          }
          continuation = continuationStart(piece);
          line.append(continuation >= 0 ? piece.substring(0, continuation) : piece, endLine, 1);
        }
        if (line.text().isBlank()) {
          continue;
        }
        Node node = node(line, lineNumber, endLine, List.copyOf(comments));
        comments.clear();
        instructions.add(instruction(node));
      }
      return new Dockerfile(
          file, new Directives(syntax, escape, check, checkLocation), instructions, warnings);
    }

    /** Records a directive line; false once directives are over. */
    private boolean directive(String stripped, int lineNumber) {
      Matcher m = DIRECTIVE.matcher(stripped);
      if (!m.matches()) {
        return false;
      }
      String name = m.group(1).toLowerCase(Locale.ROOT);
      String value = m.group(2);
      Location location = Location.lineStart(lineNumber);
      switch (name) {
        case "escape" -> {
          if (!value.equals("`") && !value.equals("\\")) {
            throw new DockerfileException(
                DockerfileException.Kind.INVALID_DIRECTIVE, file, location, stripped,
                "invalid escape token '" + value + "' does not match ` or \\");
          }
          if (seen.contains(name)) {
            throw repeated(name, location, stripped);
          }
          escape = value.charAt(0);
        }
        case "syntax" -> {
          if (seen.contains(name)) {
            throw repeated(name, location, stripped);
          }
          syntax = Optional.of(value);
        }
        case "check" -> {
          if (seen.contains(name)) {
            throw repeated(name, location, stripped);
          }
          check = Optional.of(value);
          checkLocation = Optional.of(location);
        }
        default -> {
          // An unknown directive is an ordinary comment and ends the directive block.
          return false;
        }
      }
      seen.add(name);
      return true;
    }

    private DockerfileException repeated(String name, Location location, String text) {
      return new DockerfileException(
          DockerfileException.Kind.INVALID_DIRECTIVE, file, location, text,
          "only one " + name + " parser directive can be used");
    }

    /** Index of a trailing escape character (followed only by blanks), or -1. */
    private int continuationStart(String line) {
      int end = line.length();
      while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
        end--;
      }
      if (end > 0 && line.charAt(end - 1) == escape) {
        return end - 1;
      }
      return -1;
    }

    private Node node(LogicalLine line, int startLine, int endLine, List<String> comments) {
      String text = line.text();
      int start = 0;
      while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
        start++;
      }
      int keywordEnd = start;
      while (keywordEnd < text.length() && !Character.isWhitespace(text.charAt(keywordEnd))) {
        keywordEnd++;
      }
      String keyword = text.substring(start, keywordEnd);
      int restStart = keywordEnd;
      while (restStart < text.length() && Character.isWhitespace(text.charAt(restStart))) {
        restStart++;
      }
      return node(line, text, keyword, start, restStart, startLine, endLine, comments, true);
    }

    private Node node(
        LogicalLine line,
        String text,
        String keyword,
        int keywordOffset,
        int restStart,
        int startLine,
        int endLine,
        List<String> comments,
        boolean readHeredocs) {
      List<RawFlag> flags = new ArrayList<>();
      int argumentsOffset = extractFlags(line, text, restStart, flags);
      String arguments = text.substring(argumentsOffset).strip();
      while (argumentsOffset < text.length()
          && Character.isWhitespace(text.charAt(argumentsOffset))) {
        argumentsOffset++;
      }
      String lower = keyword.toLowerCase(Locale.ROOT);
      List<Heredoc> heredocs = List.of();
      int lastLine = endLine;
      if (readHeredocs
          && (lower.equals("run") || lower.equals("copy") || lower.equals("add"))
          && text.contains("<<")
          && !isJsonArray(arguments)) {
        heredocs = new ArrayList<>();
        for (String word : heredocWords(text)) {
          Optional<Heredoc> declared = heredocDeclaration(word);
          if (declared.isEmpty()) {
            continue;
          }
          Heredoc heredoc = declared.get();
          StringBuilder body = new StringBuilder();
          boolean terminated = false;
          while (next < lines.length) {
            String bodyLine = lines[next++];
            lastLine = next;
            String candidate = heredoc.chomp() ? stripLeadingTabs(bodyLine) : bodyLine;
            if (candidate.equals(heredoc.name())) {
              terminated = true;
              break;
            }
            body.append(bodyLine).append('\n');
          }
          if (!terminated) {
            int at = Math.max(0, text.indexOf(word));
            throw new DockerfileException(
                DockerfileException.Kind.UNTERMINATED_HEREDOC, file, line.locate(at), word,
                "unterminated heredoc: no line \"" + heredoc.name() + "\" ends it before the end"
                    + " of the file");
          }
          heredocs.add(
              new Heredoc(
                  heredoc.name(), body.toString(), heredoc.expand(), heredoc.chomp(),
                  heredoc.fileDescriptor()));
        }
      }
      return new Node(
          keyword, line, text, keywordOffset, flags, arguments, argumentsOffset, heredocs,
          new SourceRange(startLine, lastLine), comments);
    }

    private static String stripLeadingTabs(String s) {
      int i = 0;
      while (i < s.length() && s.charAt(i) == '\t') {
        i++;
      }
      return s.substring(i);
    }

    private List<String> heredocWords(String text) {
      try {
        return ShellLexer.of('\\').withRawQuotes().withRawEscapes().expandWords(text, Map.of());
      } catch (ExpansionException e) {
        // The reference builder ignores lexing errors here: no heredocs, then.
        return List.of();
      }
    }

    /**
     * Reads leading {@code --flag[=value]} words from {@code text} at {@code from}; returns where the
     * arguments begin. A bare {@code --} ends the flags.
     */
    private int extractFlags(LogicalLine line, String text, int from, List<RawFlag> flags) {
      int pos = from;
      while (true) {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
          pos++;
        }
        if (pos + 1 >= text.length() || text.charAt(pos) != '-' || text.charAt(pos + 1) != '-') {
          return pos;
        }
        int wordStart = pos;
        StringBuilder word = new StringBuilder();
        char quote = 0;
        while (pos < text.length()) {
          char c = text.charAt(pos);
          if (quote == 0 && Character.isWhitespace(c)) {
            break;
          }
          if (quote == 0 && (c == '\'' || c == '"')) {
            quote = c;
            pos++;
            continue;
          }
          if (quote != 0 && c == quote) {
            quote = 0;
            pos++;
            continue;
          }
          if (c == '\\') {
            if (pos + 1 == text.length()) {
              pos++;
              continue;
            }
            pos++;
            c = text.charAt(pos);
          }
          word.append(c);
          pos++;
        }
        String flag = word.toString();
        if (flag.equals("--")) {
          return pos;
        }
        String body = flag.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String value = eq < 0 ? null : body.substring(eq + 1);
        flags.add(
            new RawFlag(text.substring(wordStart, pos), name, value, line.locate(wordStart)));
      }
    }

    private Instruction instruction(Node node) {
      String lower = node.keyword().toLowerCase(Locale.ROOT);
      if (!KEYWORDS.contains(lower)) {
        String suggestion = suggest(lower);
        throw new DockerfileException(
            DockerfileException.Kind.UNKNOWN_INSTRUCTION, file, node.line().locate(node.keywordOffset()),
            node.text().strip(),
            "unknown instruction: " + node.keyword()
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
      }
      Origin origin = node.origin();
      return switch (lower) {
        case "from" -> from(node, origin);
        case "run" -> run(node, origin);
        case "cmd" -> {
          flags(node, Map.of());
          requireArguments(node);
          yield new Instruction.Cmd(origin, command(node));
        }
        case "entrypoint" -> {
          flags(node, Map.of());
          requireArguments(node);
          yield new Instruction.Entrypoint(origin, command(node));
        }
        case "shell" -> {
          flags(node, Map.of());
          requireArguments(node);
          List<String> shell = jsonArray(node).orElseThrow(
              () -> invalid(node, "SHELL requires the arguments to be in JSON form"));
          if (shell.isEmpty()) {
            throw invalid(node, "SHELL requires at least one argument");
          }
          yield new Instruction.Shell(origin, shell);
        }
        case "label" -> {
          flags(node, Map.of());
          List<KeyValue> pairs = new ArrayList<>();
          boolean legacy = nameValues(node, "LABEL", pairs);
          yield new Instruction.Label(origin, pairs, legacy);
        }
        case "env" -> {
          flags(node, Map.of());
          List<KeyValue> pairs = new ArrayList<>();
          boolean legacy = nameValues(node, "ENV", pairs);
          yield new Instruction.Env(origin, pairs, legacy);
        }
        case "maintainer" -> {
          flags(node, Map.of());
          requireArguments(node);
          yield new Instruction.Maintainer(origin, node.arguments());
        }
        case "expose" -> {
          flags(node, Map.of());
          requireArguments(node);
          yield new Instruction.Expose(origin, whitespaceWords(node.arguments()));
        }
        case "copy" -> copy(node, origin);
        case "add" -> add(node, origin);
        case "volume" -> {
          flags(node, Map.of());
          requireArguments(node);
          List<String> paths = jsonArray(node).orElseGet(() -> whitespaceWords(node.arguments()));
          for (String path : paths) {
            if (path.isBlank()) {
              throw invalid(node, "VOLUME specified can not be an empty string");
            }
          }
          yield new Instruction.Volume(origin, paths);
        }
        case "user" -> {
          flags(node, Map.of());
          requireArguments(node);
          yield new Instruction.User(origin, node.arguments());
        }
        case "workdir" -> {
          flags(node, Map.of());
          requireArguments(node);
          yield new Instruction.Workdir(origin, node.arguments());
        }
        case "stopsignal" -> {
          flags(node, Map.of());
          requireArguments(node);
          yield new Instruction.Stopsignal(origin, node.arguments());
        }
        case "arg" -> arg(node, origin);
        case "onbuild" -> onbuild(node, origin);
        case "healthcheck" -> healthcheck(node, origin);
        default -> throw new IllegalStateException("keyword table out of date: " + lower);
      };
    }

    private Instruction from(Node node, Origin origin) {
      Flags flags = flags(node, Map.of("platform", FlagType.STRING));
      List<String> args = whitespaceWords(node.arguments());
      if (args.size() != 1 && args.size() != 3) {
        throw invalid(node, "FROM requires either one or three arguments");
      }
      if (args.size() == 3 && !args.get(1).equalsIgnoreCase("as")) {
        throw invalid(node, "FROM requires either one or three arguments: FROM image [AS name]");
      }
      Optional<String> name = Optional.empty();
      Optional<String> written = Optional.empty();
      Optional<String> as = Optional.empty();
      if (args.size() == 3) {
        String lowered = args.get(2).toLowerCase(Locale.ROOT);
        if (!STAGE_NAME.matcher(lowered).matches()) {
          throw invalid(
              node,
              "invalid name for build stage: \"" + args.get(2)
                  + "\", name can't start with a number or contain symbols");
        }
        name = Optional.of(lowered);
        written = Optional.of(args.get(2));
        as = Optional.of(args.get(1));
      }
      return new Instruction.From(
          origin, args.getFirst(), name, written, as, flags.string("platform"));
    }

    private Instruction run(Node node, Origin origin) {
      Flags flags =
          flags(
              node,
              Map.of(
                  "mount", FlagType.LIST, "network", FlagType.STRING, "security", FlagType.STRING));
      requireArguments(node);
      List<MountSpec> mounts = new ArrayList<>();
      for (RawFlag raw : node.flags()) {
        if (raw.name().equals("mount")) {
          mounts.add(MountSpec.parse(raw.value(), file, raw.location()));
        }
      }
      Optional<String> network = flags.string("network");
      if (network.isPresent() && !Set.of("default", "none", "host").contains(network.get())) {
        throw flagError(node, "network", "unsupported network mode \"" + network.get()
            + "\" (use default, none or host)");
      }
      Optional<String> security = flags.string("security");
      if (security.isPresent() && !Set.of("sandbox", "insecure").contains(security.get())) {
        throw flagError(node, "security", "unsupported security mode \"" + security.get()
            + "\" (use sandbox or insecure)");
      }
      return new Instruction.Run(
          origin, command(node), mounts, network, security, node.heredocs());
    }

    private Instruction copy(Node node, Origin origin) {
      Flags flags =
          flags(
              node,
              Map.of(
                  "from", FlagType.STRING,
                  "chown", FlagType.STRING,
                  "chmod", FlagType.STRING,
                  "link", FlagType.BOOL,
                  "parents", FlagType.BOOL,
                  "exclude", FlagType.LIST));
      checkChmod(node, flags);
      List<String> sources = new ArrayList<>();
      List<Heredoc> heredocs = new ArrayList<>();
      String destination = sourcesAndDestination(node, "COPY", sources, heredocs);
      return new Instruction.Copy(
          origin, sources, heredocs, destination, flags.string("from"), flags.string("chown"),
          flags.string("chmod"), flags.bool("link"), flags.bool("parents"),
          flags.list("exclude"));
    }

    private Instruction add(Node node, Origin origin) {
      Flags flags =
          flags(
              node,
              Map.of(
                  "chown", FlagType.STRING,
                  "chmod", FlagType.STRING,
                  "link", FlagType.BOOL,
                  "exclude", FlagType.LIST,
                  "checksum", FlagType.STRING,
                  "keep-git-dir", FlagType.BOOL,
                  "unpack", FlagType.BOOL));
      checkChmod(node, flags);
      Optional<String> checksum = flags.string("checksum");
      if (checksum.isPresent() && !checksum.get().contains("$")) {
        try {
          Digest.parse(checksum.get());
        } catch (InvalidDigestException e) {
          throw flagError(node, "checksum", "invalid checksum digest \"" + checksum.get() + "\"");
        }
      }
      List<String> sources = new ArrayList<>();
      List<Heredoc> heredocs = new ArrayList<>();
      String destination = sourcesAndDestination(node, "ADD", sources, heredocs);
      return new Instruction.Add(
          origin, sources, heredocs, destination, flags.string("chown"), flags.string("chmod"),
          flags.bool("link"), flags.list("exclude"), checksum,
          flags.optionalBool("keep-git-dir"), flags.optionalBool("unpack"));
    }

    private void checkChmod(Node node, Flags flags) {
      Optional<String> chmod = flags.string("chmod");
      if (chmod.isPresent() && !chmod.get().contains("$") && !Chmod.isValid(chmod.get())) {
        throw flagError(node, "chmod", "invalid chmod parameter \"" + chmod.get()
            + "\": use an octal mode such as 755 or a symbolic one such as u+x,go-w");
      }
    }

    private String sourcesAndDestination(
        Node node, String keyword, List<String> sources, List<Heredoc> heredocs) {
      List<String> args = jsonArray(node).orElseGet(() -> whitespaceWords(node.arguments()));
      if (args.size() < 2) {
        throw invalid(
            node,
            keyword + " requires at least two arguments, but only "
                + (args.isEmpty() ? "none were" : "one was")
                + " provided. Destination could not be determined.");
      }
      String destination = args.getLast();
      if (heredocDeclaration(destination).isPresent()) {
        throw invalid(node, keyword + " cannot accept a heredoc as a destination");
      }
      Map<String, Heredoc> byName = new HashMap<>();
      for (Heredoc heredoc : node.heredocs()) {
        byName.put(heredoc.name(), heredoc);
      }
      for (String source : args.subList(0, args.size() - 1)) {
        Optional<Heredoc> declared = heredocDeclaration(source);
        if (declared.isPresent() && byName.containsKey(declared.get().name())) {
          heredocs.add(byName.get(declared.get().name()));
        } else {
          sources.add(source);
        }
      }
      return destination;
    }

    private Instruction arg(Node node, Origin origin) {
      flags(node, Map.of());
      List<String> words = shellWords(node.arguments());
      if (words.isEmpty()) {
        throw invalid(node, "ARG requires at least one argument");
      }
      List<ArgDeclaration> declarations = new ArrayList<>();
      for (String word : words) {
        int eq = word.indexOf('=');
        String name = eq < 0 ? word : word.substring(0, eq);
        if (name.isEmpty()) {
          throw invalid(node, "ARG names can not be blank");
        }
        declarations.add(
            new ArgDeclaration(
                name, eq < 0 ? Optional.empty() : Optional.of(word.substring(eq + 1))));
      }
      return new Instruction.Arg(origin, declarations);
    }

    private Instruction onbuild(Node node, Origin origin) {
      flags(node, Map.of());
      requireArguments(node);
      String expression = node.arguments();
      int offset = node.argumentsOffset();
      String text = node.text();
      int keywordEnd = offset;
      while (keywordEnd < text.length() && !Character.isWhitespace(text.charAt(keywordEnd))) {
        keywordEnd++;
      }
      String keyword = text.substring(offset, keywordEnd);
      String lower = keyword.toLowerCase(Locale.ROOT);
      switch (lower) {
        case "onbuild" -> throw invalid(node, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        case "from", "maintainer" ->
            throw invalid(node, keyword.toUpperCase(Locale.ROOT)
                + " isn't allowed as an ONBUILD trigger");
        default -> {}
      }
      int restStart = keywordEnd;
      while (restStart < text.length() && Character.isWhitespace(text.charAt(restStart))) {
        restStart++;
      }
      Node sub =
          node(
              node.line(), text, keyword, offset, restStart, node.range().startLine(),
              node.range().endLine(), List.of(), false);
      Instruction trigger = instruction(sub);
      return new Instruction.Onbuild(origin, expression, trigger);
    }

    private Instruction healthcheck(Node node, Origin origin) {
      Flags flags =
          flags(
              node,
              Map.of(
                  "interval", FlagType.STRING,
                  "timeout", FlagType.STRING,
                  "start-period", FlagType.STRING,
                  "start-interval", FlagType.STRING,
                  "retries", FlagType.STRING));
      requireArguments(node);
      String args = node.arguments();
      int sep = 0;
      while (sep < args.length() && !Character.isWhitespace(args.charAt(sep))) {
        sep++;
      }
      String type = args.substring(0, sep).toUpperCase(Locale.ROOT);
      String rest = args.substring(sep).strip();
      if (type.equals("NONE")) {
        if (!rest.isEmpty()) {
          throw invalid(node, "HEALTHCHECK NONE takes no arguments");
        }
        if (!node.flags().isEmpty()) {
          throw flagError(node, node.flags().getFirst().name(), "HEALTHCHECK NONE takes no flags");
        }
        return new Instruction.Healthcheck(
            origin, List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            0);
      }
      if (!type.equals("CMD")) {
        throw invalid(node, "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
      }
      if (rest.isEmpty()) {
        throw invalid(node, "Missing command after HEALTHCHECK CMD");
      }
      List<String> test = new ArrayList<>();
      Optional<List<String>> exec = jsonArrayOf(node, rest);
      if (exec.isPresent()) {
        if (exec.get().isEmpty()) {
          throw invalid(node, "Missing command after HEALTHCHECK CMD");
        }
        test.add("CMD");
        test.addAll(exec.get());
      } else {
        test.add("CMD-SHELL");
        test.add(rest);
      }
      int retries = 0;
      Optional<String> retriesFlag = flags.string("retries");
      if (retriesFlag.isPresent()) {
        try {
          retries = Integer.parseInt(retriesFlag.get());
        } catch (NumberFormatException e) {
          throw flagError(node, "retries", "invalid value for --retries: " + retriesFlag.get());
        }
        if (retries < 0) {
          throw flagError(node, "retries", "--retries cannot be negative (" + retries + ")");
        }
      }
      return new Instruction.Healthcheck(
          origin, test, interval(node, flags, "interval"), interval(node, flags, "timeout"),
          interval(node, flags, "start-period"), interval(node, flags, "start-interval"), retries);
    }

    private Duration interval(Node node, Flags flags, String name) {
      Optional<String> value = flags.string(name);
      if (value.isEmpty() || value.get().isEmpty()) {
        return Duration.ZERO;
      }
      Duration duration =
          GoDuration.parse(value.get())
              .orElseThrow(
                  () -> flagError(node, name, "invalid duration for --" + name + ": \""
                      + value.get() + "\" (use a form such as 30s, 1m30s or 500ms)"));
      if (duration.isZero()) {
        return duration;
      }
      if (duration.compareTo(Duration.ofMillis(1)) < 0) {
        throw flagError(node, name, "Interval \"" + name + "\" cannot be less than 1ms");
      }
      return duration;
    }

    /**
     * Splits ENV or LABEL arguments into pairs; returns true for the legacy {@code KEY value} form.
     */
    private boolean nameValues(Node node, String keyword, List<KeyValue> pairs) {
      String rest = node.arguments();
      List<String> words = shellWords(rest);
      if (words.isEmpty()) {
        throw invalid(node, keyword + " requires at least one argument");
      }
      if (!words.getFirst().contains("=")) {
        String[] parts = BLANKS.split(rest, 2);
        if (parts.length < 2) {
          throw invalid(node, keyword + " must have two arguments");
        }
        pairs.add(new KeyValue(parts[0], parts[1]));
        return true;
      }
      for (String word : words) {
        int eq = word.indexOf('=');
        if (eq < 0) {
          throw invalid(
              node,
              "Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
        }
        if (eq == 0) {
          throw invalid(node, keyword + " names can not be blank");
        }
        pairs.add(new KeyValue(word.substring(0, eq), word.substring(eq + 1)));
      }
      return false;
    }

    /** Splits on blanks, keeping quotes and escapes in the words, as ENV/LABEL/ARG need. */
    private List<String> shellWords(String rest) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      boolean blankOk = false;
      char quote = 0;
      for (int i = 0; i < rest.length(); i++) {
        char c = rest.charAt(i);
        if (quote == 0) {
          if (Character.isWhitespace(c)) {
            if (inWord && (blankOk || word.length() > 0)) {
              words.add(word.toString());
            }
            word.setLength(0);
            inWord = false;
            blankOk = false;
            continue;
          }
          inWord = true;
          if (c == '\'' || c == '"') {
            quote = c;
            blankOk = true;
          } else if (c == escape) {
            if (i + 1 == rest.length()) {
              continue;
            }
            word.append(c);
            c = rest.charAt(++i);
          }
          word.append(c);
        } else {
          if (c == quote) {
            quote = 0;
          } else if (c == escape && quote != '\'') {
            if (i + 1 == rest.length()) {
              continue;
            }
            word.append(c);
            c = rest.charAt(++i);
          }
          word.append(c);
        }
      }
      if (inWord && (blankOk || word.length() > 0)) {
        words.add(word.toString());
      }
      return words;
    }

    private static List<String> whitespaceWords(String rest) {
      List<String> words = new ArrayList<>();
      for (String word : BLANKS.split(rest)) {
        if (!word.isEmpty()) {
          words.add(word);
        }
      }
      return words;
    }

    private Command command(Node node) {
      return jsonArray(node).map(Command::exec).orElseGet(() -> Command.shell(node.arguments()));
    }

    private static boolean isJsonArray(String arguments) {
      try {
        return arguments.stripLeading().startsWith("[") && JSON.readTree(arguments).isArray();
      } catch (JsonProcessingException e) {
        return false;
      }
    }

    private Optional<List<String>> jsonArray(Node node) {
      return jsonArrayOf(node, node.arguments());
    }

    /**
     * The exec form of {@code text}: present when it is a JSON array of strings, empty when it is
     * not JSON (shell form); an error when it is a JSON array holding anything but strings.
     */
    private Optional<List<String>> jsonArrayOf(Node node, String text) {
      String trimmed = text.stripLeading();
      if (!trimmed.startsWith("[")) {
        return Optional.empty();
      }
      JsonNode tree;
      try {
        tree = JSON.readTree(trimmed);
      } catch (JsonProcessingException e) {
        return Optional.empty();
      }
      if (tree == null || !tree.isArray()) {
        return Optional.empty();
      }
      List<String> values = new ArrayList<>();
      for (JsonNode element : tree) {
        if (!element.isTextual()) {
          throw invalid(
              node, "when using JSON array syntax, arrays must be comprised of strings only");
        }
        values.add(element.textValue());
      }
      return Optional.of(values);
    }

    private void requireArguments(Node node) {
      if (node.arguments().isEmpty() && node.heredocs().isEmpty()) {
        throw invalid(
            node, node.keyword().toUpperCase(Locale.ROOT) + " requires at least one argument");
      }
    }

    private Flags flags(Node node, Map<String, FlagType> allowed) {
      Map<String, String> strings = new LinkedHashMap<>();
      Map<String, List<String>> lists = new LinkedHashMap<>();
      for (RawFlag raw : node.flags()) {
        FlagType type = allowed.get(raw.name());
        if (type == null) {
          throw new DockerfileException(
              DockerfileException.Kind.MALFORMED_FLAG, file, raw.location(), raw.word(),
              "unknown flag: --" + raw.name() + " (" + node.keyword().toUpperCase(Locale.ROOT)
                  + (allowed.isEmpty()
                      ? " takes no flags)"
                      : " takes " + String.join(", ", allowed.keySet().stream()
                          .sorted().map(n -> "--" + n).toList()) + ")"));
        }
        switch (type) {
          case STRING -> {
            if (raw.value() == null) {
              throw malformed(raw, "missing a value on flag: --" + raw.name());
            }
            if (strings.containsKey(raw.name())) {
              throw malformed(raw, "duplicate flag specified: --" + raw.name());
            }
            strings.put(raw.name(), raw.value());
          }
          case BOOL -> {
            if (strings.containsKey(raw.name())) {
              throw malformed(raw, "duplicate flag specified: --" + raw.name());
            }
            String value = raw.value() == null ? "true" : raw.value().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
              throw malformed(
                  raw, "expecting boolean value for flag --" + raw.name() + ", not: " + raw.value());
            }
            strings.put(raw.name(), value);
          }
          case LIST -> {
            if (raw.value() == null) {
              throw malformed(raw, "missing a value on flag: --" + raw.name());
            }
            lists.computeIfAbsent(raw.name(), k -> new ArrayList<>()).add(raw.value());
          }
        }
      }
      return new Flags(strings, lists);
    }

    private DockerfileException malformed(RawFlag raw, String detail) {
      return new DockerfileException(
          DockerfileException.Kind.MALFORMED_FLAG, file, raw.location(), raw.word(), detail);
    }

    private DockerfileException flagError(Node node, String name, String detail) {
      for (RawFlag raw : node.flags()) {
        if (raw.name().equals(name)) {
          return malformed(raw, detail);
        }
      }
      return invalid(node, detail);
    }

    private DockerfileException invalid(Node node, String detail) {
      return new DockerfileException(
          DockerfileException.Kind.INVALID_ARGUMENTS, file,
          node.line().locate(node.keywordOffset()), node.text().strip(), detail);
    }

    private static String suggest(String lower) {
      String best = null;
      int bestDistance = 3;
      for (String keyword : KEYWORDS.stream().sorted().toList()) {
        int distance = distance(lower, keyword);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = keyword.toUpperCase(Locale.ROOT);
        }
      }
      return best;
    }
  }

  /** The heredoc a word such as {@code <<EOF}, {@code <<-'EOF'} or {@code 3<<EOF} declares. */
  public static Optional<Heredoc> heredocDeclaration(String word) {
    Matcher m = HEREDOC.matcher(word);
    if (!m.matches() || m.group(3).isEmpty()) {
      return Optional.empty();
    }
    String rest = m.group(3);
    List<String> words;
    List<String> rawWords;
    try {
      words = ShellLexer.of('\\').withSkipUnset().expandWords(rest, Map.of());
      rawWords = ShellLexer.of('\\').withSkipUnset().withRawQuotes().expandWords(rest, Map.of());
    } catch (ExpansionException e) {
      return Optional.empty();
    }
    if (words.size() != 1 || rawWords.size() != 1) {
      return Optional.empty();
    }
    String name = words.getFirst();
    // A delimiter with any quoted part turns expansion of the body off, as in the shell.
    boolean expand = quotes(name) == quotes(rawWords.getFirst());
    int fd = m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1));
    return Optional.of(new Heredoc(name, "", expand, m.group(2).equals("-"), fd));
  }

  private static int quotes(String s) {
    int count = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\'' || s.charAt(i) == '"') {
        count++;
      }
    }
    return count;
  }

  /** Levenshtein distance, for "did you mean" suggestions. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
