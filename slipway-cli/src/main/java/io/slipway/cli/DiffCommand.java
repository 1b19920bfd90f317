package io.slipway.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.slipway.diff.structured.StructuredComparison;
import io.slipway.diff.structured.StructuredDiffOptions;
import io.slipway.diff.structured.StructuredDiffer;
import io.slipway.diff.text.DiffAlgorithm;
import io.slipway.diff.text.TextDiff;
import io.slipway.diff.text.TextDiffOptions;
import io.slipway.diff.text.TextDiffer;
import io.slipway.diff.text.TextInput;
import io.slipway.diff.tree.FileEntry;
import io.slipway.diff.tree.TreeChange;
import io.slipway.diff.tree.TreeDiffer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway diff A B}: what changed between two files, two JSON/YAML documents or two
 * directories. Exits as {@code diff} does: 0 when equal, 1 when different, 2 on trouble. Image
 * references are recognised and refused with a clear message until image diff exists.
 * Confined to the thread that runs it.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what changed between two files, two JSON/YAML documents, or two directories.",
      "Exit status: 0 if equal, 1 if different, 2 if trouble (as diff)."
    })
public final class DiffCommand implements Callable<Integer> {
  static final int SAME = 0;
  static final int DIFFERENT = 1;
  static final int TROUBLE = 2;

  /** What {@code --format} selects. */
  enum Format {
    TEXT,
    JSON
  }

  /** Things like docker.io/library/busybox:1.36, ghcr.io/o/r@sha256:…, oci:dir, docker://… */
  private static final Pattern IMAGE_REFERENCE =
      Pattern.compile("^(?:[a-z-]+://|oci:|oci-archive:|docker-archive:|docker-daemon:).*|^[^/\\s]+(?:/[^\\s]+)*[:@][^/\\s]+$");

  private static final DateTimeFormatter GNU_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.nnnnnnnnn Z", Locale.ROOT);

  @Parameters(index = "0", paramLabel = "A", description = "First file or directory.")
  String first;

  @Parameters(index = "1", paramLabel = "B", description = "Second file or directory.")
  String second;

  @Option(
      names = {"-U", "--unified"},
      paramLabel = "N",
      defaultValue = "3",
      description = "Lines of context around each change (default: ${DEFAULT-VALUE}).")
  int contextLines;

  @Option(
      names = "-u",
      description = "Unified output with 3 lines of context: the default, accepted as diff -u is.")
  boolean unified;

  @Option(names = "--structured", description = "Compare JSON/YAML files as trees (JSON Patch with --format=json).")
  boolean structured;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--algorithm",
      defaultValue = "histogram",
      paramLabel = "histogram|myers",
      description = "Line matching (default: ${DEFAULT-VALUE}).")
  DiffAlgorithm algorithm;

  @Option(
      names = "--array-key",
      paramLabel = "FIELD",
      split = ",",
      defaultValue = "name,id,key",
      description = "Fields that identify array elements with --structured (default: ${DEFAULT-VALUE}).")
  List<String> arrayKeys;

  @Option(
      names = "--cost-factor",
      paramLabel = "STEPS",
      defaultValue = "32",
      description =
          "Steps per line before a text diff degrades to coarser hunks (default: ${DEFAULT-VALUE}).")
  long costFactor;

  @Option(
      names = "--content",
      description =
          "With two directories: also show a unified diff of each modified text file"
              + " (with --format=json, its added and removed line counts).")
  boolean content;

  private final PrintStream out;
  private final PrintStream err;

  public DiffCommand() {
    this(System.out, System.err);
  }

  DiffCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try {
      return run();
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("slipway diff: " + e.getMessage());
      return TROUBLE;
    }
  }

  private int run() throws IOException {
    Path a = Path.of(first);
    Path b = Path.of(second);
    for (String argument : List.of(first, second)) {
      if (!Files.exists(Path.of(argument), LinkOption.NOFOLLOW_LINKS)) {
        if (IMAGE_REFERENCE.matcher(argument).matches()) {
          err.println(
              "slipway diff: "
                  + argument
                  + " is not a file or directory; it looks like an image reference, and image diff"
                  + " is not supported yet. Compare two files or two directories.");
        } else {
          err.println("slipway diff: " + argument + ": no such file or directory");
        }
        return TROUBLE;
      }
    }
    boolean dirA = Files.isDirectory(a);
    boolean dirB = Files.isDirectory(b);
    TextDiffOptions textOptions =
        TextDiffOptions.DEFAULTS
            .withAlgorithm(algorithm)
            .withContextLines(contextLines)
            .withCost(costFactor, TextDiffOptions.DEFAULTS.baseCost());
    TextDiffer textDiffer = new TextDiffer(textOptions);
    if (dirA && dirB) {
      return trees(a, b, textDiffer);
    }
    // As diff does: a file against a directory means the file of the same name in it.
    if (dirA) {
      a = a.resolve(b.getFileName());
    } else if (dirB) {
      b = b.resolve(a.getFileName());
    }
    if (structured) {
      StructuredDiffer differ =
          new StructuredDiffer(StructuredDiffOptions.DEFAULTS.withArrayKeys(arrayKeys), textDiffer);
      StructuredComparison comparison = differ.compare(a, b);
      switch (comparison) {
        case StructuredComparison.Structured result -> {
          OutputStream sink = new BufferedOutputStream(out, 1 << 16);
          if (format == Format.JSON) {
            result.diff().writeJsonPatch(sink);
          } else {
            Writer writer = new OutputStreamWriter(sink, StandardCharsets.UTF_8);
            result.diff().writeSummary(writer);
          }
          sink.flush();
          return result.identical() ? SAME : DIFFERENT;
        }
        case StructuredComparison.TextFallback fallback -> {
          err.println("slipway diff: note: " + fallback.note());
          return text(a, b, fallback.diff());
        }
      }
    }
    TextInput inputA = TextInput.open(a, textOptions.mapThresholdBytes());
    TextInput inputB = TextInput.open(b, textOptions.mapThresholdBytes());
    if (inputA.looksBinary() || inputB.looksBinary()) {
      boolean same = Files.mismatch(a, b) < 0;
      if (format == Format.JSON) {
        jsonSummary(a, b, "binary", same, null);
      } else if (!same) {
        out.println("Binary files " + first + " and " + second + " differ");
      }
      return same ? SAME : DIFFERENT;
    }
    return text(a, b, textDiffer.compare(inputA, inputB));
  }

  private int text(Path a, Path b, TextDiff diff) throws IOException {
    diff.note().ifPresent(note -> err.println("slipway diff: note: " + note));
    if (format == Format.JSON) {
      jsonSummary(a, b, "text", diff.identical(), diff);
    } else {
      diff.writeUnified(out, label(a), label(b));
      out.flush();
    }
    return diff.identical() ? SAME : DIFFERENT;
  }

  /** GNU diff's header label: the path, a tab, and the modification time to the nanosecond. */
  private static String label(Path path) throws IOException {
    return path + "\t" + GNU_TIME.format(Files.getLastModifiedTime(path).toInstant().atZone(ZoneId.systemDefault()));
  }

  private void jsonSummary(Path a, Path b, String type, boolean identical, TextDiff diff) throws IOException {
    try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.writeStartObject();
      json.writeStringField("type", type);
      json.writeStringField("a", a.toString());
      json.writeStringField("b", b.toString());
      json.writeBooleanField("identical", identical);
      if (diff != null) {
        json.writeNumberField("linesAdded", diff.linesAdded());
        json.writeNumberField("linesRemoved", diff.linesRemoved());
        json.writeNumberField("changes", diff.changes());
        json.writeBooleanField("degraded", diff.degraded());
        if (diff.note().isPresent()) {
          json.writeStringField("note", diff.note().get());
        }
      }
      json.writeEndObject();
      json.writeRaw('\n');
    }
    out.flush();
  }

  private int trees(Path a, Path b, TextDiffer textDiffer) throws IOException {
    boolean[] changed = {false};
    if (format == Format.JSON) {
      try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.writeStartArray();
        new TreeDiffer()
            .compare(
                a,
                b,
                change -> {
                  changed[0] = true;
                  writeJson(json, change, contentDiff(textDiffer, a, b, change));
                });
        json.writeRaw(changed[0] ? "\n" : "");
        json.writeEndArray();
        json.writeRaw('\n');
      }
    } else {
      new TreeDiffer()
          .compare(
              a,
              b,
              change -> {
                changed[0] = true;
                out.println(describe(change));
                TextDiff diff = contentDiff(textDiffer, a, b, change);
                if (diff != null) {
                  try {
                    diff.writeUnified(out, "a/" + change.path(), "b/" + change.path());
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              });
    }
    out.flush();
    return changed[0] ? DIFFERENT : SAME;
  }

  /** The text diff of a modified text file when {@code --content} asks for it, else null. */
  private TextDiff contentDiff(TextDiffer differ, Path a, Path b, TreeChange change) {
    if (!content
        || !change.aspects().contains(TreeChange.Aspect.CONTENT)
        || change.before().type() != FileEntry.FileType.FILE
        || change.after().type() != FileEntry.FileType.FILE) {
      return null;
    }
    try {
      TextInput before = TextInput.open(a.resolve(change.path()), differ.options().mapThresholdBytes());
      TextInput after = TextInput.open(b.resolve(change.path()), differ.options().mapThresholdBytes());
      if (before.looksBinary() || after.looksBinary()) {
        return null;
      }
      return differ.compare(before, after);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeJson(JsonGenerator json, TreeChange change, TextDiff content) {
    try {
      json.writeRaw("\n  ");
      json.writeStartObject();
      json.writeStringField("change", change.kind().name().toLowerCase(Locale.ROOT));
      json.writeStringField("path", change.path());
      if (!change.aspects().isEmpty()) {
        json.writeArrayFieldStart("aspects");
        for (TreeChange.Aspect aspect : change.aspects().stream().sorted().toList()) {
          json.writeString(aspect.name().toLowerCase(Locale.ROOT));
        }
        json.writeEndArray();
      }
      if (change.before() != null) {
        json.writeFieldName("before");
        writeJson(json, change.before());
      }
      if (change.after() != null) {
        json.writeFieldName("after");
        writeJson(json, change.after());
      }
      if (content != null) {
        json.writeNumberField("linesAdded", content.linesAdded());
        json.writeNumberField("linesRemoved", content.linesRemoved());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeJson(JsonGenerator json, FileEntry entry) throws IOException {
    json.writeStartObject();
    json.writeStringField("type", entry.type().name().toLowerCase(Locale.ROOT));
    json.writeStringField("mode", entry.octalMode());
    json.writeNumberField("uid", entry.uid());
    json.writeNumberField("gid", entry.gid());
    json.writeNumberField("size", entry.size());
    if (entry.type() == FileEntry.FileType.SYMLINK) {
      json.writeStringField("linkTarget", entry.linkTarget());
    }
    json.writeEndObject();
  }

  /** One line per change: {@code A path}, {@code D path}, or {@code M path  what changed}. */
  static String describe(TreeChange change) {
    return switch (change.kind()) {
      case ADDED -> "A  " + change.path() + suffix(change.after());
      case REMOVED -> "D  " + change.path() + suffix(change.before());
      case MODIFIED -> "M  " + change.path() + suffix(change.after()) + "  " + details(change);
    };
  }

  private static String suffix(FileEntry entry) {
    return switch (entry.type()) {
      case DIRECTORY -> "/";
      case SYMLINK -> " -> " + entry.linkTarget();
      default -> "";
    };
  }

  private static String details(TreeChange change) {
    FileEntry before = change.before();
    FileEntry after = change.after();
    StringBuilder text = new StringBuilder();
    for (TreeChange.Aspect aspect : change.aspects().stream().sorted().toList()) {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      switch (aspect) {
        case TYPE ->
            text.append("type ")
                .append(before.type().name().toLowerCase(Locale.ROOT))
                .append(" → ")
                .append(after.type().name().toLowerCase(Locale.ROOT));
        case MODE -> text.append("mode ").append(before.octalMode()).append(" → ").append(after.octalMode());
        case OWNER ->
            text.append("owner ")
                .append(before.uid())
                .append(':')
                .append(before.gid())
                .append(" → ")
                .append(after.uid())
                .append(':')
                .append(after.gid());
        case SIZE -> text.append("size ").append(before.size()).append(" → ").append(after.size());
        case LINK_TARGET ->
            text.append("link ").append(before.linkTarget()).append(" → ").append(after.linkTarget());
        case CONTENT -> text.append("content");
      }
    }
    return text.toString();
  }
}
